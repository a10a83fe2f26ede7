import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { relationalSchema } from '../../../src/model/domain/relational-schema.js';
import { inferDomainModel } from '../../../src/model/infer/infer-domain.js';
import { buildPersistenceView } from '../../../src/plan/persistence-view.js';

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

describe('what inference must not get wrong (issue 14, item 12)', () => {
  const USER_MANAGEMENT = `${REPO_ROOT}/examples/user-management/openapi.yaml`;

  it('never searches a write-only or secret-looking field with the free-text `q`', async () => {
    const { model, domain } = await infer(USER_MANAGEMENT);
    const user = domain?.entities.find((e) => e.names.original === 'User');
    expect(user?.fields.find((f) => f.names.camel === 'password')?.secret).toBe(true);
    const crud = bindOperations(model, domain as NonNullable<typeof domain>);
    const list = crud.operations.get('listUsers')?.implementation;
    const search = list?.kind === 'crud' ? list.operation.list?.filters.find((f) => f.operator === 'search') : undefined;
    expect(search?.fields).toEqual(['email', 'displayName']);
    const persistence = buildPersistenceView(domain as NonNullable<typeof domain>, relationalSchema(domain as NonNullable<typeof domain>));
    expect(persistence.repositories.find((r) => r.entityClass === 'User')?.searchColumns).toEqual(['email', 'displayName']);
  });

  it('takes a secret from its name or writeOnly, and neither searches nor filters by it', async () => {
    const { model, domain } = await inferText(`
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /keys:
    get:
      operationId: listKeys
      tags: [Keys]
      parameters:
        - { name: q, in: query, schema: { type: string } }
        - { name: tokenHash, in: query, schema: { type: string } }
        - { name: label, in: query, schema: { type: string } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Key' } } } } }
components:
  schemas:
    Key:
      type: object
      required: [id, label, tokenHash, apiKey, pin]
      properties:
        id: { type: integer }
        label: { type: string }
        tokenHash: { type: string }
        apiKey: { type: string }
        pin: { type: string, writeOnly: true }
`);
    expect(domain?.entities[0]?.fields.map((f) => `${f.names.camel}${f.secret ? ' (secret)' : ''}`)).toEqual(['label', 'tokenHash (secret)', 'apiKey (secret)', 'pin (secret)']);
    const crud = bindOperations(model, domain as NonNullable<typeof domain>);
    const list = crud.operations.get('listKeys')?.implementation;
    const filters = list?.kind === 'crud' ? list.operation.list : undefined;
    expect(filters?.filters.map((f) => `${f.parameter}: ${f.fields.join(', ')}`)).toEqual(['q: label', 'label: label']);
    expect(filters?.unsupported).toEqual(['tokenHash']);
  });

  it('leaves HATEOAS links out of the stored fields: they are computed', async () => {
    const { domain } = await infer(USER_MANAGEMENT);
    for (const entity of domain?.entities ?? []) expect(entity.fields.map((f) => f.names.camel)).not.toContain('links');
  });

  it('stores a nullable property in a column that may be empty', async () => {
    const { domain } = await infer(USER_MANAGEMENT);
    const user = domain?.entities.find((e) => e.names.original === 'User');
    const session = domain?.entities.find((e) => e.names.original === 'Session');
    expect(user?.fields.find((f) => f.names.camel === 'lastLoginAt')?.required).toBe(false);
    expect(session?.fields.find((f) => f.names.camel === 'ipAddress')?.required).toBe(false);
    expect(session?.fields.find((f) => f.names.camel === 'current')?.required).toBe(true);
    const users = relationalSchema(domain as NonNullable<typeof domain>).tables.find((t) => t.name === 'users');
    expect(users?.columns.find((c) => c.name === 'last_login_at')?.nullable).toBe(true);
    expect(users?.columns.map((c) => c.name)).not.toContain('links');
  });

  it('makes no table of a response-only schema such as the current user', async () => {
    const { domain, skipped } = await infer(USER_MANAGEMENT);
    expect(domain?.entities.map((e) => e.names.original)).toEqual(['User', 'Session', 'Role']);
    expect(skipped).toContainEqual({ schema: 'CurrentUser', reason: 'only GET /auth/me returns it, with no id in its path and not in a list: a view, not a stored resource' });
  });

  it('sets a read-only createdAt on the server, so creating needs no value for it', async () => {
    const { model, domain } = await inferText(`
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /notes:
    post:
      operationId: createNote
      tags: [Notes]
      requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } }
      responses:
        '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } }
  /notes/{id}:
    get:
      operationId: getNote
      tags: [Notes]
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } }
components:
  schemas:
    Note:
      type: object
      required: [id, text, createdAt]
      properties:
        id: { type: integer, readOnly: true }
        text: { type: string }
        createdAt: { type: string, format: date-time, readOnly: true }
`);
    const note = domain?.entities[0];
    expect(note).toMatchObject({ timestamps: true });
    expect(note?.fields.map((f) => f.names.camel)).toEqual(['text']);
    const crud = bindOperations(model, domain as NonNullable<typeof domain>);
    expect(crud.operations.get('createNote')?.implementation.kind).toBe('crud');
  });
});
