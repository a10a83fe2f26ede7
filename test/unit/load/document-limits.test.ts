import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { DOCUMENT_LIMITS, jsonNesting, measureDocument } from '../../../src/load/document-limits.js';
import { parseText } from '../../../src/load/read-document.js';
import { findRefLoop } from '../../../src/load/ref-loops.js';

function refusal(path: string, text: string): Diagnostic {
  try {
    parseText(path, text);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected a refusal');
}

const nested = (depth: number, leaf: unknown = 'leaf'): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i += 1) value = { p: value };
  return value;
};

describe('document limits', () => {
  it('measure depth to the limit and no further', () => {
    expect(measureDocument(nested(DOCUMENT_LIMITS.maxDepth), false)).toBeUndefined();
    expect(measureDocument(nested(DOCUMENT_LIMITS.maxDepth + 1), false)).toEqual({ kind: 'depth', path: Array(DOCUMENT_LIMITS.maxDepth).fill('p') });
    expect(jsonNesting(JSON.stringify(nested(10)))).toBe(10);
    expect(jsonNesting('{"a": "[[[[{{{{\\"[[["}')).toBe(1);
  });

  it('count what aliases add once expanded, from memo', () => {
    const item = Array.from({ length: 1000 }, (_, i) => `item${i}`);
    const uses = Array.from({ length: 99 }, () => item);
    expect(measureDocument({ item, uses }, true)).toBeUndefined();
    expect(measureDocument({ item, uses: [...uses, item, item] }, true)).toEqual({ kind: 'aliases', path: ['uses', 99] });
  });

  it('count the depth an aliased node brings to where it is used', () => {
    const deep = nested(100) as object;
    expect(measureDocument({ a: deep, b: nested(27, deep) }, true)).toBeUndefined();
    expect(measureDocument({ a: deep, b: nested(28, deep) }, true)).toMatchObject({ kind: 'depth' });
  });

  it('refuse a YAML alias that contains itself (a cycle no later stage could walk)', () => {
    expect(refusal('/design/x.yaml', 'a: &a\n  b: *a\n')).toMatchObject({ code: 'SCF014', location: { file: '/design/x.yaml', pointer: '/a/b', line: 2 } });
  });

  it('locate depth in JSON and YAML', () => {
    expect(refusal('/design/x.json', JSON.stringify({ x: nested(200) }))).toMatchObject({ code: 'SCF015', location: { line: 1, pointer: expect.stringMatching(/^\/x(\/p){127}$/) } });
    expect(refusal('/design/x.yaml', `x: ${'['.repeat(500)}${']'.repeat(500)}\n`)).toMatchObject({ code: 'SCF015', location: { line: 1 } });
    expect(refusal('/design/x.yaml', `x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`)).toMatchObject({ code: 'SCF015', location: { line: 1, column: 1004 } });
  });

  it('stop a text over the size limit before parsing it', () => {
    expect(refusal('/design/x.json', `"${'a'.repeat(DOCUMENT_LIMITS.maxBytes)}"`)).toMatchObject({ code: 'SCF009' });
  });
});

describe('$ref loops', () => {
  const schemas = (entries: Record<string, unknown>) => ({ components: { schemas: entries } });
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('find a $ref to itself and a loop through others, with the chain', () => {
    expect(findRefLoop(schemas({ A: ref('A') }))).toEqual({ pointer: '#/components/schemas/A', chain: ['#/components/schemas/A'] });
    expect(findRefLoop(schemas({ A: ref('B'), B: ref('C'), C: ref('A') }))?.chain).toHaveLength(3);
    expect(findRefLoop(schemas({ A: { $ref: '#/components/schemas/A/properties/x' } }))).toBeDefined();
  });

  it('refuse a chain of more than 64 $refs that each name only the next, however it is walked', () => {
    const chain = (links: number) => schemas(Object.fromEntries([...Array.from({ length: links }, (_, i) => [`S${i}`, ref(`S${i + 1}`)]), [`S${links}`, { type: 'string' }]]));
    expect(findRefLoop(chain(64))).toBeUndefined();
    expect(findRefLoop(chain(65))).toMatchObject({ tooLong: true });
    expect(findRefLoop(chain(2000))).toMatchObject({ tooLong: true });
  });

  it('leave recursion, chains that end, and pointers through references alone', () => {
    expect(findRefLoop(schemas({ A: { type: 'object', properties: { a: ref('A'), b: ref('B') } }, B: { type: 'array', items: ref('A') } }))).toBeUndefined();
    expect(findRefLoop(schemas({ A: ref('B'), B: ref('C'), C: { type: 'string' } }))).toBeUndefined();
    expect(findRefLoop(schemas({ A: { $ref: '#/components/schemas/B/properties/x' }, B: ref('C'), C: { properties: { x: ref('B') } } }))).toBeUndefined();
  });
});
