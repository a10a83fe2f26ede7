import { join } from 'node:path';
import { scanDiscriminators, type OpenAPI3 } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../../../src/cache/package-version.js';
import { loadOpenApiTypescript } from '../../../src/emit/openapi-typescript-lib.js';
import { scanDiscriminatorsOnce, VERIFIED_VERSION } from '../../../src/emit/scan-discriminators.js';
import { loadSpec } from '../../../src/load/load-spec.js';

const EXAMPLES = ['ecommerce', 'petstore', 'user-management'].map((name) => join(import.meta.dirname, '..', '..', '..', 'examples', name, 'openapi.yaml'));
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

/** Every way a discriminator reaches the library's patches: inferred from oneOf, mapped, inherited through allOf, inline, invalid. */
const DISCRIMINATORS = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/pets': {
      get: { responses: { '200': { description: 'ok', ...json({ oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind', mapping: { dog: '#/components/schemas/Dog', lizard: '#/components/schemas/Lizard', none: '#/components/schemas/Nothing' } } }) } } },
      post: { requestBody: json({ allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', discriminator: { propertyName: 'inline' } }] }), responses: { '204': { description: 'ok' } } },
    },
  },
  components: {
    schemas: {
      Pet: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', lizard: '#/components/schemas/Lizard', none: '#/components/schemas/Nothing' } } },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { purrs: { type: 'boolean' } } }] },
      Dog: { type: 'object', properties: { barks: { type: 'boolean' } } },
      Lizard: { type: 'object', required: ['scales'], properties: { kind: { type: 'string', description: 'What it is.' }, scales: { type: 'integer' } } },
      Kitten: { allOf: [{ $ref: '#/components/schemas/Cat' }] },
      Nothing: { type: 'string' },
    },
  },
};

/** The library's result and the document as it left it, next to this copy's, each on its own copy of the spec. */
function bothScans(document: unknown) {
  const options = { silent: true } as const;
  const [library, copy] = [structuredClone(document) as OpenAPI3, structuredClone(document) as OpenAPI3];
  return {
    library: JSON.stringify([scanDiscriminators(library, options), library]),
    copy: JSON.stringify([scanDiscriminatorsOnce(copy, options), copy]),
  };
}

describe("scanning a spec's discriminators", () => {
  // The generator loads the library on first use (openapi-types-pieces.ts does before it scans).
  beforeAll(async () => {
    await loadOpenApiTypescript();
  });

  it('finds, patches and returns what openapi-typescript does, for every way discriminators are written', () => {
    const { library, copy } = bothScans(DISCRIMINATORS);
    expect(copy).toBe(library);
    expect(library).toContain('discriminator enum property added by openapi-typescript');
    expect(library).toContain('What it is. (enum property replaced by openapi-typescript)');
  });

  it.each(EXAMPLES)('does the same as openapi-typescript on %s', async (path) => {
    const { library, copy } = bothScans((await loadSpec(path)).document);
    expect(copy).toBe(library);
  });

  it('is the copy of the installed version of openapi-typescript (another version runs its own)', () => {
    expect(packageVersion('openapi-typescript')).toBe(VERIFIED_VERSION);
  });
});
