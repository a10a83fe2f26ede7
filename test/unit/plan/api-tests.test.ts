import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema } from '../../../src/model/domain/relational-schema.js';
import { buildApiTests, type ApiTestFile, type ApiTestsView } from '../../../src/plan/api-tests.js';
import { buildPersistenceView } from '../../../src/plan/persistence-view.js';
import { REPO_ROOT } from '../../support/fixtures.js';

async function apiTests(specPath: string, modelPath: string): Promise<ApiTestsView> {
  const { model } = buildModel(await loadSpec(specPath));
  const domain = buildDomainModel(await loadDomainModel(modelPath));
  return buildApiTests(model, bindOperations(model, domain), domain, buildPersistenceView(domain, relationalSchema(domain)));
}

async function apiTestsOf(spec: string, domain: string): Promise<ApiTestsView> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-api-tests-'));
  await writeFile(join(dir, 'openapi.yaml'), spec);
  await writeFile(join(dir, 'domain.yaml'), domain);
  return apiTests(join(dir, 'openapi.yaml'), join(dir, 'domain.yaml'));
}

/** `operationId -> test titles`, from the group titles `operationId: METHOD /path`. */
function titles(file: ApiTestFile | undefined): Record<string, string[]> {
  return Object.fromEntries((file?.groups ?? []).map((g) => [JSON.parse(g.title).split(':')[0], g.cases.map((c) => JSON.parse(c.title) as string)]));
}

function file(view: ApiTestsView, stem: string): ApiTestFile {
  const found = view.files.find((f) => f.fileStem === stem);
  if (!found) throw new Error(`no API tests for ${stem}`);
  return found;
}

