import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { DomainModelDocument } from '../../../src/load/domain-model-types.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';

function build(document: DomainModelDocument) {
  return buildDomainModel({ path: 'domain.yaml', document, locate: (path) => ({ file: 'domain.yaml', pointer: `/${path.join('/')}` }) });
}

function problems(document: DomainModelDocument): Diagnostic[] {
  try {
    build(document);
  } catch (error) {
    if (error instanceof ScaffoldError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

const item = (fields: Record<string, unknown>, rest: Record<string, unknown> = {}) => JSON.parse(JSON.stringify({ schemaVersion: 1, entities: { Item: { fields, ...rest } } })) as DomainModelDocument;

describe('names a domain model shares with what every object inherits', () => {
  it.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'constructor'])('reports a field named %s, located, instead of a class that does not compile', (name) => {
    expect(problems(item({ [name]: { type: 'string' } })).map((d) => [d.code, d.location?.pointer])).toEqual([['SCF013', `/entities/Item/fields/${name}`]]);
  });

  it('reports a transition named like a field or like an inherited member', () => {
    const machine = { stateMachine: { field: 'status', initial: 'a', transitions: { label: { from: 'a', to: 'b' }, constructor: { from: 'b', to: 'a' } } } };
    const found = problems(item({ label: { type: 'string' }, status: { type: 'enum', values: ['a', 'b'] } }, machine));
    expect(found.map((d) => [d.code, d.location?.pointer])).toEqual([
      ['SCF013', '/entities/Item/stateMachine/transitions/label'],
      ['SCF013', '/entities/Item/stateMachine/transitions/constructor'],
    ]);
  });

  it('takes such names as enum values, invariant names, states, resources and API names of fields', () => {
    const document = JSON.parse(
      JSON.stringify({
        schemaVersion: 1,
        entities: {
          Item: {
            fields: { label: { type: 'string' }, amount: { type: 'integer' }, status: { type: 'enum', values: ['toString', 'valueOf', '__proto__'] } },
            invariants: [{ name: 'constructor', check: 'amount >= 0' }],
            stateMachine: { field: 'status', initial: 'toString', transitions: { promote: { from: 'toString', to: '__proto__' } } },
          },
        },
        mapping: { constructor: { entity: 'Item', fields: { toString: 'label' } } },
      }).replace(/}}$/, ',"__proto__":"Item"}}'),
    ) as DomainModelDocument;
    const model = build(document);
    expect(Object.keys(model.mapping)).toEqual(['constructor', '__proto__']);
    expect(model.mapping['constructor']?.fields['toString']).toBe('label');
    expect(model.entities[0]?.stateMachine?.states).toEqual(['toString', 'valueOf', '__proto__']);
  });

  it('reports a mapping to an entity or a field named like an inherited member, which the model does not have', () => {
    const document = JSON.parse(JSON.stringify({ schemaVersion: 1, entities: { Item: { fields: { label: { type: 'string' } } } }, mapping: { Items: { entity: 'Item', fields: { a: 'toString' } }, Other: 'toString' } })) as DomainModelDocument;
    expect(problems(document).map((d) => [d.code, d.location?.pointer])).toEqual([
      ['SCF031', '/mapping/Items/fields/a'],
      ['SCF031', '/mapping/Other'],
    ]);
  });
});

describe('entities inferred from properties named like inherited members', () => {
  it('keeps every such property as a field of its own name plus Value, mapped from the API name', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadSpec } = await import('../../../src/load/load-spec.js');
    const { buildModel } = await import('../../../src/model/build-model.js');
    const { inferDomainModel } = await import('../../../src/model/infer/infer-domain.js');
    const names = ['toString', 'valueOf', 'hasOwnProperty', 'constructor'];
    const properties = Object.fromEntries([['id', { type: 'string', format: 'uuid' }], ...names.map((name) => [name, { type: 'string' }])]);
    const spec = {
      openapi: '3.0.3',
      info: { title: 'inferred', version: '1' },
      paths: { '/items/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } } } } },
      components: { schemas: { Item: { type: 'object', required: ['id', 'toString'], properties } } },
    };
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-inherited-'));
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(spec));
    const { domain } = inferDomainModel(buildModel(await loadSpec(join(dir, 'openapi.json'))).model);
    expect(domain?.entities[0]?.fields.map((f) => `${f.names.camel}${f.required ? '' : '?'}`)).toEqual(['toStringValue', 'valueOfValue?', 'hasOwnPropertyValue?', 'constructorValue?']);
    expect(Object.keys(domain?.mapping ?? {})).toEqual(['items']);
    expect({ ...domain?.mapping['items']?.fields }).toEqual({ toString: 'toStringValue', valueOf: 'valueOfValue', hasOwnProperty: 'hasOwnPropertyValue', constructor: 'constructorValue' });
  });
});
