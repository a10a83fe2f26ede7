import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { generateOpenApiTypes } from '../../../src/emit/openapi-types.js';
import { loadSpec } from '../../../src/load/load-spec.js';

const EXAMPLES = ['ecommerce', 'petstore', 'user-management'].map((name) => join(import.meta.dirname, '..', '..', '..', 'examples', name, 'openapi.yaml'));
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

/** Constructs whose types depend on other parts of the document: discriminators, refs to parameters and bodies, markers. */
const CROSS_REFERENCING = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/pets': {
      parameters: [{ $ref: '#/components/parameters/Limit' }],
      get: { operationId: 'listPets', responses: { '200': { description: 'ok', ...json({ type: 'array', items: { $ref: '#/components/schemas/Pet' } }) } } },
      post: { operationId: 'addPet', requestBody: { $ref: '#/components/requestBodies/NewPet' }, responses: { '201': { $ref: '#/components/responses/Created' } } },
    },
    '/pets/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Cat' }) } } } },
    '/health': { get: { operationId: 'health', responses: { '204': { description: 'none', headers: { 'X-Rate': { $ref: '#/components/headers/Rate' } } } } } },
  },
  components: {
    schemas: {
      Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, id: { type: 'string', readOnly: true } }, discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } } },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { secret: { type: 'string', writeOnly: true }, owner: { $ref: '#/components/schemas/Owner' } } }] },
      Owner: { type: 'object', readOnly: true, description: 'Who owns it.', properties: { name: { type: 'string' } } },
    },
    parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer' } } },
    requestBodies: { NewPet: { required: true, ...json({ $ref: '#/components/schemas/Pet' }) } },
    responses: { Created: { description: 'created', ...json({ $ref: '#/components/schemas/Pet' }) } },
    headers: { Rate: { schema: { type: 'integer' } } },
  },
};

describe('openapi-typescript run piece by piece', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-types-pieces-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(EXAMPLES)('prints exactly what the whole run prints for %s', async (path) => {
    const { document } = await loadSpec(path);
    expect(await generateOpenApiTypes(document, '// header')).toBe(await generateOpenApiTypes(document, '// header', undefined, { whole: true }));
  });

  it('prints exactly what the whole run prints when types depend on other components', async () => {
    const pieces = await generateOpenApiTypes(CROSS_REFERENCING, '');
    expect(pieces).toBe(await generateOpenApiTypes(CROSS_REFERENCING, '', undefined, { whole: true }));
    expect(pieces).toContain('export interface operations {');
  });

  it.each([
    ['a component', (spec: any) => (spec.components.schemas.Kennel = { type: 'object', properties: { toy: { allOf: [{ $ref: '#/components/schemas/Toy' }], required: ['name'] } } })],
    ['a path item after the first', (spec: any) => (spec.paths['/health'].get.responses['200'] = { description: 'ok', ...json({ allOf: [{ $ref: '#/components/schemas/Toy' }], required: ['name'] }) })],
    ['a path item before any operationId', (spec: any) => (spec.paths = { '/first': { get: { responses: { '200': { description: 'ok', ...json({ allOf: [{ $ref: '#/components/schemas/Toy' }], required: ['name'] }) } } } }, ...spec.paths })],
    ['a document without operationIds', (spec: any) => (spec.paths = { '/first': { get: { responses: { '200': { description: 'ok', ...json({ allOf: [{ $ref: '#/components/schemas/Toy' }], required: ['name'] }) } } } } })],
  ])("declares openapi-typescript's WithRequired helper where the whole run does when %s requires a ref's properties", async (_where, change) => {
    const spec = structuredClone(CROSS_REFERENCING) as any;
    spec.components.schemas.Toy = { type: 'object', properties: { name: { type: 'string' } } };
    change(spec);
    const pieces = await generateOpenApiTypes(spec, '');
    expect(pieces).toBe(await generateOpenApiTypes(spec, '', undefined, { whole: true }));
    expect(pieces.match(/type WithRequired</g)).toHaveLength(1);
  });

  it('after a change to one operation, recomputes only that path item and the frame, and still equals the whole run', async () => {
    const first = await openRunCache(dir);
    await generateOpenApiTypes(CROSS_REFERENCING, '', first);
    await first.save();
    const changed = structuredClone(CROSS_REFERENCING);
    (changed.paths['/health'].get as Record<string, unknown>).parameters = [{ name: 'probe', in: 'query', schema: { type: 'string' } }];
    const second = await openRunCache(dir);
    const types = await generateOpenApiTypes(changed, '', second);
    expect(types).toBe(await generateOpenApiTypes(changed, '', undefined, { whole: true }));
    expect(types).toContain('probe?: string');
    expect(second.stats.misses).toBe(2); // the whole document's types, and the one path item
  });

  it("a document the load stage fingerprinted is looked up by its fingerprint, without serializing it", async () => {
    const first = await openRunCache(dir);
    const types = await generateOpenApiTypes(CROSS_REFERENCING, '', first, { fingerprint: 'text-hash' });
    await first.save();
    const unchanged = await openRunCache(dir);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      expect(await generateOpenApiTypes(structuredClone(CROSS_REFERENCING), '', unchanged, { fingerprint: 'text-hash' })).toBe(types);
      expect(stringify.mock.calls.filter(([value]) => typeof value === 'object' && value !== null && 'paths' in value)).toEqual([]);
    } finally {
      stringify.mockRestore();
    }
    expect(unchanged.stats).toEqual({ hits: 1, misses: 0 });
  });

  it('an unchanged document is one hit, which keeps its pieces for the next change', async () => {
    const first = await openRunCache(dir);
    const types = await generateOpenApiTypes(CROSS_REFERENCING, '', first);
    await first.save();
    const unchanged = await openRunCache(dir);
    expect(await generateOpenApiTypes(structuredClone(CROSS_REFERENCING), '', unchanged)).toBe(types);
    expect(unchanged.stats).toEqual({ hits: 1, misses: 0 });
    await unchanged.save();
    const changed = structuredClone(CROSS_REFERENCING);
    (changed.paths['/health'].get as Record<string, unknown>).parameters = [{ name: 'probe', in: 'query', schema: { type: 'string' } }];
    const next = await openRunCache(dir);
    await generateOpenApiTypes(changed, '', next);
    expect(next.stats.misses).toBe(2);
  });

  it('a changed component recomputes every piece (they may resolve into it)', async () => {
    const first = await openRunCache(dir);
    await generateOpenApiTypes(CROSS_REFERENCING, '', first);
    await first.save();
    const changed = structuredClone(CROSS_REFERENCING);
    changed.components.parameters.Limit.schema = { type: 'string' };
    const second = await openRunCache(dir);
    const types = await generateOpenApiTypes(changed, '', second);
    expect(types).toBe(await generateOpenApiTypes(changed, '', undefined, { whole: true }));
    expect(second.stats.hits).toBe(0);
  });

  it('leaves to the whole run what it does not cover, such as duplicate operationIds, which the whole run rejects', async () => {
    const duplicate = structuredClone(CROSS_REFERENCING);
    (duplicate.paths['/health'].get as Record<string, unknown>).operationId = 'listPets';
    await expect(generateOpenApiTypes(duplicate, '')).rejects.toThrow(/operationId/);
  });
});