describe('API tests of the e-commerce design', async () => {
  const view = await apiTests(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);

  it('test every implemented operation, and leave none out', () => {
    const tested = view.files.flatMap((f) => Object.keys(titles(f)));
    expect(tested.sort()).toEqual(
      [
        'listProducts', 'createProduct', 'getProduct', 'updateProduct', 'deleteProduct', 'getProductInventory', 'setProductInventory',
        'listCustomers', 'createCustomer', 'getCustomer', 'replaceCustomer', 'deleteCustomer', 'listCustomerOrders', 'listOrders',
        'createOrder', 'getOrder', 'updateOrder', 'cancelOrder', 'shipOrder', 'deliverOrder', 'createOrderPayment', 'getPayment',
      ].sort(),
    );
    expect(view.files.flatMap((f) => f.omitted)).toEqual([]);
  });

  it('cover reading back, paging, optimistic locking, deletion and unknown ids', () => {
    expect(titles(file(view, 'products'))).toMatchObject({
      createProduct: ['creates a Product from a valid body and reads it back (getProduct)'],
      listProducts: ['lists the Products it created a page at a time, with their total'],
      updateProduct: ['changes only the fields it is sent (name)', 'refuses a stale version with 409 and changes nothing', 'answers 404 for an unknown id'],
      // A product holding reserved stock may not be deleted (deleteRefusedWhile): tried with stock reserved.
      deleteProduct: ['deletes a Product, which is then gone', 'refuses the delete with 409 PRODUCT_HAS_RESERVED_STOCK while inventory where reserved > 0 hold it', 'answers 404 for an unknown id'],
    });
  });

  it('reach the states a transition starts from, and one it does not', () => {
    expect(titles(file(view, 'orders'))).toMatchObject({
      cancelOrder: ['performs "cancel" from pending: the Order is then cancelled', 'refuses "cancel" from cancelled with 409', 'answers 404 for an unknown id'],
      shipOrder: ['performs "ship" from paid: the Order is then shipped', 'refuses "ship" from pending with 409', 'answers 404 for an unknown id'],
    });
    const ship = file(view, 'orders').groups.find((g) => g.title.startsWith('"shipOrder'))?.cases[0]?.body ?? '';
    expect(ship).toContain('stored.pay();');
  });

  it('create the records a body refers to first, and make unique fields unique', () => {
    const helpers = file(view, 'orders').helpers.join('\n');
    expect(helpers).toContain('const customer = parents.customer ?? (await sampleCustomer(api.repositories));');
    expect(helpers).toContain('items: [{ productId: parents.product.id, quantity: 1 }]');
    expect(file(view, 'customers').helpers.join('\n')).toContain('email: `user${n}@example.com`');
  });

  it('retry an operation with an Idempotency-Key, send the key with another body, and send one key twice at once', () => {
    const idempotent = ['replays a retry with the same Idempotency-Key, and refuses the key with another body (409)', 'runs two concurrent requests with one Idempotency-Key once'];
    expect(titles(file(view, 'orders')).createOrder).toEqual(expect.arrayContaining(idempotent));
    expect(titles(file(view, 'payments')).createOrderPayment).toEqual(expect.arrayContaining(idempotent));
    expect(titles(file(view, 'products')).createProduct).not.toEqual(expect.arrayContaining([idempotent[0]]));
    const orders = file(view, 'orders');
    const replay = orders.groups.find((g) => g.title.startsWith('"createOrder'))?.cases.find((c) => c.title.includes('replays'))?.body ?? '';
    expect(replay).toContain(`headers: { "idempotency-key": key }, body });`);
    expect(replay).toContain(`expect(retry.headers['idempotent-replayed']).toBe('true');`);
    // The other body differs from the first (the variant values of the changes' tests).
    expect(replay).toMatch(/await api\.send\(409, "createOrder", \{ url: "\/api\/v1\/orders", headers: \{ "idempotency-key": key \}, body: \{ customerId: customer\.id, items: \[\{ productId: product\.id, quantity: 2 \}\]/);
    expect(orders.imports).toContain(`import { randomUUID } from 'node:crypto';`);
  });

  it('roll a generated service method back with the unit of work it runs in', () => {
    expect(view.serviceRollback).toMatchObject({ baseClass: 'ProductsServiceBase', methodName: 'createProduct', repository: 'products', usesRunningNumber: true });
  });
});

describe('API tests of a library (serial ids, no envelope, offset paging, soft delete)', async () => {
  const view = await apiTests(`${REPO_ROOT}/test/fixtures/crud/library/openapi.yaml`, `${REPO_ROOT}/test/fixtures/crud/library/domain.yaml`);

  it('page with offset and limit, and list a nested collection by its parent', () => {
    const authors = file(view, 'authors');
    const list = authors.groups.find((g) => g.title.startsWith('"listAuthors'))?.cases[0]?.body ?? '';
    // (The plan's code, before prettier formats the file.)
    expect(list).toContain('query: {"offset":"0","limit":"1"}');
    expect(list).toContain('{ offset: "offset", limit: "limit" }, 50, (body: Json) => body);');
    expect(titles(file(view, 'books')).listAuthorBooks).toEqual(['lists the Books of one Author, and only those', 'answers 404 for an unknown Author']);
  });

  it('follow the next cursor through a pagination wrapper, and refuse a forged cursor', () => {
    const books = file(view, 'books');
    const list = books.groups.find((g) => g.title.startsWith('"listBooks'))?.cases ?? [];
    expect(list[0]?.body).toContain('{ cursor: "cursor", limit: "limit", next: (body: Json) => body.nextCursor }, 100, (body: Json) => body.items);');
    expect(list[0]?.body).toContain('expect(page).toMatchObject({ hasMore: true });');
    expect(list[1]?.title).toBe('"answers 400 for a cursor it did not issue"');
    expect(titles(books).listAuthorBooks).toEqual(['lists the Books of one Author, and only those', 'answers 404 for an unknown Author']);
    expect(books.groups.find((g) => g.title.startsWith('"listAuthorBooks'))?.cases[0]?.body).toContain('expect(list).toMatchObject({ total: 1 });');
  });

  it('replace with the current version, and refuse a stale one', () => {
    expect(titles(file(view, 'authors')).replaceAuthor).toEqual(['replaces the fields of an Author', 'refuses a stale version with 409 and changes nothing', 'answers 404 for an unknown id']);
  });

  it('make a unique value of a pattern by numbering its digits', () => {
    expect(file(view, 'books').helpers.join('\n')).toContain("isbn: `000-${String(n).padStart(10, '0')}`");
  });

  it('expect no 409 the contract check would refuse, and say so', () => {
    expect(titles(file(view, 'books')).withdrawBook).toEqual(['performs "withdraw" from published: the Book is then withdrawn', 'answers 404 for an unknown id']);
    expect(file(view, 'books').omitted).toEqual(['withdrawBook: no test of a refused "withdraw": the spec declares no 409 with a body for it, which the contract check requires.']);
  });
});

const SPEC = (security: string, isbn: string) => `
openapi: 3.1.0
info: { title: Shelf, version: 1.0.0 }
${security}
paths:
  /books:
    post:
      operationId: createBook
      tags: [Books]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [isbn]
              properties:
                isbn: { type: string, pattern: '${isbn}' }
      responses:
        '201':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Book' } } }
  /books/{id}:
    get:
      operationId: getBook
      tags: [Books]
      parameters: [{ name: id, in: path, required: true, schema: { type: string, format: uuid } }]
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Book' } } }
components:
  securitySchemes:
    basic: { type: http, scheme: basic }
  schemas:
    Book:
      type: object
      required: [id, isbn]
      properties:
        id: { type: string, format: uuid }
        isbn: { type: string }
`;

const DOMAIN = `
schemaVersion: 1
entities:
  Book:
    fields:
      isbn: { type: string, unique: true }
`;

describe('API tests that cannot be derived with confidence', () => {
  it('are left out, with the reason, when no body value fits', async () => {
    const view = await apiTestsOf(SPEC('', '^(?=97)[0-9]{13}$'), DOMAIN);
    const books = file(view, 'books');
    expect(titles(books)).toEqual({ getBook: ['answers 404 for an unknown id'] });
    expect(books.omitted).toEqual(['createBook: no distinct values for "isbn" fit both the spec and the model.']);
  });

  it('are left out when the tests cannot make the credentials an operation needs', async () => {
    const view = await apiTestsOf(SPEC('security: [{ basic: [] }]', '^[0-9]{13}$'), DOMAIN);
    expect(view.files).toEqual([]);
  });

  it('are generated once a body can be derived', async () => {
    const view = await apiTestsOf(SPEC('', '^[0-9]{13}$'), DOMAIN);
    expect(titles(file(view, 'books'))).toEqual({
      createBook: ['creates a Book from a valid body and reads it back (getBook)'],
      getBook: ['answers 404 for an unknown id'],
    });
    expect(file(view, 'books').helpers.join('\n')).toContain("isbn: `${String(n).padStart(13, '0')}`");
  });
});
