import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import type { CrudModel, CrudOperation } from '../../../src/model/crud/types.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

async function bind(specPath: string, modelPath: string): Promise<CrudModel> {
  const { model } = buildModel(await loadSpec(specPath));
  return bindOperations(model, buildDomainModel(await loadDomainModel(modelPath)));
}

async function bindText(spec: string, domain: string): Promise<CrudModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-crud-'));
  await writeFile(join(dir, 'openapi.yaml'), spec);
  await writeFile(join(dir, 'domain.yaml'), domain);
  return bind(join(dir, 'openapi.yaml'), join(dir, 'domain.yaml'));
}

/** `operationId -> "crud list Product"` or `"stub: <reason>"`. */
function summary(crud: CrudModel): Record<string, string> {
  return Object.fromEntries(
    [...crud.operations.values()].map((entry) => {
      const i = entry.implementation;
      return [entry.operationId, i.kind === 'stub' ? `stub: ${i.reason}` : i.kind === 'sign-in' ? `sign-in ${i.step}` : `${i.kind} ${i.operation.kind} ${i.operation.entity}`];
    }),
  );
}

function operation(crud: CrudModel, operationId: string): CrudOperation {
  const implementation = crud.operations.get(operationId)?.implementation;
  if (!implementation || !('operation' in implementation)) throw new Error(`${operationId} is not implemented`);
  return implementation.operation;
}

describe('resource-shaped operations of the e-commerce design', () => {
  it('are all recognized as CRUD or domain actions', async () => {
    const crud = await bind(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);
    expect(summary(crud)).toEqual({
      listProducts: 'crud list Product',
      createProduct: 'crud create Product',
      getProduct: 'crud get Product',
      updateProduct: 'crud update Product',
      deleteProduct: 'crud delete Product',
      getProductInventory: 'crud get InventoryItem',
      setProductInventory: 'crud replace InventoryItem',
      listCustomers: 'crud list Customer',
      createCustomer: 'crud create Customer',
      getCustomer: 'crud get Customer',
      replaceCustomer: 'crud replace Customer',
      deleteCustomer: 'crud delete Customer',
      listCustomerOrders: 'crud list Order',
      listOrders: 'crud list Order',
      createOrder: 'crud create Order',
      getOrder: 'crud get Order',
      updateOrder: 'crud update Order',
      cancelOrder: 'domain action Order',
      shipOrder: 'domain action Order',
      deliverOrder: 'domain action Order',
      createOrderPayment: 'crud create Payment',
      getPayment: 'crud get Payment',
    });
  });

  it('binds nested and singleton paths to the relation they go through', async () => {
    const crud = await bind(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);
    expect(operation(crud, 'listCustomerOrders').scope).toEqual({ relation: 'customer', parameter: 'customerId', parentEntity: 'Customer' });
    expect(operation(crud, 'getProductInventory')).toMatchObject({ singleton: true, scope: { relation: 'product', parameter: 'productId' } });
    expect(operation(crud, 'cancelOrder')).toMatchObject({ transition: 'cancel', idParameter: 'id' });
  });

  it('maps paging, sorting (through the mapping aliases), filters, ranges and search from the query parameters', async () => {
    const crud = await bind(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);
    const products = operation(crud, 'listProducts').list;
    expect(products?.paging).toEqual({ style: 'page', page: 'page', size: 'pageSize', defaultSize: 20 });
    expect(products?.sort).toEqual({ parameter: 'sort', fields: { name: 'name', price: 'priceCents', createdAt: 'createdAt' }, defaultValue: '-createdAt' });
    expect(products?.filters.map((f) => `${f.parameter} ${f.operator} ${f.fields.join('|')}`)).toEqual([
      'category eq category',
      'minPrice gte priceCents',
      'maxPrice lte priceCents',
      'q search sku|name|description|category|currency',
      'active eq active',
      'ids in id',
    ]);
    expect(products?.ignored).toEqual(['fields']);
    const orders = operation(crud, 'listOrders').list;
    expect(orders?.filters.map((f) => `${f.parameter} ${f.operator} ${f.fields.join('|')} ${f.conversion}`)).toEqual([
      'status eq status none',
      'customerId eq customerId none',
      'createdAfter gte createdAt string-to-date',
      'createdBefore lte createdAt string-to-date',
      'totalCents range totalCents none',
    ]);
    expect(orders?.meta.map((m) => `${m.property}=${m.value}`)).toEqual(['page=page', 'pageSize=size', 'total=total', 'totalPages=totalPages']);
  });

  it('creates an order with its items, prices copied from the products', async () => {
    const crud = await bind(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);
    const [items] = operation(crud, 'createOrder').childInputs;
    expect(items).toMatchObject({ property: 'items', relation: 'items', entity: 'OrderItem', inverse: 'order' });
    expect(items?.input.map((i) => `${i.property}->${i.field}`)).toEqual(['productId->productId', 'quantity->quantity']);
  });

  it('maps request bodies onto fields, values objects included, and notes what it cannot store', async () => {
    const crud = await bind(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, `${REPO_ROOT}/examples/ecommerce/domain.yaml`);
    expect(operation(crud, 'updateProduct')).toMatchObject({ versionProperty: 'version', ifMatch: 'If-Match', etag: true });
    expect(operation(crud, 'getProduct')).toMatchObject({ ifMatch: undefined, etag: true });
    expect(operation(crud, 'getCustomer')).toMatchObject({ etag: false });
    expect(operation(crud, 'updateOrder').input.map((i) => `${i.property}->${i.field} ${i.kind}`)).toEqual(['shippingAddress->shippingAddress value-object', 'note->note field']);
    expect(operation(crud, 'cancelOrder').input.map((i) => `${i.property}->${i.field}`)).toEqual(['reason->cancellationReason']);
    expect(crud.operations.get('createOrderPayment')?.notes).toEqual([]);
    // A request property without a field is noted (here one added to the payment's body).
    const spec = (await readFile(`${REPO_ROOT}/examples/ecommerce/openapi.yaml`, 'utf8')).replace(
      '    PaymentCreate:\n      type: object\n      additionalProperties: false\n      required: [method, amountCents, currency]\n      properties:\n',
      '    PaymentCreate:\n      type: object\n      additionalProperties: false\n      required: [method, amountCents, currency]\n      properties:\n        giftMessage: { type: string }\n',
    );
    const noted = await bindText(spec, await readFile(`${REPO_ROOT}/examples/ecommerce/domain.yaml`, 'utf8'));
    expect(noted.operations.get('createOrderPayment')?.notes).toEqual(['request property "giftMessage" is accepted but not stored (no field of Payment)']);
  });
});

