import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openRunCache, type RunCache } from '../../../src/cache/run-cache.js';
import { formatCode, formatKey } from '../../../src/emit/format-code.js';
import { generateOpenApiTypes } from '../../../src/emit/openapi-types.js';
import { loadSpec } from '../../../src/load/load-spec.js';

type Spec = Record<string, any>;
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const EXAMPLES = ['ecommerce', 'petstore', 'user-management'].map((name) => join(import.meta.dirname, '..', '..', '..', 'examples', name, 'openapi.yaml'));

/** Path items of every kind the reassembly tells apart: plain ones, one with a discriminator, refs to every kind of component. */
const SPEC: Spec = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/pets': {
      parameters: [{ $ref: '#/components/parameters/Limit' }],
      get: { operationId: 'listPets', responses: { '200': { description: 'ok', ...json({ type: 'array', items: { $ref: '#/components/schemas/Pet' } }) } } },
      post: { operationId: 'addPet', requestBody: { $ref: '#/components/requestBodies/NewPet' }, responses: { '201': { $ref: '#/components/responses/Created' } } },
    },
    '/pets/{id}': { get: { operationId: 'getPet', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Cat' }) } } } },
    '/animals': {
      get: {
        operationId: 'listAnimals',
        responses: { '200': { description: 'ok', ...json({ oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: 'Dog' } } }) } },
      },
    },
    '/owners': { post: { operationId: 'addOwner', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { owner: { $ref: '#/components/schemas/Owner' }, password: { type: 'string', writeOnly: true } } } } } }, responses: { '204': { description: 'none' } } } },
    '/health': { get: { operationId: 'health', responses: { '204': { description: 'none', headers: { 'X-Rate': { $ref: '#/components/headers/Rate' } } } } } },
  },
  components: {
    schemas: {
      Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, id: { type: 'string', readOnly: true } }, discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } } },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { secret: { type: 'string', writeOnly: true }, owner: { $ref: '#/components/schemas/Owner' } } }] },
      Dog: { type: 'object', properties: { kind: { type: 'string' }, barks: { type: 'boolean' } } },
      Owner: { type: 'object', readOnly: true, description: 'Who owns it.', properties: { name: { type: 'string' } } },
    },
    parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer' } } },
    requestBodies: { NewPet: { required: true, ...json({ $ref: '#/components/schemas/Pet' }) } },
    responses: { Created: { description: 'created', ...json({ $ref: '#/components/schemas/Pet' }) } },
    headers: { Rate: { schema: { type: 'integer' } } },
  },
};

const FILE = 'src/dto/openapi.gen.ts';
const formatted = (cache: RunCache) => ({ key: formatKey('typescript'), apply: (text: string) => formatCode(FILE, text, cache) });

