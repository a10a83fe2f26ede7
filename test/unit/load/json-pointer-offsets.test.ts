import { describe, expect, it } from 'vitest';
import { jsonPointerOffsets } from '../../../src/load/json-pointer-offsets.js';

// JSON.stringify cannot write a duplicate key: the second "dup" is spliced in.
const text = JSON.stringify({ a: { 'b/c': [10, { d: 'x"}]' }], e: null }, f: true, a2: 1, dup: 1 }, null, 2).replace('"dup": 1', '"dup": 1,\n  "dup": 2');

function offsetOf(segments: string[], onKey = false): number | undefined {
  return jsonPointerOffsets(text, [{ segments, onKey }])[0];
}

describe('JSON pointer offsets', () => {
  it('are where the node starts', () => {
    expect(text.slice(offsetOf(['a', 'b/c', '1', 'd'])).startsWith('"x\\"}]"')).toBe(true);
    expect(text.slice(offsetOf(['a', 'e'])).startsWith('null')).toBe(true);
    expect(offsetOf([])).toBe(0);
  });

  it('are where the key starts when asked for the key, except for array elements', () => {
    expect(text.slice(offsetOf(['a', 'b/c'], true)).startsWith('"b/c": [')).toBe(true);
    expect(text.slice(offsetOf(['a', 'b/c', '0'], true)).startsWith('10')).toBe(true);
  });

  it('stop at the last node a pointer reaches, like Redocly', () => {
    expect(offsetOf(['a', 'missing', 'deeper'])).toBe(offsetOf(['a']));
    expect(offsetOf(['a', 'b/c', '7'])).toBe(offsetOf(['a', 'b/c']));
  });

  it('take the first of duplicate keys', () => {
    expect(text.slice(offsetOf(['dup'])).startsWith('1')).toBe(true);
  });

  it('answer every query of one scan, and nothing for text that is not JSON', () => {
    expect(jsonPointerOffsets(text, [{ segments: ['f'], onKey: false }, { segments: ['a2'], onKey: true }]).map((at) => at !== undefined && text.slice(at, at + 4))).toEqual(['true', '"a2"']);
    expect(jsonPointerOffsets('{"a": [1, 2', [{ segments: ['a'], onKey: false }])).toEqual([undefined]);
  });
});