const LIBRARY_DOMAIN = `
schemaVersion: 1
entities:
  Author:
    fields:
      name: { type: string }
    relations:
      books: { kind: one-to-many, target: Book, inverse: author }
  Book:
    fields:
      title: { type: string }
      isbn: { type: string, unique: true }
    relations:
      author: { kind: many-to-one, target: Author }
`;

function librarySpec(paths: string, schemas = ''): string {
  return `
openapi: 3.0.3
info: { title: Library, version: 1.0.0 }
paths:
${paths}
components:
  schemas:
    Book:
      type: object
      required: [id, title, isbn, authorId]
      properties:
        id: { type: string, format: uuid, readOnly: true }
        title: { type: string }
        isbn: { type: string }
        authorId: { type: string, format: uuid }
${schemas}
`;
}

describe('binding a spec onto a domain model', () => {
  it('lists a nested collection filtered by the relation its path goes through', async () => {
    const crud = await bindText(
      librarySpec(`
  /authors/{authorId}/books:
    get:
      operationId: listAuthorBooks
      tags: [Books]
      parameters:
        - { name: authorId, in: path, required: true, schema: { type: string, format: uuid } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Book' } }
`),
      LIBRARY_DOMAIN,
    );
    expect(operation(crud, 'listAuthorBooks')).toMatchObject({ kind: 'list', entity: 'Book', scope: { relation: 'author', parameter: 'authorId', parentEntity: 'Author' } });
  });

  it('reports a resource that no entity is named after, and never guesses', async () => {
    const crud = await bindText(
      librarySpec(`
  /loans:
    get:
      operationId: listLoans
      tags: [Loans]
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { type: object } } } } }
`),
      LIBRARY_DOMAIN,
    );
    expect(summary(crud).listLoans).toMatch(/^stub: no entity for resource "Loans"/);
    expect(crud.unmapped.map((u) => u.resource)).toEqual(['Loans']);
  });

  it('takes the entity from x-scaffold-entity when the names do not say it', async () => {
    const crud = await bindText(
      librarySpec(`
  /titles:
    get:
      operationId: listTitles
      tags: [Catalogue]
      x-scaffold-entity: Book
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Book' } } } } }
`),
      LIBRARY_DOMAIN,
    );
    expect(summary(crud).listTitles).toBe('crud list Book');
  });

  it('leaves an operation a stub when its response requires what the entity does not have', async () => {
    const crud = await bindText(
      librarySpec(
        `
  /books/{id}:
    get:
      operationId: getBook
      tags: [Books]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/BookWithRating' } } } }
`,
        `
    BookWithRating:
      type: object
      required: [id, rating]
      properties:
        id: { type: string }
        rating: { type: number }
`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(crud).getBook).toBe('stub: the response requires "rating", which Book does not have (add a field or a computed value, or map it in the model\'s mapping)');
  });

  it('refuses to create from a body that leaves a required field without a value', async () => {
    const crud = await bindText(
      librarySpec(`
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
              required: [title, authorId]
              properties:
                title: { type: string }
                isbn: { type: string }
                authorId: { type: string, format: uuid }
      responses:
        '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Book' } } } }
`),
      LIBRARY_DOMAIN,
    );
    expect(summary(crud).createBook).toBe('stub: "isbn" is optional in the request, but Book.isbn is required and has no default');
  });

  it('does not fit a response enum that lacks one of the entity\'s values', async () => {
    const crud = await bindText(
      librarySpec(
        `
  /books/{id}:
    get:
      operationId: getBook
      tags: [Books]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/BookState' } } } }
`,
        `
    BookState:
      type: object
      required: [state]
      properties:
        state: { type: string, enum: [draft] }
`,
      ),
      LIBRARY_DOMAIN.replace('title: { type: string }', 'title: { type: string }\n      state: { type: enum, values: [draft, published] }'),
    );
    expect(summary(crud).getBook).toBe('stub: "state" of the response does not fit Book.state (one of draft, published)');
  });
});

/** A list of books answering `schema` (YAML, indented for the response) with the given query parameters. */
function bookList(schema: string, parameters: string[] = []): string {
  return librarySpec(`
  /books:
    get:
      operationId: listBooks
      tags: [Books]
      parameters:${parameters.length === 0 ? ' []' : parameters.map((p) => `\n        - ${p}`).join('')}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
${schema}
`);
}

const CURSOR = '{ name: cursor, in: query, schema: { type: string } }';
const LIMIT = '{ name: limit, in: query, schema: { type: integer, minimum: 1, default: 10 } }';

describe('list responses and their paging', () => {
  it('find the items in a pagination wrapper and fill the members beside them', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [items, total]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  total: { type: integer }
                  offset: { type: integer }
                  hasMore: { type: boolean }`,
        ['{ name: offset, in: query, schema: { type: integer } }', LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'offset', offset: 'offset', limit: 'limit', defaultSize: 10 });
    expect(list?.wrapper).toEqual({
      items: 'items',
      members: [
        { property: 'total', value: 'total', nullable: false },
        { property: 'offset', value: 'offset', nullable: false },
        { property: 'hasMore', value: 'hasMore', nullable: false },
      ],
    });
  });

  it('page with an opaque cursor and a limit, giving the next cursor in the wrapper', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [results, nextCursor]
                properties:
                  results: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  nextCursor: { type: string, nullable: true }`,
        [CURSOR, LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'cursor', cursor: 'cursor', limit: 'limit', defaultSize: 10 });
    expect(list?.wrapper).toEqual({ items: 'results', members: [{ property: 'nextCursor', value: 'nextCursor', nullable: true }] });
    expect(list?.unsupported).toEqual([]);
  });

  it('find a wrapper inside the envelope, with the cursor in its meta', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [success, data, meta]
                properties:
                  success: { type: boolean }
                  data:
                    type: object
                    required: [books]
                    properties:
                      books: { type: array, items: { $ref: '#/components/schemas/Book' } }
                      tags: { type: array, items: { type: string } }
                  meta:
                    type: object
                    properties:
                      nextCursor: { type: string }
                      requestId: { type: string }`,
        [CURSOR, LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    const found = operation(crud, 'listBooks');
    expect(found.response.envelope).toBe(true);
    expect(found.list?.wrapper).toEqual({ items: 'books', members: [] });
    expect(found.list?.meta).toEqual([{ property: 'nextCursor', value: 'nextCursor', nullable: false }]);
  });

  it('stay stubs when a wrapper requires what scaffold cannot fill, or a cursor it could never leave out', async () => {
    const unknown = await bindText(
      bookList(
        `                type: object
                required: [items, facets]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  facets: { type: object }`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(unknown).listBooks).toBe('stub: the list\'s wrapper requires "facets", which scaffold cannot fill');
    // A member with a default is typed as always present (openapi-typescript), so it counts as required.
    const defaulted = await bindText(
      bookList(
        `                type: object
                required: [items]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta: { type: object, default: { found: 0 } }`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(defaulted).listBooks).toBe('stub: the list\'s wrapper requires "meta", which scaffold cannot fill');
    const endless = await bindText(
      bookList(
        `                type: object
                required: [items, nextCursor]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  nextCursor: { type: string }`,
        [CURSOR, LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(endless).listBooks).toBe('stub: the list\'s wrapper requires "nextCursor" even on the last page (declare it nullable)');
    const ambiguous = await bindText(
      bookList(
        `                type: object
                properties:
                  featured: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  recent: { type: array, items: { $ref: '#/components/schemas/Book' } }`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(ambiguous).listBooks).toBe('stub: its 200 response holds no array of Book');
  });

  it('take a cursor as unsupported, never as paging, when no response would give a next one', async () => {
    const crud = await bindText(bookList(`                { type: array, items: { $ref: '#/components/schemas/Book' } }`, [CURSOR, LIMIT]), LIBRARY_DOMAIN);
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toBeUndefined();
    expect(list?.unsupported).toEqual(['cursor', 'limit']);
  });
});

const PAGE = '{ name: page, in: query, schema: { type: integer, minimum: 1, default: 1 } }';
const PAGE_SIZE = '{ name: pageSize, in: query, schema: { type: integer, minimum: 1, default: 20 } }';
const PER_PAGE = '{ name: per_page, in: query, schema: { type: integer, minimum: 1, default: 20 } }';
const OFFSET = '{ name: offset, in: query, schema: { type: integer, minimum: 0 } }';

/** `property=value` of each page member, with the objects it is nested in (`meta.total=total`). */
function pageValues(members: { property: string; value: string; parents?: string[] }[] | undefined): string[] {
  return (members ?? []).map((m) => `${[...(m.parents ?? []), m.property].join('.')}=${m.value}`);
}

describe('the common list shapes without the house envelope', () => {
  it('fill { data, meta: { page, pageSize, total, totalPages } } beside the items', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [data, meta]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta:
                    type: object
                    required: [page, pageSize, total, totalPages]
                    properties:
                      page: { type: integer }
                      pageSize: { type: integer }
                      total: { type: integer }
                      totalPages: { type: integer }`,
        [PAGE, PAGE_SIZE],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'page', page: 'page', size: 'pageSize', defaultSize: 20 });
    expect(list?.wrapper?.items).toBe('data');
    expect(pageValues(list?.wrapper?.members)).toEqual(['meta.page=page', 'meta.pageSize=size', 'meta.total=total', 'meta.totalPages=totalPages']);
  });

  it('fill { items, total, page, pageSize } with the members beside the items', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [items, total, page, pageSize]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  total: { type: integer }
                  page: { type: integer }
                  pageSize: { type: integer }`,
        [PAGE, PAGE_SIZE],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.wrapper?.items).toBe('items');
    expect(pageValues(list?.wrapper?.members)).toEqual(['total=total', 'page=page', 'pageSize=size']);
  });

  it('fill { data, pagination: { ... } } in snake_case, with per_page, total_count, total_pages and has_more', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [data, pagination]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  pagination:
                    type: object
                    required: [current_page, per_page, total_count, total_pages, has_more]
                    properties:
                      current_page: { type: integer }
                      per_page: { type: integer }
                      total_count: { type: integer }
                      total_pages: { type: integer }
                      has_more: { type: boolean }`,
        [PAGE, PER_PAGE],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'page', page: 'page', size: 'per_page', defaultSize: 20 });
    expect(list?.wrapper?.items).toBe('data');
    expect(pageValues(list?.wrapper?.members)).toEqual([
      'pagination.current_page=page',
      'pagination.per_page=size',
      'pagination.total_count=total',
      'pagination.total_pages=totalPages',
      'pagination.has_more=hasMore',
    ]);
  });

  it('fill { results, count, limit, offset, next } paged by limit and offset (next as a flag)', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [results, count, limit, offset, next]
                properties:
                  results: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  count: { type: integer }
                  limit: { type: integer }
                  offset: { type: integer }
                  next: { type: boolean }`,
        [OFFSET, LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'offset', offset: 'offset', limit: 'limit', defaultSize: 10 });
    expect(pageValues(list?.wrapper?.members)).toEqual(['count=total', 'limit=size', 'offset=offset', 'next=hasMore']);
  });

  it('fill { data, meta: { totalCount, hasNextPage, nextCursor } } paged by a cursor', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [data, meta]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta:
                    type: object
                    required: [totalCount, hasNextPage, nextCursor]
                    properties:
                      totalCount: { type: integer }
                      hasNextPage: { type: boolean }
                      nextCursor: { type: string, nullable: true }`,
        [CURSOR, LIMIT],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'cursor', cursor: 'cursor', limit: 'limit', defaultSize: 10 });
    expect(pageValues(list?.wrapper?.members)).toEqual(['meta.totalCount=total', 'meta.hasNextPage=hasMore', 'meta.nextCursor=nextCursor']);
  });

  it('page by offset with a page size (per_page), filling { data, pagination: { current_page, per_page, total_count, offset } }', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [data, pagination]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  pagination:
                    type: object
                    required: [current_page, per_page, total_count, offset]
                    properties:
                      current_page: { type: integer }
                      per_page: { type: integer }
                      total_count: { type: integer }
                      offset: { type: integer }`,
        [OFFSET, PER_PAGE],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.paging).toEqual({ style: 'offset', offset: 'offset', limit: 'per_page', defaultSize: 20 });
    expect(pageValues(list?.wrapper?.members)).toEqual(['pagination.current_page=page', 'pagination.per_page=size', 'pagination.total_count=total', 'pagination.offset=offset']);
  });

  it('fill a page object named like a member, { content, page: { number, size, totalElements, totalPages } }', async () => {
    const crud = await bindText(
      bookList(
        `                type: object
                required: [content, page]
                properties:
                  content: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  page:
                    type: object
                    required: [number, size, totalElements, totalPages]
                    properties:
                      number: { type: integer }
                      size: { type: integer }
                      totalElements: { type: integer }
                      totalPages: { type: integer }`,
        [PAGE, PAGE_SIZE],
      ),
      LIBRARY_DOMAIN,
    );
    const list = operation(crud, 'listBooks').list;
    expect(list?.wrapper?.items).toBe('content');
    expect(pageValues(list?.wrapper?.members)).toEqual(['page.number=page', 'page.size=size', 'page.totalElements=total', 'page.totalPages=totalPages']);
  });

  it('stay stubs, with the nested member named, when they require what scaffold cannot fill', async () => {
    const facets = await bindText(
      bookList(
        `                type: object
                required: [data, meta]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta:
                    type: object
                    required: [total, facets]
                    properties:
                      total: { type: integer }
                      facets: { type: object }`,
        [PAGE, PAGE_SIZE],
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(facets).listBooks).toBe('stub: the list\'s wrapper requires "meta.facets", which scaffold cannot fill');
    // Without paging parameters there is no page to report.
    const unpaged = await bindText(
      bookList(
        `                type: object
                required: [data, meta]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta:
                    type: object
                    required: [page, total]
                    properties:
                      page: { type: integer }
                      total: { type: integer }`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(summary(unpaged).listBooks).toBe('stub: the list\'s wrapper requires "meta.page", which scaffold cannot fill');
    // An optional group scaffold cannot fill is left out rather than refused.
    const optional = await bindText(
      bookList(
        `                type: object
                required: [data]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Book' } }
                  meta:
                    type: object
                    required: [facets]
                    properties:
                      facets: { type: object }`,
      ),
      LIBRARY_DOMAIN,
    );
    expect(pageValues(operation(optional, 'listBooks').list?.wrapper?.members)).toEqual([]);
  });
});
