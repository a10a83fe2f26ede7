import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { loadSpec } from '../../../src/load/load-spec.js';

/** Names every plain object inherits: a spec may use each as a schema, a property, an example key. */
const INHERITED = ['hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', 'toString', '__proto__', 'constructor'];

function specNaming(name: string): Record<string, unknown> {
  const schemas = {};
  Object.defineProperty(schemas, name, { enumerable: true, value: { type: 'object', properties: JSON.parse(`{"${name}": {"type": "string"}}`), example: JSON.parse(`{"${name}": "x"}`) } });
  Object.defineProperty(schemas, 'Wrapper', { enumerable: true, value: { type: 'object', properties: { inner: { $ref: `#/components/schemas/${name}` } } } });
  return {
    openapi: '3.0.3',
    info: { title: 'inherited names', version: '1' },
    paths: { '/things': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Wrapper' } } } } } } } },
    components: { schemas },
  };
}

async function writeSpec(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-inherited-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

describe('names an object inherits', () => {
  it.each(INHERITED)('loads a spec with a schema, a property and an example key named %s, as written', async (name) => {
    const text = JSON.stringify(specNaming(name));
    const spec = await loadSpec(await writeSpec({ 'openapi.json': text }));
    expect(JSON.stringify(spec.document)).toBe(text);
    expect(Object.hasOwn(spec.document.components!.schemas!, name)).toBe(true);
  });

  it('reports a problem inside such a schema at its own pointer, with the name as written', async () => {
    const name: string = 'valueOf';
    const spec = specNaming(name);
    (spec.components as { schemas: Record<string, { type: unknown }> }).schemas[name]!.type = 'obj';
    try {
      await loadSpec(await writeSpec({ 'openapi.json': JSON.stringify(spec) }));
      expect.unreachable('an invalid type is an error');
    } catch (error) {
      if (!(error instanceof ScaffoldError)) throw error;
      expect(error.diagnostics.map((d) => [d.code, d.location?.pointer])).toEqual([['SCF005', '#/components/schemas/valueOf/type']]);
      expect(error.diagnostics[0]!.message).not.toContain('\u0000');
    }
  });

  it('bundles a schema so named from another file under its own name', async () => {
    const path = await writeSpec({
      'openapi.yaml': [
        'openapi: 3.0.3',
        'info: { title: bundled, version: "1" }',
        'paths:',
        '  /things:',
        '    get:',
        '      responses:',
        "        '200': { description: ok, content: { application/json: { schema: { $ref: 'schemas.yaml#/constructor' } } } }",
      ].join('\n'),
      'schemas.yaml': 'constructor:\n  type: object\n  properties:\n    hasOwnProperty: { $ref: "#/toString" }\ntoString:\n  type: string\n',
    });
    const spec = await loadSpec(path);
    expect(JSON.stringify(spec.document)).not.toContain('\\u0000');
    const schemas = new Map(Object.entries(spec.document.components!.schemas as Record<string, { properties?: Record<string, unknown> }>));
    expect([...schemas.keys()].sort()).toEqual(['constructor', 'toString']);
    expect(Object.hasOwn(schemas.get('constructor')!.properties!, 'hasOwnProperty')).toBe(true);
  });

  it.each(['__proto__', 'constructor'])('re-checks a changed path item that references a schema named %s from the cache', async (name) => {
    const spec = specNaming(name);
    const path = await writeSpec({ 'openapi.json': JSON.stringify(spec) });
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-inherited-cache-'));
    const first = await openRunCache(dir);
    await loadSpec(path, { cache: first });
    await first.save();
    // One path item changes and references the schema itself: it is checked with the components it reaches.
    const paths = spec.paths as Record<string, { get: { summary?: string; responses: Record<string, unknown> } }>;
    paths['/things']!.get.summary = 'changed';
    paths['/things']!.get.responses['201'] = { description: 'also', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    await writeFile(path, JSON.stringify(spec));
    const second = await openRunCache(dir);
    await expect(loadSpec(path, { cache: second })).resolves.toMatchObject({ version: '3.0' });
  });

  it('resolves a discriminator mapping to a schema so named, under a value so named, as written', async () => {
    const schemas = {
      Pet: { oneOf: [{ $ref: '#/components/schemas/toString' }], discriminator: { propertyName: 'kind', mapping: { toString: '#/components/schemas/toString' } } },
      toString: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
    };
    const spec = { openapi: '3.0.3', info: { title: 'mapped', version: '1' }, paths: {}, components: { schemas } };
    const text = JSON.stringify(spec);
    const loaded = await loadSpec(await writeSpec({ 'openapi.json': text }));
    expect(loaded.warnings).toEqual([]);
    expect(JSON.stringify(loaded.document)).toBe(text);
  });

  it('bundles a discriminator mapping from another file with its values and keys as written', async () => {
    const path = await writeSpec({
      'openapi.yaml': ['openapi: 3.0.3', 'info: { title: bundled, version: "1" }', 'paths: {}', 'components:', '  schemas:', "    Pet: { $ref: 'pets.yaml#/Pet' }", "    valueOf: { $ref: 'pets.yaml#/valueOf' }"].join('\n'),
      'pets.yaml': 'Pet:\n  oneOf: [{ $ref: "#/valueOf" }]\n  discriminator: { propertyName: kind, mapping: { valueOf: "#/valueOf" } }\nvalueOf:\n  type: object\n  properties: { kind: { type: string } }\n',
    });
    const spec = await loadSpec(path);
    expect(JSON.stringify(spec.document)).not.toContain('\\u0000');
    const pet = new Map(Object.entries(spec.document.components!.schemas!)).get('Pet') as { discriminator: { mapping: Record<string, string> } };
    expect(Object.keys(pet.discriminator.mapping)).toEqual(['valueOf']);
  });
});
