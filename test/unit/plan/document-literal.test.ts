import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as prettier from 'prettier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { PRETTIER_OPTIONS } from '../../../src/emit/format-code.js';
import { prettierString } from '../../../src/emit/format-long-literals.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { stringLiteral } from '../../../src/model/naming.js';
import { documentLiteral } from '../../../src/plan/document-literal.js';

type Spec = Record<string, any>;

/** Strings with every character class that escaping and requoting treat specially. */
const TRICKY = ["it's", 'say "hi"', 'back\\slash', 'both \' and "', '\u2028 and \u2029', 'tab\tnew\nline', '\u0001', 'é ☃ 𝄞', '\\"', "\\'"];

function spec(extra: Record<string, unknown> = {}): Spec {
  return {
    openapi: '3.0.3',
    info: { title: 'Literal "quotes" and \'apostrophes\'', version: '1', description: TRICKY.join(' | ') },
    'x-extension': { note: TRICKY },
    paths: Object.fromEntries(
      TRICKY.map((text, i) => [`/p${i}`, { get: { summary: text, responses: { '200': { description: text } } } }]),
    ),
    components: { schemas: { Thing: { type: 'object', description: TRICKY.join(''), properties: { "it's": { type: 'string', example: '"x"' } } } } },
    ...extra,
  };
}

describe("the spec's literal put together from pieces", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-document-literal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Loads `document` as the project's spec with the cache of `dir`, as a generation does, and returns its literal. */
  async function literalOf(document: Spec) {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const cache = await openRunCache(dir);
    const loaded = await loadSpec(file, { cache });
    const before = cache.stats.misses;
    const literal = documentLiteral(loaded.document, loaded.pieceHashes && { cache, hashes: loaded.pieceHashes });
    const misses = cache.stats.misses - before;
    await cache.save();
    return { literal, misses, document: loaded.document };
  }

  it('is the JSON-escaped text as prettier quotes it, and parses back to the spec', async () => {
    const { literal, document } = await literalOf(spec());
    expect(literal.startsWith("'")).toBe(true);
    expect(literal).toBe(prettierString(stringLiteral(JSON.stringify(document)), true));
    const formatted = await prettier.format(`JSON.parse(${stringLiteral(JSON.stringify(document))});\n`, { ...PRETTIER_OPTIONS, parser: 'typescript' });
    expect(formatted).toContain(`  ${literal},\n`); // prettier prints the literal on a line of its own, as it is
    expect(JSON.parse(new Function(`return ${literal};`)() as string)).toEqual(document);
  });

  it('escapes again only the path items that changed, and the rest when the components changed', async () => {
    await literalOf(spec());
    const unchanged = await literalOf(spec());
    expect(unchanged.misses).toBe(0);
    const changed = spec();
    changed.paths['/p3'].get.summary = "changed: it's new";
    const oneItem = await literalOf(changed);
    expect(oneItem.misses).toBe(1);
    expect(oneItem.literal).toBe(prettierString(stringLiteral(JSON.stringify(oneItem.document)), true));
    changed.components.schemas.Thing.description = 'other';
    const components = await literalOf(changed);
    expect(components.misses).toBeGreaterThan(1);
    expect(components.literal).toBe(prettierString(stringLiteral(JSON.stringify(components.document)), true));
  });

  it('stays right when path items are removed, added before the others or reordered', async () => {
    await literalOf(spec());
    const removed = spec();
    delete removed.paths['/p0'];
    const inserted = spec();
    inserted.paths = { '/first': { get: { responses: { '200': { description: 'new' } } } }, ...inserted.paths };
    const reordered = spec();
    reordered.paths = Object.fromEntries(Object.entries(reordered.paths).reverse());
    const emptied = spec({ paths: {} });
    for (const document of [removed, inserted, reordered, emptied]) {
      const { literal, document: loaded } = await literalOf(document);
      expect(literal).toBe(prettierString(stringLiteral(JSON.stringify(loaded)), true));
    }
  });

  it('is the plain JSON-escaped text where prettier would pick double quotes', async () => {
    const { literal, document } = await literalOf(spec({ 'x-apostrophes': "'".repeat(5000) }));
    expect(literal).toBe(stringLiteral(JSON.stringify(document)));
  });

  it('equals the whole text requoted for any document', async () => {
    const member = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...TRICKY));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(member, member, { maxKeys: 4 }), fc.dictionary(member, fc.jsonValue(), { maxKeys: 4 }), async (paths, extensions) => {
        const document = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: Object.fromEntries(Object.entries(paths).map(([key, text]) => [`/${key}`, { description: text }])), ...extensions };
        const pieces = { cache: await openRunCache(dir), hashes: { rest: 'rest', paths: new Map(Object.keys(document.paths).map((path) => [path, JSON.stringify(document.paths[path])])) } };
        const literal = documentLiteral(document, pieces);
        const whole = stringLiteral(JSON.stringify(document));
        expect(literal === whole || literal === prettierString(whole, true)).toBe(true);
        expect(prettierString(literal, true)).toBe(prettierString(whole, true));
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });
});
