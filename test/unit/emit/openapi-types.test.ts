import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateOpenApiTypes } from '../../../src/emit/openapi-types.js';
import { prepareForOpenApiTypescript } from '../../../src/emit/openapi-types-input.js';

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