describe("the spec's types put together from each path item's formatted lines", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-types-by-item-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The formatted types of `document` as a generation makes them (loaded with the cache of `dir`, pieces hashed), and the whole run's, formatted whole. */
  async function typesOf(document: Spec, format: (cache: RunCache) => { key: string[]; apply: (text: string) => Promise<string> } = formatted) {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const cache = await openRunCache(dir);
    const loaded = await loadSpec(file, { cache });
    expect(loaded.pieceHashes).toBeDefined();
    const before = { ...cache.stats };
    const types = await generateOpenApiTypes(loaded.document, '// header', cache, { fingerprint: loaded.fingerprint, pieceHashes: loaded.pieceHashes, format: format(cache) });
    const stats = { hits: cache.stats.hits - before.hits, misses: cache.stats.misses - before.misses };
    await cache.save();
    return { types, stats, whole: await format(cache).apply(await generateOpenApiTypes(loaded.document, '// header', undefined, { whole: true })) };
  }

  it('prints on the first run what the whole run prints', async () => {
    const { types, whole } = await typesOf(SPEC);
    expect(types).toBe(whole);
    expect(types).toContain('listAnimals: {');
  });

  it('after a change to a plain path item, prints only that item, and equals the whole run', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    changed.paths['/health'].get.parameters = [{ name: 'probe', in: 'query', schema: { type: 'string' } }];
    const { types, whole, stats } = await typesOf(changed);
    expect(types).toBe(whole);
    expect(types).toContain('probe?: string');
    // Misses: the document's types (under its text), the changed item's kind, its lines, and prettier on its
    // one changed member (its `operations` entry; its `paths` entry, which names the operation, is unchanged).
    expect(stats.misses).toBe(4);
  });

  it('a path item that references readOnly and writeOnly components gets their markers when printed alone', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    changed.paths['/owners'].post.requestBody.content['application/json'].schema.properties.backup = { $ref: '#/components/schemas/Owner' };
    const { types, whole } = await typesOf(changed);
    expect(types).toBe(whole);
  });

  it('a new path item, a removed one and a reordered spec still equal the whole run', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    delete changed.paths['/pets/{id}'];
    changed.paths = { '/vets': { get: { operationId: 'listVets', responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Owner' }) } } } }, ...changed.paths };
    const { types, whole } = await typesOf(changed);
    expect(types).toBe(whole);
    expect(types).toContain('listVets: {');
    expect(types).not.toContain('getPet: {');
  });

  it('a change to a path item with a discriminator (which can patch the components) assembles the whole document again', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    changed.paths['/animals'].get.responses['200'].content['application/json'].schema.discriminator.mapping = { cat: '#/components/schemas/Cat' };
    const { types, whole } = await typesOf(changed);
    expect(types).toBe(whole);
    // Then a plain change goes by item again.
    const next = structuredClone(changed);
    next.paths['/health'].get.summary = 'Liveness';
    const again = await typesOf(next);
    expect(again.types).toBe(again.whole);
    expect(again.stats.misses).toBe(4);
  });

  it('a path item printed with only the components it reaches (through other components, parts of them, mappings) equals the whole run', async () => {
    const spec = structuredClone(SPEC);
    spec.components.schemas.Bird = { type: 'object', properties: { kind: { type: 'string' }, wings: { type: 'integer', readOnly: true } } };
    spec.components.schemas.Flock = { type: 'object', properties: { leader: { $ref: '#/components/schemas/Cat/allOf/1' }, size: { type: 'integer' } } };
    spec.paths['/animals'].get.responses['200'].content['application/json'].schema.discriminator.mapping.bird = 'Bird';
    spec.paths['/flocks'] = { get: { operationId: 'listFlocks', parameters: [{ $ref: '#/components/parameters/Limit' }], responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Flock' }) } } } };
    await typesOf(spec);
    for (const url of ['/flocks', '/health', '/pets']) {
      const changed = structuredClone(spec);
      changed.paths[url].get.summary = `changed ${url}`;
      const { types, whole, stats } = await typesOf(changed);
      expect(types, url).toBe(whole);
      expect(stats.misses, url).toBeLessThanOrEqual(5);
    }
  });

  it('a changed component assembles the whole document again', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    changed.components.parameters.Limit.schema = { type: 'string' };
    const { types, whole } = await typesOf(changed);
    expect(types).toBe(whole);
    expect(types).toContain('Limit: string;');
  });

  it('path items with refs to parts of other pieces go the assembly way, every time', async () => {
    const partRef = structuredClone(SPEC);
    partRef.paths['/owners'].post.responses['204'] = { description: 'ok', ...json({ $ref: '#/components/schemas/Cat/allOf/1' }) };
    await typesOf(partRef);
    const changed = structuredClone(partRef);
    changed.paths['/health'].get.summary = 'Liveness';
    const { types, whole } = await typesOf(changed);
    expect(types).toBe(whole);
  });

  it('a change that leaves no operation at all is printed as the whole run prints it', async () => {
    await typesOf(SPEC);
    const bare = { ...structuredClone(SPEC), paths: { '/pets': { parameters: [{ $ref: '#/components/parameters/Limit' }] } } };
    const { types, whole } = await typesOf(bare);
    expect(types).toBe(whole);
  });

  it('another formatter (another prettier, other options) formats every line again, those of unchanged path items included', async () => {
    await typesOf(SPEC);
    const changed = structuredClone(SPEC);
    changed.paths['/health'].get.summary = 'Liveness';
    const otherPrettier = (cache: RunCache) => ({ key: ['prettier', 'another version'], apply: async (text: string) => (await formatCode(FILE, text, cache)).replaceAll(': never;', ': never /* formatted again */;') });
    const { types, whole } = await typesOf(changed, otherPrettier);
    expect(types).toBe(whole);
    expect(types).not.toContain(': never;');
  });

  describe("openapi-typescript's WithRequired helper, declared once after the members that need it", () => {
    // Toy: a component no discriminator maps, so requiring its properties takes the helper.
    const SPEC_WITH_TOY: Spec = { ...SPEC, components: { ...SPEC.components, schemas: { ...SPEC.components.schemas, Toy: { type: 'object', properties: { name: { type: 'string' }, squeaks: { type: 'boolean' } } } } } };
    const withRequired = (schema: string, required: string[]) => json({ allOf: [{ $ref: `#/components/schemas/${schema}` }], required });

    it('is declared when a path item other than the first needs it, on the first run and after the item that needs it changes', async () => {
      const spec = structuredClone(SPEC_WITH_TOY);
      spec.paths['/health'].get.responses['200'] = { description: 'ok', ...withRequired('Toy', ['name']) };
      const first = await typesOf(spec);
      expect(first.types).toBe(first.whole);
      expect(first.types).toContain('type WithRequired<');
      const changed = structuredClone(spec);
      changed.paths['/health'].get.summary = 'Liveness';
      const { types, whole } = await typesOf(changed);
      expect(types).toBe(whole);
    });

    it('appears when a changed path item starts to need it, and goes when none needs it any more', async () => {
      await typesOf(SPEC_WITH_TOY);
      const needing = structuredClone(SPEC_WITH_TOY);
      needing.paths['/health'].get.responses['200'] = { description: 'ok', ...withRequired('Toy', ['name']) };
      const added = await typesOf(needing);
      expect(added.types).toBe(added.whole);
      expect(added.types).toContain('type WithRequired<');
      const { types, whole } = await typesOf(SPEC_WITH_TOY);
      expect(types).toBe(whole);
      expect(types).not.toContain('type WithRequired<');
    });

    it('comes before the operations when a path item without an operationId needs it first', async () => {
      const spec = structuredClone(SPEC_WITH_TOY);
      spec.paths = { '/first': { get: { responses: { '200': { description: 'ok', ...withRequired('Toy', ['name']) } } } }, ...spec.paths };
      const first = await typesOf(spec);
      expect(first.types).toBe(first.whole);
      expect(first.types.indexOf('type WithRequired<')).toBeLessThan(first.types.indexOf('export interface operations {'));
      await typesOf(SPEC_WITH_TOY);
      const { types, whole } = await typesOf(spec);
      expect(types).toBe(whole);
    });

    it('is declared when only a component needs it', async () => {
      const spec = structuredClone(SPEC_WITH_TOY);
      spec.components.schemas.Kennel = { type: 'object', properties: { dog: { allOf: [{ $ref: '#/components/schemas/Toy' }], required: ['name'] } } };
      const { types, whole } = await typesOf(spec);
      expect(types).toBe(whole);
      expect(types).toContain('type WithRequired<');
    });

    it("is left out, as in the whole run, where a component's discriminator elsewhere already made the properties required", async () => {
      const spec = structuredClone(SPEC_WITH_TOY);
      spec.components.schemas.Animal = { oneOf: [{ $ref: '#/components/schemas/Toy' }], discriminator: { propertyName: 'kind' } };
      spec.paths['/dogs'] = { get: { operationId: 'listDogs', responses: { '200': { description: 'ok', ...withRequired('Toy', ['name']) } } } };
      await typesOf(spec);
      const changed = structuredClone(spec);
      changed.paths['/dogs'].get.summary = 'Dogs';
      const { types, whole } = await typesOf(changed);
      expect(types).toBe(whole);
    });
  });

  it.each(EXAMPLES)('equals the whole run for %s after a change to each of its path items in turn', async (path) => {
    const document = parse(await readFile(path, 'utf8')) as Spec;
    await typesOf(document);
    for (const url of Object.keys(document.paths)) {
      const changed = structuredClone(document);
      for (const operation of Object.values(changed.paths[url]) as Spec[]) if (operation && typeof operation === 'object' && 'responses' in operation) operation.description = `changed ${url}`;
      const { types, whole } = await typesOf(changed);
      expect(types, url).toBe(whole);
    }
  });
});
