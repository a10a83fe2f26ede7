import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { inferDomainModel } from '../../../src/model/infer/infer-domain.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

async function infer(specPath: string) {
  const { model } = buildModel(await loadSpec(specPath));
  return { model, ...inferDomainModel(model) };
}

async function inferText(spec: string) {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-infer-'));
  await writeFile(join(dir, 'openapi.yaml'), spec);
  return infer(join(dir, 'openapi.yaml'));
}

describe('entities inferred from a spec without a domain model', () => {
  it('come from the schemas the petstore returns that have an id', async () => {
    const { domain, skipped } = await infer(`${REPO_ROOT}/examples/petstore/openapi.yaml`);
    expect(domain?.entities.map((e) => `${e.names.original} (${e.identity})`)).toEqual(['Pet (serial)', 'Order (serial)', 'User (serial)']);
    expect(skipped).toEqual([{ schema: 'ApiResponse', reason: 'it has no integer or uuid "id" property' }]);
    const pet = domain?.entities.find((e) => e.names.original === 'Pet');
    expect(pet?.fields.map((f) => `${f.names.camel}:${typeof f.type === 'string' ? f.type : 'vo'}${f.required ? '' : '?'}`)).toEqual([
      'category:json?',
      'name:text',
      'photoUrls:json',
      'tags:json?',
      'status:enum?',
    ]);
    expect(pet?.fields.find((f) => f.names.camel === 'status')?.values).toEqual(['available', 'pending', 'sold']);
    expect(pet?.relations).toEqual([]);
    expect(pet?.stateMachine).toBeUndefined();
  });

  it('makes a property that keys an item path unique, so the path can find by it', async () => {
    const { domain } = await infer(`${REPO_ROOT}/examples/petstore/openapi.yaml`);
    const user = domain?.entities.find((e) => e.names.original === 'User');
    expect(user?.fields.find((f) => f.names.camel === 'username')?.unique).toBe(true);
  });

  it('gives the petstore working CRUD where its operations are resource-shaped', async () => {
    const { model, domain } = await infer(`${REPO_ROOT}/examples/petstore/openapi.yaml`);
    const crud = bindOperations(model, domain as NonNullable<typeof domain>);
    const implemented = [...crud.operations.values()].filter((e) => e.implementation.kind !== 'stub').map((e) => e.operationId);
    expect(implemented).toEqual(['addPet', 'findPetsByStatus', 'getPetById', 'deletePet', 'placeOrder', 'getOrderById', 'deleteOrder', 'createUser', 'getUserByName', 'updateUser', 'deleteUser']);
    const getUser = crud.operations.get('getUserByName')?.implementation;
    expect(getUser?.kind === 'crud' && getUser.operation.idField).toBe('username');
  });

  it('renames properties that are not identifiers or that the entity class uses, and maps the API names', async () => {
    const { domain } = await inferText(`
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /widgets/{id}:
    get:
      operationId: getWidget
      tags: [Widgets]
      parameters: [{ name: id, in: path, required: true, schema: { type: string, format: uuid } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Widget' } } } }
components:
  schemas:
    Widget:
      type: object
      required: [id]
      properties:
        id: { type: string, format: uuid }
        display_name: { type: string }
        update: { type: boolean }
        createdAt: { type: string, format: date-time }
        updatedAt: { type: string, format: date-time }
`);
    const widget = domain?.entities[0];
    expect(widget).toMatchObject({ identity: 'uuid', timestamps: true });
    expect(widget?.fields.map((f) => f.names.camel)).toEqual(['displayName', 'updateValue']);
    expect(domain?.mapping.Widgets).toEqual({ entity: 'Widget', fields: { display_name: 'displayName', update: 'updateValue' } });
  });

  it('leaves out schemas whose names would shadow JavaScript classes', async () => {
    const { domain, skipped } = await inferText(`
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /errors/{id}:
    get:
      operationId: getError
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
components:
  schemas:
    Error: { type: object, properties: { id: { type: integer } } }
`);
    expect(domain).toBeUndefined();
    expect(skipped).toEqual([{ schema: 'Error', reason: '"Error" cannot name an entity class' }]);
  });
});

describe('entities inferred from pagination wrappers', () => {
  it('come from the items a collection pages over, and the list is bound through the wrapper', async () => {
    const { model, domain } = await inferText(`
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /widgets:
    get:
      operationId: listWidgets
      tags: [Widgets]
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1 } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items, next_cursor]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Widget' } }
                  next_cursor: { type: string, nullable: true }
components:
  schemas:
    Widget:
      type: object
      required: [id, name]
      properties:
        id: { type: integer }
        name: { type: string }
`);
    expect(domain?.entities.map((e) => e.names.original)).toEqual(['Widget']);
    const crud = bindOperations(model, domain as NonNullable<typeof domain>);
    const list = crud.operations.get('listWidgets')?.implementation;
    expect(list?.kind === 'crud' && list.operation.list).toMatchObject({
      paging: { style: 'cursor', cursor: 'cursor', limit: 'limit' },
      wrapper: { items: 'items', members: [{ property: 'next_cursor', value: 'nextCursor', nullable: true }] },
    });
  });
});
