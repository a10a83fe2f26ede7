import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/plan/canonical-json.js';

/** The definition the API snapshots on disk were hashed with: every object rebuilt from its sorted entries. */
function reference(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

describe('canonical JSON', () => {
  it('is what JSON.stringify writes for the object rebuilt with sorted keys, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });

  it('orders integer-like keys as objects do, and leaves out what JSON leaves out', () => {
    const value = { b: 1, 10: 'ten', a: [undefined, () => 1], 9: 'nine', '01': 'not an index', 4294967295: 'not an index either', skipped: undefined };
    expect(canonicalJson(value)).toBe(reference(value));
    expect(canonicalJson(value)).toBe('{"9":"nine","10":"ten","01":"not an index","4294967295":"not an index either","a":[null,null],"b":1}');
  });
});
