import { describe, expect, it } from 'vitest';
import { didYouMean, nearestName } from '../../../src/diagnostics/did-you-mean.js';

const SCALARS = ['string', 'text', 'integer', 'bigint', 'decimal', 'number', 'boolean', 'date', 'datetime', 'uuid', 'json', 'enum'];

describe('did you mean', () => {
  it('names the nearest known name by edit distance, a swap of two letters counting once', () => {
    expect(nearestName('uid', SCALARS)).toBe('uuid');
    expect(nearestName('strng', SCALARS)).toBe('string');
    expect(nearestName('Taks', ['Project', 'Task', 'Comment'])).toBe('Task');
    expect(nearestName('Prodcut', ['Product', 'ProductEnvelope'])).toBe('Product');
  });

  it('ignores case when comparing, so a capitalised scalar finds its scalar', () => {
    expect(nearestName('Uuid', SCALARS)).toBe('uuid');
    expect(nearestName('Uid', SCALARS)).toBe('uuid');
  });

  it('suggests nothing when no name is close, or for the name itself', () => {
    expect(nearestName('hologram', SCALARS)).toBeUndefined();
    expect(nearestName('x', ['Task'])).toBeUndefined();
    expect(nearestName('Task', ['Task'])).toBeUndefined();
    expect(nearestName('Task', [])).toBeUndefined();
  });

  it('words the suggestion as the tail of a message', () => {
    expect(didYouMean('uid', SCALARS)).toBe('; did you mean "uuid"?');
    expect(didYouMean('hologram', SCALARS)).toBe('');
  });

  it('suggests nothing among more names than it can search cheaply (a hostile design)', () => {
    const many = Array.from({ length: 501 }, (_, i) => `Entity${i}`);
    expect(nearestName('Entity1x', many.slice(0, 500))).toBe('Entity1');
    expect(nearestName('Entity1x', many)).toBeUndefined();
  });
});
