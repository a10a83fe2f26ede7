import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema } from '../../../src/model/domain/relational-schema.js';
import { generation, LIBRARY_V1, libraryV2, problemsOf, schemaOf, statementsOf } from './migration-fixtures.js';

/**
 * `unique: ignore-case` (docs/domain-model.md, "Fields"): uniqueness that ignores case, as a unique
 * index on lower(column) in the migrations, so `ADA@example.com` and `ada@example.com` cannot both be stored.
 */
const IGNORING_CASE = libraryV2(['title: { type: string, maxLength: 200, unique: true }', 'title: { type: string, maxLength: 200, unique: ignore-case }']);

describe('unique: ignore-case', () => {
  it('is a unique index on lower(column) instead of a unique constraint', async () => {
    const first = await generation(IGNORING_CASE);
    const statements = statementsOf(first.added ?? '');
    expect(statements).toContain('CREATE UNIQUE INDEX "books_title_key" ON "books" (lower("title"));');
    expect(first.added).not.toMatch(/UNIQUE \("title"\)/);
  });

  it('on a composite index lowers its text fields only', async () => {
    const yaml = `${IGNORING_CASE.replace('unique: ignore-case', 'required: true')}    indexes:\n      - { fields: [author, title], unique: ignore-case }\n`;
    const statements = statementsOf((await generation(yaml)).added ?? '');
    expect(statements).toContain('CREATE UNIQUE INDEX "books_author_title_key" ON "books" ("author_id", lower("title"));');
  });

  it('replaces a case-sensitive unique constraint with a new migration, flagged because case variants in existing rows make it fail', async () => {
    const v1 = await generation(LIBRARY_V1);
    await expect(generation(IGNORING_CASE, v1)).rejects.toSatisfy((error: unknown) =>
      error instanceof ScaffoldError &&
      error.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n') === 'SCF037 books.title: new unique index books_title_key: duplicate values in existing rows make the migration fail',
    );
    const v2 = await generation(IGNORING_CASE, v1, { allowDataLoss: true });
    expect(statementsOf(v2.added ?? '')).toEqual([
      'ALTER TABLE "books" DROP CONSTRAINT "books_title_key";',
      '-- scaffold: data loss confirmed: books.title: new unique index books_title_key: duplicate values in existing rows make the migration fail\nCREATE UNIQUE INDEX "books_title_key" ON "books" (lower("title"));',
    ]);
    // Generated again from the same model: nothing more to migrate.
    expect((await generation(IGNORING_CASE, v2)).added).toBeUndefined();
  });

  it('changes a composite unique index to ignore case with a new migration: the index dropped and created again, flagged', async () => {
    const withIndex = (unique: string) => `${LIBRARY_V1}    indexes:\n      - { fields: [author, title], unique: ${unique} }\n`;
    const v1 = await generation(withIndex('true'));
    const v2 = await generation(withIndex('ignore-case'), v1, { allowDataLoss: true });
    expect(statementsOf(v2.added ?? '')).toEqual([
      'DROP INDEX "books_author_title_key";',
      '-- scaffold: data loss confirmed: books.author_id, title: new unique index books_author_title_key: duplicate values in existing rows make the migration fail\nCREATE UNIQUE INDEX "books_author_title_key" ON "books" ("author_id", lower("title"));',
    ]);
    expect((await generation(withIndex('ignore-case'), v2)).added).toBeUndefined();
  });

  it('refuses a case-variant duplicate in the database, and a migration over case variants fails as the flag says', async () => {
    const db = new PGlite();
    try {
      const v1 = await generation(LIBRARY_V1);
      for (const statement of statementsOf(v1.added ?? '')) await db.exec(statement);
      await db.exec(`INSERT INTO authors (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'Ada');
        INSERT INTO books (title, pages, author_id) VALUES ('Notes', 1, '00000000-0000-4000-8000-000000000001'), ('NOTES', 1, '00000000-0000-4000-8000-000000000001');`);
      const v2 = await generation(IGNORING_CASE, v1, { allowDataLoss: true });
      const migrate = () => db.transaction(async (tx) => {
        for (const statement of statementsOf(v2.added ?? '')) await tx.exec(statement);
      });
      await expect(migrate()).rejects.toThrow(/books_title_key/);
      await db.exec(`DELETE FROM books WHERE title = 'NOTES'`);
      await migrate();
      await expect(db.exec(`INSERT INTO books (title, pages, author_id) VALUES ('nOtEs', 2, '00000000-0000-4000-8000-000000000001')`)).rejects.toMatchObject({ code: '23505', constraint: 'books_title_key' });
    } finally {
      await db.close();
    }
  });

  it('is refused on a field that holds no text, and on an index without a text field', async () => {
    expect(await problemsOf(libraryV2(['pages: { type: integer, min: 1 }', 'pages: { type: integer, min: 1, unique: ignore-case }']))).toEqual([
      'SCF031 "unique: ignore-case" of Book.pages needs a string or text field (it is integer)',
    ]);
    expect(await problemsOf(`${LIBRARY_V1}    indexes:\n      - { fields: [author, pages], unique: ignore-case }\n`)).toEqual([
      'SCF031 the index on author, pages of Book is "unique: ignore-case", but none of its fields is a string or text field',
    ]);
  });

  it('is read from a unique index on lower(column) in SQL or DBML, and such an index on anything else stays refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-ignore-case-'));
    const table = 'CREATE TABLE customers (id uuid PRIMARY KEY, email varchar(254) NOT NULL, age integer NOT NULL);';
    const read = async (file: string, text: string) => {
      await writeFile(join(dir, file), text);
      return (await loadDomainModel(join(dir, file))).document.entities.Customer;
    };
    expect(await read('a.sql', `${table}\nCREATE UNIQUE INDEX customers_email_key ON customers (lower(email));`)).toMatchObject({ indexes: [{ fields: ['email'], unique: 'ignore-case' }] });
    expect(await read('b.dbml', 'Table customers { id uuid [pk]\n  email varchar(254) [not null]\n  indexes { (`lower(email)`) [unique] } }')).toMatchObject({ indexes: [{ fields: ['email'], unique: 'ignore-case' }] });
    await expect(read('c.sql', `${table}\nCREATE UNIQUE INDEX customers_age_key ON customers (abs(age));`)).rejects.toSatisfy(
      (error: unknown) => error instanceof ScaffoldError && error.diagnostics.some((d) => d.code === 'SCF036' && d.message.includes('abs(age)')),
    );
    // The generator's own migration of the same model reads back as that model.
    const schema = relationalSchema(buildDomainModel(await loadDomainModel(join(dir, 'a.sql'))));
    expect(schema.tables[0]?.indexes).toEqual([{ name: 'customers_email_key', columns: ['email'], unique: true, lower: ['email'] }]);
  });

  it('is declared in an overlay on a unique column of the structure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-ignore-case-'));
    await writeFile(join(dir, 'schema.dbml'), 'Table customers { id uuid [pk]\n  email varchar(254) [not null, unique]\n  name text [not null] }');
    const overlay = (field: string) => `schemaVersion: 1\nstructure: ./schema.dbml\nentities:\n  Customer:\n    fields:\n      ${field}: { unique: ignore-case }\n`;
    await writeFile(join(dir, 'overlay.yaml'), overlay('email'));
    const loaded = await loadDomainModel(join(dir, 'overlay.yaml'));
    expect(loaded.document.entities.Customer?.fields.email).toEqual({ type: 'string', maxLength: 254, unique: 'ignore-case' });
    expect(buildDomainModel(loaded).entities[0]?.fields[0]).toMatchObject({ unique: true, ignoreCase: true });
    await writeFile(join(dir, 'overlay.yaml'), overlay('name'));
    await expect(loadDomainModel(join(dir, 'overlay.yaml'))).rejects.toSatisfy(
      (error: unknown) => error instanceof ScaffoldError && error.diagnostics.some((d) => d.code === 'SCF031' && d.message.includes('column name of table customers is not unique')),
    );
  });
});
