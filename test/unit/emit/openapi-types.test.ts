import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateOpenApiTypes } from '../../../src/emit/openapi-types.js';
import { markReferencedVisibility, prepareForOpenApiTypescript } from '../../../src/emit/openapi-types-input.js';

/** Type errors of the generated types, checked in memory with the same strictness as a generated project. */
function typeErrors(source: string): string[] {
  const fileName = '/virtual/openapi.gen.ts';
  const options: ts.CompilerOptions = { strict: true, noEmit: true, noUncheckedIndexedAccess: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === fileName ? ts.createSourceFile(name, source, version) : readSourceFile(name, version, ...rest));
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

function document(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  return { openapi: '3.0.3', info: { title: 't', version: '1' }, paths, components: { schemas } };
}

describe('the spec types from openapi-typescript compile for constructs real specs use', () => {
  it('refs into an operation, including circular ones (readme circular-paths, exlibrisgroup)', async () => {
    const spec = document({
      '/a': {
        post: {
          requestBody: json({ type: 'object', properties: { circular: { type: 'object', properties: { next: { $ref: '#/paths/~1a/post/requestBody/content/application~1json/schema/properties/circular' } } } } }),
          responses: { '200': { description: 'ok', ...json({ $ref: '#/paths/~1a/post/requestBody/content/application~1json/schema/properties/circular' }) } },
        },
      },
    });
    const types = await generateOpenApiTypes(spec, '');
    expect(typeErrors(`${types}\ntype Check = paths['/a']['post']['responses'][200]['content']['application/json']['next'];`)).toEqual([]);
  });

  it('refs into part of a component: `definitions` and `allOf/0` (codat.io)', async () => {
    const spec = document(
      { '/orders': { get: { responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Order' }) } } } } },
      {
        Order: {
          allOf: [{ type: 'object', properties: { id: { type: 'string' } } }, { type: 'object', properties: { line: { $ref: '#/components/schemas/Order/definitions/line' } } }],
          definitions: { line: { type: 'object', properties: { ref: { $ref: '#/components/schemas/Order/allOf/0' } } } },
        },
      },
    );
    const types = await generateOpenApiTypes(spec, '');
    expect(typeErrors(types)).toEqual([]);
  });

  it('discriminator mappings by schema name (readme discriminators)', async () => {
    const spec = document(
      { '/pets': { patch: { requestBody: json({ oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind', mapping: { cat: 'Cat', dog: 'Dog', fish: 'Fish' } } }), responses: { '204': { description: 'ok' } } } } },
      { Cat: { type: 'object', properties: { kind: { type: 'string' } } }, Dog: { type: 'object', properties: { kind: { type: 'string' } } } },
    );
    const types = await generateOpenApiTypes(spec, '');
    expect(typeErrors(types)).toEqual([]);
    const prepared = prepareForOpenApiTypescript(spec) as typeof spec;
    expect(JSON.stringify(prepared.paths)).toContain('"mapping":{"cat":"#/components/schemas/Cat","dog":"#/components/schemas/Dog"}');
  });

  it('a schema inheriting a discriminator through allOf that declares the property again (apple.com)', async () => {
    const spec = document(
      { '/r': { get: { responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/AddResult' }) } } } } },
      {
        Result: { type: 'object', required: ['class'], properties: { class: { type: 'string' } }, discriminator: { propertyName: 'class', mapping: { Other: '#/components/schemas/Other' } } },
        Other: { allOf: [{ $ref: '#/components/schemas/Result' }], type: 'object' },
        AddResult: { allOf: [{ $ref: '#/components/schemas/Result' }], type: 'object', properties: { class: { type: 'string', enum: ['AddResult'] }, done: { type: 'boolean' } } },
      },
    );
    const types = await generateOpenApiTypes(spec, '');
    expect(typeErrors(types)).toEqual([]);
  });
});

/** Every construct the input preparation rewrites, several of them on objects the spec shares between places. */
function everythingPrepared() {
  const owner = { type: 'object', readOnly: true, properties: { name: { type: 'string' } } };
  const line = { type: 'object', properties: { sku: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' } } };
  return document(
    {
      '/a': {
        post: {
          requestBody: json({ type: 'object', properties: { circular: { type: 'object', properties: { next: { $ref: '#/paths/~1a/post/requestBody/content/application~1json/schema/properties/circular' } } } } }),
          responses: { '200': { description: 'ok', ...json({ $ref: '#/paths/~1a/post/requestBody/content/application~1json/schema/properties/circular' }) } },
        },
      },
      '/pets': { patch: { requestBody: json({ oneOf: [{ $ref: '#/components/schemas/Cat' }], discriminator: { propertyName: 'kind', mapping: { cat: 'Cat', fish: 'Fish' } } }), responses: { '204': { description: 'ok' } } } },
      '/both': { get: { responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Order/definitions/both' }) } } } },
    },
    {
      Owner: owner,
      Order: {
        allOf: [{ type: 'object', properties: { id: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' } } }, { type: 'object', properties: { line: { $ref: '#/components/schemas/Order/definitions/line' }, again: line } }],
        definitions: {
          line,
          other: { type: 'object', properties: { ref: { $ref: '#/components/schemas/Order/allOf/0' }, stamp: { $ref: '#/components/schemas/Order/definitions/stamp' } } },
          stamp: { type: 'string', readOnly: true },
          // Inherits two discriminators, each property declared again: each copy of it drops the first only.
          both: { allOf: [{ $ref: '#/components/schemas/Pet' }, { $ref: '#/components/schemas/Animal' }], properties: { kind: { type: 'string' }, species: { type: 'string' } } },
        },
      },
      Animal: { type: 'object', properties: { species: { type: 'string' } }, discriminator: { propertyName: 'species' } },
      Pet: { type: 'object', properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind' } },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }], type: 'object', properties: { kind: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' }, shared: line } },
    },
  );
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

describe('the input handed to openapi-typescript', () => {
  it('is prepared in place exactly as on a copy, shared objects included', () => {
    const spec = everythingPrepared();
    const onCopy = JSON.stringify(prepareForOpenApiTypescript(spec));
    expect(JSON.stringify(prepareForOpenApiTypescript(markReferencedVisibility(spec), { inPlace: true }))).toBe(
      JSON.stringify(prepareForOpenApiTypescript(structuredClone(markReferencedVisibility(spec)))),
    );
    expect(JSON.stringify(prepareForOpenApiTypescript(structuredClone(spec), { inPlace: true }))).toBe(onCopy);
    expect(onCopy).toContain('"$ref":"#/components/schemas/components.schemas.Order.definitions.line"');
  });

  it('is made without touching the spec (which is also served as written)', async () => {
    const spec = deepFreeze(everythingPrepared()); // any write to it throws
    expect(await generateOpenApiTypes(spec, '')).toBe(await generateOpenApiTypes(everythingPrepared(), ''));
  });
});
