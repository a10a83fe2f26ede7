import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { DomainModelDocument } from '../../../src/load/domain-model-types.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/**
 * DBML and PostgreSQL DDL as domain models (docs/domain-model.md, "Importing DBML and SQL"): each
 * convention, the overlay, and the constructs the import reports instead of dropping.
 */

/** Writes the files into a fresh directory and loads `entry` (the first file unless named) as `--models` would. */
async function load(files: Record<string, string>, entry = Object.keys(files)[0] ?? ''): Promise<DomainModelDocument> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const loaded = await loadDomainModel(join(dir, entry));
  buildDomainModel(loaded);
  return loaded.document;
}

/** The problems as `CODE file:line: message`, for a model that must be rejected. */
async function problems(files: Record<string, string>, entry?: string): Promise<string[]> {
  try {
    await load(files, entry);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    return error.diagnostics.map((d: Diagnostic) => `${d.code} ${(d.location?.file ?? '').split('/').at(-1) ?? ''}:${d.location?.line ?? '?'}: ${d.message}`);
  }
  throw new Error('expected the model to be rejected');
}

const entity = async (dbml: string, name: string) => (await load({ 'schema.dbml': dbml })).entities[name];

describe('a DBML structure becomes a domain model by convention', () => {
  it('names each table as its singular in PascalCase, and each column as a camelCase field', async () => {
    const document = await load({
      'schema.dbml': `
        Table order_items { id uuid [pk]
          unit_price_cents integer [not null] }
        Table categories { id uuid [pk]
          title varchar(80) [not null] }`,
    });
    expect(Object.keys(document.entities)).toEqual(['OrderItem', 'Category']);
    expect(document.entities.OrderItem?.fields).toEqual({ unitPriceCents: { type: 'integer' } });
  });

  it('takes `id uuid [pk]` as a uuid identity, and an auto-incremented integer id as serial', async () => {
    expect((await entity('Table tags { id uuid [pk, default: `gen_random_uuid()`]\n label text }', 'Tag'))?.identity).toBeUndefined();
    expect((await entity('Table tags { id integer [pk, increment]\n label text }', 'Tag'))?.identity).toBe('serial');
    expect((await load({ 'schema.sql': 'CREATE TABLE tags (id serial PRIMARY KEY, label text);' })).entities.Tag?.identity).toBe('serial');
  });

  it('takes created_at and updated_at as the timestamps, and their absence as timestamps: false', async () => {
    const stamped = await entity('Table notes { id uuid [pk]\n body text\n created_at timestamptz [not null, default: `now()`]\n updated_at timestamptz [not null, default: `now()`] }', 'Note');
    expect(stamped).toEqual({ fields: { body: { type: 'text', required: false } } });
    expect((await entity('Table notes { id uuid [pk]\n body text }', 'Note'))?.timestamps).toBe(false);
  });

  it('takes `version integer [not null, default: 1]` as optimistic locking', async () => {
    expect((await entity('Table notes { id uuid [pk]\n body text\n version integer [not null, default: 1] }', 'Note'))?.versioned).toBe(true);
  });

  it('takes a nullable deleted_at timestamptz as soft delete', async () => {
    expect((await entity('Table notes { id uuid [pk]\n body text\n deleted_at timestamptz }', 'Note'))?.softDelete).toBe(true);
  });

  it('maps each column type to the field type the generator stores in it', async () => {
    const notes = await entity(
      `Table notes { id uuid [pk]
        a varchar(40) [not null]
        b varchar [not null]
        c text [not null]
        d integer [not null]
        e bigint [not null]
        f numeric(10, 2) [not null]
        g "double precision" [not null]
        h boolean [not null]
        i date [not null]
        j timestamptz [not null]
        k uuid [not null]
        l jsonb [not null] }`,
      'Note',
    );
    expect(notes?.fields).toEqual({
      a: { type: 'string', maxLength: 40 },
      b: { type: 'string' },
      c: { type: 'text' },
      d: { type: 'integer' },
      e: { type: 'bigint' },
      f: { type: 'decimal', precision: 10, scale: 2 },
      g: { type: 'number' },
      h: { type: 'boolean' },
      i: { type: 'date' },
      j: { type: 'datetime' },
      k: { type: 'uuid' },
      l: { type: 'json' },
    });
  });

  it('takes not null, unique, defaults and notes as required, unique, default and description', async () => {
    const notes = await entity(
      `Table notes [note: 'A note.'] { id uuid [pk]
        code varchar(8) [not null, unique, note: 'Printed on the label.']
        pages integer [not null, default: 1]
        pinned boolean [not null, default: false]
        colour varchar(10) [default: 'yellow'] }`,
      'Note',
    );
    expect(notes?.description).toBe('A note.');
    expect(notes?.fields).toEqual({
      code: { type: 'string', maxLength: 8, unique: true, description: 'Printed on the label.' },
      pages: { type: 'integer', default: 1 },
      pinned: { type: 'boolean', default: false },
      colour: { type: 'string', maxLength: 10, required: false, default: 'yellow' },
    });
  });

  it('takes a column of an Enum as an enum field with its values', async () => {
    const orders = await entity('Enum order_status { pending\n paid }\nTable orders { id uuid [pk]\n status order_status [not null, default: \'pending\'] }', 'Order');
    expect(orders?.fields.status).toEqual({ type: 'enum', values: ['pending', 'paid'], default: 'pending' });
  });

  it('takes a reference customer_id > customers.id as the many-to-one relation customer', async () => {
    const document = await load({
      'schema.dbml': `
        Table customers { id uuid [pk] }
        Table orders { id uuid [pk]
          customer_id uuid [not null, note: 'Who ordered.']
          coupon_id uuid }
        Table coupons { id uuid [pk] }
        Ref: orders.customer_id > customers.id [delete: cascade]
        Ref: orders.coupon_id > coupons.id [delete: set null]`,
    });
    expect(document.entities.Order?.relations).toEqual({
      customer: { kind: 'many-to-one', target: 'Customer', description: 'Who ordered.', onDelete: 'cascade' },
      coupon: { kind: 'many-to-one', target: 'Coupon', required: false, onDelete: 'set-null' },
    });
  });

  it('takes a one-to-one reference, or a unique foreign key, as a one-to-one relation', async () => {
    const document = await load({
      'schema.dbml': `
        Table users { id uuid [pk] }
        Table profiles { id uuid [pk]
          user_id uuid [not null, ref: - users.id] }
        Table avatars { id uuid [pk]
          user_id uuid [not null, unique, ref: > users.id] }`,
    });
    expect(document.entities.Profile?.relations?.user?.kind).toBe('one-to-one');
    expect(document.entities.Avatar?.relations?.user?.kind).toBe('one-to-one');
  });

  it('takes indexes by the fields and relations they cover, keeping a name only when it is not the default one', async () => {
    const orders = await entity(
      `Table customers { id uuid [pk] }
       Table orders { id uuid [pk]
        status varchar(10) [not null]
        customer_id uuid [not null, ref: > customers.id]
        Indexes {
          (customer_id, status)
          status [unique, name: 'orders_status_key']
          status [name: 'by_status']
        } }`,
      'Order',
    );
    expect(orders?.indexes).toEqual([{ fields: ['customer', 'status'] }, { fields: ['status'], unique: true }, { name: 'by_status', fields: ['status'] }]);
  });

  it('reads PostgreSQL DDL the same way: ecommerce as SQL gives the document of domain.yaml', async () => {
    const overlay = (await readFile(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.overlay.yaml'), 'utf8')).replace('structure: ./domain.dbml', 'structure: ./ecommerce.sql');
    const sql = await readFile(join(REPO_ROOT, 'test', 'fixtures', 'domain', 'import', 'ecommerce.sql'), 'utf8');
    const fromSql = await load({ 'overlay.yaml': overlay, 'ecommerce.sql': sql });
    const fromYaml = (await loadDomainModel(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.yaml'))).document;
    expect(fromSql).toEqual(fromYaml);
  });
});

describe('an overlay adds the behaviour to its structure', () => {
  it('with examples/ecommerce/domain.dbml says exactly what domain.yaml says, in the same order', async () => {
    const imported = (await loadDomainModel(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.overlay.yaml'))).document;
    const written = (await loadDomainModel(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.yaml'))).document;
    expect(imported).toEqual(written);
    const order = (document: DomainModelDocument) => Object.entries(document.entities).map(([name, e]) => [name, Object.keys(e.fields), Object.keys(e.relations ?? {})]);
    expect(order(imported)).toEqual(order(written));
  });

  it('names the entity of a table, refines fields (also under another name) and relations, and adds one-to-many', async () => {
    const document = await load(
      {
        'overlay.yaml': `
schemaVersion: 1
structure: ./schema.dbml
entities:
  StockItem:
    table: stock
    description: What is on the shelf.
    fields:
      quantity: { column: qty, min: 0, description: Units on hand. }
    relations:
      product: { description: What it is. }
  Product:
    relations:
      stock: { kind: one-to-many, target: StockItem, inverse: product }
`,
        'schema.dbml': `
Table products { id uuid [pk] }
Table stock [note: 'Replaced by the overlay.'] { id uuid [pk]
  qty integer [not null]
  product_id uuid [not null, ref: > products.id] }`,
      },
      'overlay.yaml',
    );
    expect(Object.keys(document.entities)).toEqual(['Product', 'StockItem']);
    expect(document.entities.StockItem).toEqual({
      description: 'What is on the shelf.',
      table: 'stock',
      timestamps: false,
      fields: { quantity: { type: 'integer', column: 'qty', min: 0, description: 'Units on hand.' } },
      relations: { product: { kind: 'many-to-one', target: 'Product', description: 'What it is.' } },
    });
    expect(document.entities.Product?.relations).toEqual({ stock: { kind: 'one-to-many', target: 'StockItem', inverse: 'product' } });
  });

  it('stores a value object field in the columns named after it', async () => {
    const document = await load(
      {
        'overlay.yaml': `
schemaVersion: 1
structure: ./schema.dbml
valueObjects:
  Money:
    fields:
      amountCents: { type: integer }
      currency: { type: string, maxLength: 3 }
entities:
  Order:
    fields:
      total: { type: Money }
`,
        'schema.dbml': `Table orders { id uuid [pk]
  reference text [not null]
  total_amount_cents integer [not null]
  total_currency varchar(3) [not null]
  note text }`,
      },
      'overlay.yaml',
    );
    expect(document.entities.Order?.fields).toEqual({ reference: { type: 'text' }, total: { type: 'Money' }, note: { type: 'text', required: false } });
  });

  it('declares a many-to-many, whose join table in the structure must be the one the generator makes', async () => {
    const schema = (onDelete: string) => `
Table posts { id uuid [pk] }
Table tags { id uuid [pk] }
Table posts_tags {
  post_id uuid [not null]
  tag_id uuid [not null]
  Indexes { (post_id, tag_id) [pk] }
}
Ref: posts_tags.post_id > posts.id [delete: cascade]
Ref: posts_tags.tag_id > tags.id [delete: ${onDelete}]`;
    const overlay = 'schemaVersion: 1\nstructure: ./schema.dbml\nentities:\n  Post:\n    relations:\n      tags: { kind: many-to-many, target: Tag }\n';
    const document = await load({ 'overlay.yaml': overlay, 'schema.dbml': schema('cascade') }, 'overlay.yaml');
    expect(Object.keys(document.entities)).toEqual(['Post', 'Tag']);
    expect(document.entities.Post?.relations).toEqual({ tags: { kind: 'many-to-many', target: 'Tag' } });
    expect(await problems({ 'overlay.yaml': overlay, 'schema.dbml': schema('restrict') }, 'overlay.yaml')).toEqual([
      expect.stringMatching(/^SCF036 schema\.dbml:4: join table posts_tags of many-to-many "tags" \(Post\) is not the one the generator makes/),
    ]);
  });

  const ordersDbml = `
Table products { id uuid [pk]
  price_cents integer [not null] }
Table orders { id uuid [pk]
  total_cents integer [not null]
  cancellation_reason text }
Table order_items { id uuid [pk]
  quantity integer [not null]
  unit_price_cents integer [not null]
  order_id uuid [not null, ref: > orders.id]
  product_id uuid [not null, ref: > products.id] }`;

  it('names the nearest value object for an overlay field type that is none', async () => {
    const found = await problems(
      {
        'overlay.yaml': `schemaVersion: 1
structure: ./schema.dbml
valueObjects:
  Money:
    fields:
      cents: { type: integer }
entities:
  Order:
    fields:
      total: { type: Mony }
`,
        'schema.dbml': 'Table orders { id uuid [pk]\n  total_cents integer [not null] }',
      },
      'overlay.yaml',
    );
    expect(found).toEqual([expect.stringMatching(/^SCF031 overlay\.yaml:10: field "total" of Order has type "Mony", which is not a value object of the overlay .*; did you mean "Money"\?$/)]);
  });

  it('adds computed values, derivations ("from") of column fields, and mappings with field names', async () => {
    const document = await load(
      {
        'overlay.yaml': `
schemaVersion: 1
structure: ./schema.dbml
entities:
  Order:
    fields:
      totalCents: { min: 0, from: sum(items.lineTotalCents) }
    relations:
      items: { kind: one-to-many, target: OrderItem, inverse: order }
  OrderItem:
    fields:
      unitPriceCents: { from: product.priceCents }
    computed:
      lineTotalCents: { type: integer, value: quantity * unitPriceCents, description: Before discounts. }
mapping:
  Products: Product
  Orders:
    entity: Order
    fields: { reason: cancellationReason, total: totalCents }
  OrderItems: { entity: OrderItem }
`,
        'schema.dbml': ordersDbml,
      },
      'overlay.yaml',
    );
    expect(document.entities.Order?.fields.totalCents).toEqual({ type: 'integer', min: 0, from: 'sum(items.lineTotalCents)' });
    expect(document.entities.OrderItem?.fields.unitPriceCents).toEqual({ type: 'integer', from: 'product.priceCents' });
    expect(document.entities.OrderItem?.computed).toEqual({ lineTotalCents: { type: 'integer', value: 'quantity * unitPriceCents', description: 'Before discounts.' } });
    expect(document.entities.Order?.computed).toBeUndefined();
    expect(document.mapping).toEqual({
      Products: 'Product',
      Orders: { entity: 'Order', fields: { reason: 'cancellationReason', total: 'totalCents' } },
      OrderItems: { entity: 'OrderItem' },
    });
  });

  it('reports a "from", a computed value or a mapped field that names something unknown, at its line in the overlay', async () => {
    const found = await problems(
      {
        'overlay.yaml': `schemaVersion: 1
structure: ./schema.dbml
entities:
  Order:
    fields:
      totalCents: { from: sum(items.lineTotl) }
    relations:
      items: { kind: one-to-many, target: OrderItem, inverse: order }
  OrderItem:
    fields:
      unitPriceCents: { from: produce.priceCents }
    computed:
      lineTotalCents: { type: integer, value: quantity * unitPriceCents }
      subtotal: { type: integer, value: quantity * unitPrice }
      quantity: { type: integer, value: '1' }
mapping:
  Orders:
    entity: Order
    fields: { reason: cancelReason }
`,
        'schema.dbml': ordersDbml,
      },
      'overlay.yaml',
    );
    expect(found).toEqual([
      'SCF033 overlay.yaml:14: computed value "subtotal" names unknown field unitPrice',
      'SCF033 overlay.yaml:15: computed value "quantity" has the name of a field',
      'SCF031 overlay.yaml:6: "from" of Order.totalCents: OrderItem has no field "lineTotl"',
      'SCF031 overlay.yaml:11: "from" of OrderItem.unitPriceCents needs a many-to-one or one-to-one relation named "produce"',
      'SCF031 overlay.yaml:19: mapping of "Orders" maps "reason" to unknown field "cancelReason" of Order',
    ]);
  });

  it('checks a computed value and a "from" like the rest of the overlay: a malformed one is an SCF030 at its line', async () => {
    const found = await problems(
      {
        'overlay.yaml': `schemaVersion: 1
structure: ./schema.dbml
entities:
  OrderItem:
    fields:
      unitPriceCents: { from: 'product.priceCents + 1' }
    computed:
      lineTotalCents: { type: string, value: quantity * unitPriceCents }
`,
        'schema.dbml': ordersDbml,
      },
      'overlay.yaml',
    );
    expect(found).toEqual([
      'SCF030 overlay.yaml:6: "from" of field "unitPriceCents" of OrderItem must be "relation.field" (copy a field of the referenced entity) or "sum(relation.field)"',
      'SCF030 overlay.yaml:8: "type" of computed value "lineTotalCents" of OrderItem must be one of integer, number, boolean, not "string"',
    ]);
  });

  it('reports an entity, field or relation the structure does not have, at its line in the overlay', async () => {
    const found = await problems(
      {
        'overlay.yaml': `schemaVersion: 1
structure: ./schema.dbml
entities:
  Invoice:
    description: Not a table of the structure.
  Order:
    fields:
      totl: { min: 0 }
    relations:
      customer: { description: No customer_id column. }
`,
        'schema.dbml': 'Table orders { id uuid [pk]\n total integer [not null] }',
      },
      'overlay.yaml',
    );
    expect(found).toEqual([
      'SCF031 overlay.yaml:5: entity Invoice has no table "invoices" in schema.dbml (the default for its name; name another with "table")',
      'SCF031 overlay.yaml:8: field "totl" of Order is not a column of table orders',
      'SCF031 overlay.yaml:10: relation "customer" of Order is not a foreign key of table orders (expected column customer_id)',
    ]);
  });

  it('locates later problems where they were written: a column in the structure, an invariant in the overlay', async () => {
    const found = await problems(
      {
        'overlay.yaml': `schemaVersion: 1
structure: ./schema.dbml
entities:
  Order:
    invariants:
      - { name: positive, check: totl > 0 }
`,
        'schema.dbml': `Enum status { open
 closed }
Table orders { id uuid [pk]
  total integer [not null]
  status status [not null, default: 'draft'] }`,
      },
      'overlay.yaml',
    );
    expect(found).toEqual(['SCF031 schema.dbml:5: default "draft" of "status" is not one of its values', 'SCF033 overlay.yaml:6: invariant "positive" names unknown field totl']);
  });

  it('says a missing structure file is missing, at the overlay line that names it', async () => {
    expect(await problems({ 'overlay.yaml': 'schemaVersion: 1\nstructure: ./nope.dbml\n' })).toEqual([expect.stringMatching(/^SCF001 overlay\.yaml:2: cannot read the DBML structure .*nope\.dbml: no such file$/)]);
  });
});

describe('what the import cannot represent is an SCF036 at its line, never dropped', () => {
  it("reports a partial index's WHERE, which @dbml/core itself drops", async () => {
    const found = await problems({
      'schema.sql': `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  status text NOT NULL
);
CREATE INDEX orders_open_idx ON orders (status)
  WHERE status <> 'closed';`,
    });
    expect(found).toEqual(["SCF036 schema.sql:6: partial index orders_open_idx: WHERE status <> 'closed' cannot be represented"]);
  });

  it('reports a CHECK as raw SQL, in DBML and in SQL, with the overlay rule to use instead', async () => {
    expect(await problems({ 'schema.dbml': 'Table orders { id uuid [pk]\n  total integer [not null, check: `total >= 0`] }' })).toEqual([
      'SCF036 schema.dbml:2: CHECK (total >= 0) on orders.total is raw SQL, which the domain model cannot represent',
    ]);
    const [sqlCheck] = await loadError({ 'schema.sql': 'CREATE TABLE orders (\n  id uuid PRIMARY KEY,\n  total integer NOT NULL,\n  CONSTRAINT total_positive CHECK (total > 0)\n);' });
    expect(sqlCheck?.message).toBe('CHECK (total > 0) on table orders is raw SQL, which the domain model cannot represent');
    expect(sqlCheck?.hint).toMatch(/min, max, minLength or pattern on the field, or an invariant/);
  });

  it('reports a column type without an equivalent field type', async () => {
    expect(await problems({ 'schema.dbml': 'Table orders { id uuid [pk]\n  tags "text[]"\n  code char(3) [not null]\n  at timestamp [not null] }' })).toEqual([
      'SCF036 schema.dbml:2: orders.tags: type text[] cannot be represented',
      'SCF036 schema.dbml:3: orders.code: type char(3) cannot be represented',
      'SCF036 schema.dbml:4: orders.at: type timestamp cannot be represented',
    ]);
  });

  it('reports SQL that @dbml/core reads past: views, ADD COLUMN, generated columns, collations', async () => {
    const found = await problems({
      'schema.sql': `CREATE TABLE orders (
  id uuid PRIMARY KEY,
  total integer NOT NULL,
  doubled integer GENERATED ALWAYS AS (total * 2) STORED,
  label text COLLATE "C"
);
ALTER TABLE orders ADD COLUMN note text;
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;`,
    });
    expect(found).toEqual([
      'SCF036 schema.sql:4: generated column orders.doubled (GENERATED ALWAYS AS ...) cannot be represented',
      'SCF036 schema.sql:5: COLLATE on column orders.label cannot be represented',
      'SCF036 schema.sql:7: ALTER TABLE orders ADD COLUMN note text cannot be represented: write the table as it ends up',
      'SCF036 schema.sql:8: statement CREATE VIEW big_orders AS SELECT * ... cannot be represented in the domain model',
    ]);
  });

  it('reads SQL statement by statement, skipping the ones without structure (SET, BEGIN, COMMIT, CREATE EXTENSION)', async () => {
    const sql = `BEGIN;
SET client_encoding = 'UTF8'; -- a comment; with a semicolon
CREATE EXTENSION IF NOT EXISTS pgcrypto;
/* a block; /* nested; */ comment */
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  body text NOT NULL DEFAULT 'a; b'
);
COMMIT;`;
    expect((await load({ 'schema.sql': sql })).entities.Note?.fields).toEqual({ body: { type: 'text', default: 'a; b' } });
    expect(await problems({ 'schema.sql': `${sql}\nCREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.body := 'x;'; RETURN NEW; END $$ LANGUAGE plpgsql;` })).toEqual([
      'SCF036 schema.sql:10: statement CREATE FUNCTION touch() RETURNS ... cannot be represented in the domain model',
    ]);
  });

  it('reports references of another shape than <relation>_id -> <table>.id', async () => {
    const found = await problems({
      'schema.dbml': `Table customers { id uuid [pk]
  email varchar(200) [not null, unique] }
Table orders { id uuid [pk]
  buyer uuid [not null]
  customer_email varchar(200) [not null]
  customer_id uuid [not null] }
Ref: orders.buyer > customers.id
Ref: orders.customer_email > customers.email
Ref: orders.customer_id > customers.id [update: cascade, delete: no action]`,
    });
    expect(found).toEqual([
      'SCF036 schema.dbml:4: foreign key column orders.buyer is not named <relation>_id',
      'SCF036 schema.dbml:8: reference orders(customer_email) -> customers(email): a foreign key references the id of an entity\'s table',
      'SCF036 schema.dbml:9: reference orders(customer_id) -> customers(id): ON UPDATE CASCADE cannot be represented (ids never change)',
      'SCF036 schema.dbml:9: orders.customer_id: ON DELETE NO ACTION cannot be represented',
    ]);
  });

  it('reports a primary key other than id, a convention column of another shape, and DBML records', async () => {
    const found = await problems({
      'schema.dbml': `Table orders {
  code varchar(10) [pk]
  version bigint [not null, default: 1] }
Records orders(code) {
  'A-1'
}`,
    });
    expect(found).toEqual([
      'SCF036 schema.dbml:1: table orders has no id column: every entity has the primary key id',
      'SCF036 schema.dbml:2: primary key orders.code: the primary key of an entity is its id column',
      'SCF036 schema.dbml:3: orders.version is bigint not null default 1: a version column is the optimistic lock (integer not null default 1)',
      'SCF036 schema.dbml:4: Records of orders: sample data cannot be represented',
    ]);
  });

  it('reports syntax errors as SCF002 at their line', async () => {
    expect(await problems({ 'schema.dbml': 'Table orders {\n  id uuid [pk\n}' })).toEqual([expect.stringMatching(/^SCF002 schema\.dbml:3: DBML: /)]);
    expect((await problems({ 'schema.sql': 'CREATE TABLE orders (\n  id uuid PRIMARY KEY,,\n);' }))[0]).toBe("SCF002 schema.sql:2: SQL: mismatched input ','");
  });
});

async function loadError(files: Record<string, string>): Promise<Diagnostic[]> {
  try {
    await load(files);
  } catch (error) {
    if (error instanceof ScaffoldError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the model to be rejected');
}
