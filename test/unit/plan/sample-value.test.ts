import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../../src/plan/sample-value.js';

const none = () => undefined;

describe('sample values for contract tests', () => {
  it('prefers the spec’s own example, default and enum', () => {
    expect(sampleValue({ type: 'string', examples: ['abc'] }, none)).toBe('abc');
    expect(sampleValue({ type: 'integer', default: 7 }, none)).toBe(7);
    expect(sampleValue({ type: 'string', enum: [null, 'b'] }, none)).toBe('b');
  });

  it('respects numeric bounds and string lengths and formats', () => {
    expect(sampleValue({ type: 'integer', minimum: 5, multipleOf: 4 }, none)).toBe(8);
    expect(sampleValue({ type: 'number', exclusiveMinimum: 0 }, none)).toBe(0.5);
    expect(sampleValue({ type: 'string', minLength: 12 }, none)).toBe('samplexxxxxx');
    expect(sampleValue({ type: 'string', format: 'uuid' }, none)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fills required properties and enough optional ones for minProperties', () => {
    const schema = { type: 'object', required: ['a'], minProperties: 2, properties: { a: { type: 'boolean' }, b: { type: 'integer' } } };
    expect(sampleValue(schema, none)).toEqual({ a: true, b: 1 });
  });

  it('takes a common word that matches a pattern, else makes a string from the pattern, within its lengths', () => {
    expect(sampleValue({ type: 'string', pattern: '^[A-Z]{3}$' }, none)).toBe('EUR');
    expect(sampleValue({ type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{2,31}$', minLength: 5 }, none)).toBe('SAMPLE');
    expect(sampleValue({ type: 'string', pattern: '^[a-z]{2}[0-9]{4}$' }, none)).toBe('aa0000');
  });

  it('gives up on a pattern it cannot satisfy rather than guess', () => {
    expect(sampleValue({ type: 'string', pattern: '^[A-Z]{3}$', maxLength: 2 }, none)).toBeUndefined();
    expect(sampleValue({ type: 'string', pattern: '^(a)\\1$' }, none)).toBeUndefined();
    expect(sampleValue({ type: 'string', format: 'email', pattern: '^[A-Z]{3}$' }, none)).toBeUndefined();
  });

  it('never sends a property the request may not carry', () => {
    expect(sampleValue({ type: 'object', required: ['id'], properties: { id: false } }, none)).toBeUndefined();
  });
});
