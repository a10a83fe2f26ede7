import { describe, expect, it } from 'vitest';
import type { Field } from '../../../src/model/domain/types.js';
import { names } from '../../../src/model/naming.js';
import { candidateValues } from '../../../src/plan/request-values.js';

const none = () => undefined;

function jsonField(): Field {
  return { names: names('permissions', 'field'), column: 'permissions', type: 'json', required: true, unique: false, ignoreCase: false, default: undefined, values: [], constraints: {}, renamedFrom: undefined, secret: false, derivedFrom: undefined, description: '' };
}

describe('request values for a JSON field', () => {
  it('offer the list the spec describes, and the empty list as a second value (user-management Role.permissions)', () => {
    const schema = { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z_]*:[a-z][a-z_]*$' } };
    const values = candidateValues(schema, jsonField(), new Map(), none);
    expect(values).toContainEqual(['a:a']);
    expect(values).toContainEqual([]);
  });

  it('offer no list or object for a property that is no JSON field', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    expect(candidateValues(schema, undefined, new Map(), none).some((value) => typeof value === 'object' && value !== null)).toBe(false);
  });
});
