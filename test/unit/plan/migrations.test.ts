import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema, type RelationalSchema } from '../../../src/model/domain/relational-schema.js';
import { planMigrations } from '../../../src/plan/migrations.js';
import { REPO_ROOT } from '../../support/fixtures.js';
import { generation, LIBRARY_V1, libraryV2, statementsOf } from './migration-fixtures.js';

const ecommerce = async (): Promise<RelationalSchema> => relationalSchema(buildDomainModel(await loadDomainModel(`${REPO_ROOT}/examples/ecommerce/domain.yaml`)));

/** The second migration: from LIBRARY_V1 to `v2`. */
async function update(v2: string, allowDataLoss = false): Promise<string[]> {
  const next = await generation(v2, await generation(LIBRARY_V1), {
    allowDataLoss,
  });
  if (next.added === undefined) throw new Error('expected a migration');
  return statementsOf(next.added);
}

/** The diagnostics of a refused update, as `CODE message`. */
async function refusal(v2: string): Promise<string[]> {
  const v1 = await generation(LIBRARY_V1);
  try {
    await generation(v2, v1);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics.map((d) => `${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    throw error;
  }
  throw new Error('expected the update to be refused');
}

describe('migrations from the domain model', () => {
  it('adds the idempotency_keys table with a new migration once the spec declares an Idempotency-Key, and never again', async () => {
    const domain = buildDomainModel(await loadDomainModel(`${REPO_ROOT}/examples/ecommerce/domain.yaml`));
    const first = planMigrations(undefined, relationalSchema(domain), undefined);
    expect(first.added?.sql).not.toContain('idempotency_keys');
    const second = planMigrations(first.snapshot, relationalSchema(domain, { idempotencyKeys: true }), first.journal);
    expect(second.added?.path).toBe('migrations/0001_update.sql');
    expect(statementsOf(second.added?.sql ?? '')).toEqual([
      expect.stringMatching(/^CREATE TABLE "idempotency_keys" \(\n  "scope" varchar\(64\) NOT NULL,[\s\S]*CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY \("scope"\)\n\);$/),
      'CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" ("expires_at");',
    ]);
    expect(planMigrations(second.snapshot, relationalSchema(domain, { idempotencyKeys: true }), second.journal).added).toBeUndefined();
  });

  it('creates every table first, then foreign keys and indexes, in one initial migration', async () => {
    const plan = planMigrations(undefined, await ecommerce(), undefined);
    expect(plan.added?.path).toBe('migrations/0000_initial.sql');
    const statements = plan.added?.sql.split('--> statement-breakpoint').map((s) => s.trim()) ?? [];
    const firstForeignKey = statements.findIndex((s) => s.includes('FOREIGN KEY'));
    expect(statements.slice(0, firstForeignKey).every((s) => s.startsWith('CREATE TABLE'))).toBe(true);
    expect(plan.added?.sql).toContain(
      `ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT;`,
    );
    expect(plan.added?.sql).toContain(`CONSTRAINT "orders_status_check" CHECK ("status" IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled'))`);
    expect(plan.journal.entries).toEqual([{ idx: 0, version: '7', when: 1, tag: '0000_initial', breakpoints: true }]);
  });

  it('adds nothing, and keeps the snapshot, when the model did not change', async () => {
    const schema = await ecommerce();
    const first = planMigrations(undefined, schema, undefined);
    expect(planMigrations(first.snapshot, schema, first.journal)).toEqual({
      journal: first.journal,
      added: undefined,
      snapshot: first.snapshot,
    });
  });

  it('adds a new optional column in a new migration file, leaving the applied one as it was', async () => {
    const v1 = await generation(LIBRARY_V1);
    const v2 = await generation(libraryV2(['      pages:', '      isbn: { type: string, required: false }\n      pages:']), v1);
    expect(statementsOf(v2.added ?? '')).toEqual(['ALTER TABLE "books" ADD COLUMN "isbn" text;']);
    expect(v2.journal.entries.map((e) => [e.tag, e.when])).toEqual([
      ['0000_initial', 1],
      ['0001_update', 2],
    ]);
    expect(v2.migrations[0]).toBe(v1.migrations[0]);
    expect(v2.snapshot.tables.find((t) => t.name === 'books')?.columns.map((c) => c.name)).toContain('isbn');
  });

  it('adds a new table and its foreign key after it, with an index on the key', async () => {
    const statements = await update(
      `${LIBRARY_V1}  Review:\n    fields:\n      stars: { type: integer, min: 1, max: 5 }\n    relations:\n      book: { kind: many-to-one, target: Book, onDelete: cascade }\n`,
    );
    expect(statements[0]).toMatch(/^CREATE TABLE "reviews" \(/);
    expect(statements.slice(1)).toEqual([
      'ALTER TABLE "reviews" ADD CONSTRAINT "reviews_book_id_fkey" FOREIGN KEY ("book_id") REFERENCES "books" ("id") ON DELETE CASCADE;',
      'CREATE INDEX "reviews_book_id_idx" ON "reviews" ("book_id");',
    ]);
  });

  it('adds a new relation to an existing table as a nullable column with its foreign key, unflagged', async () => {
    const statements = await update(
      `${libraryV2(['      author: { kind: many-to-one, target: Author }', '      author: { kind: many-to-one, target: Author }\n      editor: { kind: many-to-one, target: Author, required: false }'])}`,
    );
    expect(statements).toEqual([
      'ALTER TABLE "books" ADD COLUMN "editor_id" uuid;',
      'ALTER TABLE "books" ADD CONSTRAINT "books_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "authors" ("id") ON DELETE RESTRICT;',
      'CREATE INDEX "books_editor_id_idx" ON "books" ("editor_id");',
    ]);
  });

  it('adds an index directly, but flags a new unique index over existing values', async () => {
    const withIndex = (unique: boolean) =>
      libraryV2(['    relations:\n      author', `    indexes:\n      - { fields: [pages]${unique ? ', unique: true' : ''} }\n    relations:\n      author`]);
    expect(await update(withIndex(false))).toEqual(['CREATE INDEX "books_pages_idx" ON "books" ("pages");']);
    expect(await refusal(withIndex(true))).toEqual([
      expect.stringMatching(/^SCF037 books\.pages: new unique index books_pages_key: duplicate values in existing rows make the migration fail/),
    ]);
  });

  it('adds an enum value by widening its CHECK, which PostgreSQL 15 can do inside the migration transaction', async () => {
    const statements = await update(libraryV2(['values: [draft, published]', 'values: [draft, published, archived]']));
    expect(statements).toEqual([
      `ALTER TABLE "books" DROP CONSTRAINT "books_status_check", ADD CONSTRAINT "books_status_check" CHECK ("status" IN ('draft', 'published', 'archived'));`,
    ]);
  });

  it('renames a column declared renamedFrom, and the constraints named after it, instead of dropping it', async () => {
    const statements = await update(
      libraryV2(['      title: { type: string, maxLength: 200, unique: true }', '      headline: { type: string, maxLength: 200, unique: true, renamedFrom: title }']),
    );
    expect(statements).toEqual(['ALTER TABLE "books" RENAME COLUMN "title" TO "headline";', 'ALTER TABLE "books" RENAME CONSTRAINT "books_title_key" TO "books_headline_key";']);
  });

  it('renames a table declared renamedFrom on its entity, with its primary key; references to it follow', async () => {
    const v2 = libraryV2(['  Author:\n', '  Writer:\n    renamedFrom: Author\n'], ['target: Author', 'target: Writer']);
    expect(await update(v2)).toEqual(['ALTER TABLE "authors" RENAME TO "writers";', 'ALTER TABLE "writers" RENAME CONSTRAINT "authors_pkey" TO "writers_pkey";']);
  });

  it('renames the default join table of a renamed entity, its column and the names built on them', async () => {
    const tags = `  Tag:\n    fields:\n      label: { type: string }\n`;
    const v1 = await generation(
      `${LIBRARY_V1.replace('      author: { kind: many-to-one, target: Author }', '      author: { kind: many-to-one, target: Author }\n      tags: { kind: many-to-many, target: Tag }')}${tags}`,
    );
    const v2Model = `${LIBRARY_V1.replace('  Book:\n', '  Volume:\n    renamedFrom: Book\n').replace('      author: { kind: many-to-one, target: Author }', '      author: { kind: many-to-one, target: Author }\n      tags: { kind: many-to-many, target: Tag }')}${tags}`;
    const v2 = await generation(v2Model, v1);
    expect(statementsOf(v2.added ?? '')).toEqual([
      'ALTER TABLE "books" RENAME TO "volumes";',
      'ALTER TABLE "volumes" RENAME CONSTRAINT "books_pkey" TO "volumes_pkey";',
      'ALTER TABLE "books_tags" RENAME TO "volumes_tags";',
      'ALTER TABLE "volumes_tags" RENAME CONSTRAINT "books_tags_pkey" TO "volumes_tags_pkey";',
      'ALTER TABLE "volumes_tags" RENAME COLUMN "book_id" TO "volume_id";',
      'ALTER TABLE "volumes" RENAME CONSTRAINT "books_title_key" TO "volumes_title_key";',
      'ALTER TABLE "volumes" RENAME CONSTRAINT "books_status_check" TO "volumes_status_check";',
      'ALTER TABLE "volumes" RENAME CONSTRAINT "books_pages_min" TO "volumes_pages_min";',
      'ALTER TABLE "volumes" RENAME CONSTRAINT "books_author_id_fkey" TO "volumes_author_id_fkey";',
      'ALTER INDEX "books_author_id_idx" RENAME TO "volumes_author_id_idx";',
      'ALTER TABLE "volumes_tags" RENAME CONSTRAINT "books_tags_book_id_fkey" TO "volumes_tags_volume_id_fkey";',
      'ALTER TABLE "volumes_tags" RENAME CONSTRAINT "books_tags_tag_id_fkey" TO "volumes_tags_tag_id_fkey";',
      'ALTER INDEX "books_tags_tag_id_idx" RENAME TO "volumes_tags_tag_id_idx";',
    ]);
  });

  it('treats a renamedFrom that an earlier migration applied as done, so it can stay in the model', async () => {
    const v2 = libraryV2(
      ['  Author:\n', '  Writer:\n    renamedFrom: Author\n'],
      ['target: Author', 'target: Writer'],
      ['      pages:', '      pageCount:'],
      ['min: 1 }', 'min: 1, renamedFrom: pages }'],
    );
    const renamed = await generation(v2, await generation(LIBRARY_V1));
    expect(statementsOf(renamed.added ?? '')).toContain('ALTER TABLE "books" RENAME COLUMN "pages" TO "page_count";');
    const again = await generation(v2, renamed);
    expect(again.added).toBeUndefined();
    expect(again.journal.entries).toHaveLength(2);
    expect(JSON.stringify(again.snapshot)).not.toContain('renamedFrom');
  });

  it('refuses a renamedFrom whose old name the snapshot never had (SCF038), and one that conflicts (SCF039)', async () => {
    expect(await refusal(libraryV2(['      subtitle: { type: string, required: false }', '      tagline: { type: string, required: false, renamedFrom: subheading }']))).toEqual([
      expect.stringMatching(
        /^SCF038 column books\.tagline is renamed from subheading \(renamedFrom\), but the schema snapshot's books has no column subheading; its columns: id, title, subtitle/,
      ),
    ]);
    expect(await refusal(libraryV2(['  Author:\n', '  Writer:\n    renamedFrom: Autor\n'], ['target: Author', 'target: Writer']))).toEqual([
      expect.stringMatching(/^SCF038 table writers is renamed from autors .* no table autors; tables it has: authors, books/),
    ]);
    expect(await refusal(libraryV2(['      pages:', '      pageCount: { type: integer, renamedFrom: pages }\n      pages:']))).toEqual([
      expect.stringMatching(/^SCF039 column books\.page_count is renamed from pages, but the model still has/),
    ]);
  });

  it('relaxes constraints directly: NOT NULL dropped, a longer varchar, a new default, a lower minimum', async () => {
    const statements = await update(
      libraryV2(
        ['name: { type: string, maxLength: 100 }', 'name: { type: string, maxLength: 100, required: false }'],
        ['title: { type: string, maxLength: 200,', 'title: { type: string, maxLength: 300,'],
        ['subtitle: { type: string, required: false }', "subtitle: { type: string, required: false, default: '' }"],
        ['pages: { type: integer, min: 1 }', 'pages: { type: integer, min: 0 }'],
      ),
    );
    expect(statements).toEqual([
      'ALTER TABLE "authors" ALTER COLUMN "name" DROP NOT NULL;',
      'ALTER TABLE "books" ALTER COLUMN "title" TYPE varchar(300);',
      `ALTER TABLE "books" ALTER COLUMN "subtitle" SET DEFAULT '';`,
      'ALTER TABLE "books" DROP CONSTRAINT "books_pages_min", ADD CONSTRAINT "books_pages_min" CHECK ("pages" >= 0);',
    ]);
  });

  it('flags every tightened constraint with table.column, what and why, and how to confirm', async () => {
    const problems = await refusal(
      libraryV2(
        ['subtitle: { type: string, required: false }', 'subtitle: { type: string }'],
        ['title: { type: string, maxLength: 200,', 'title: { type: string, maxLength: 50,'],
        ['values: [draft, published], default: draft', 'values: [published], default: published'],
        ['pages: { type: integer, min: 1 }', 'pages: { type: integer, min: 1, max: 5000 }\n      language: { type: string }'],
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^SCF037 books\.language: required column added without a default: existing rows have no value for it/),
      expect.stringMatching(/^SCF037 books\.title: type narrowed from varchar\(200\) to varchar\(50\): existing values that do not fit make the migration fail/),
      expect.stringMatching(/^SCF037 books\.subtitle: becomes required \(SET NOT NULL\): existing rows where it is NULL make the migration fail/),
      expect.stringMatching(/^SCF037 books\.books_status_check: CHECK narrowed from .* to \("status" IN \('published'\)\)/),
      expect.stringMatching(/^SCF037 books\.books_pages_max: new CHECK \("pages" <= 5000\): existing rows that break it make the migration fail/),
    ]);
    expect(problems.every((p) => p.includes('rerun with --allow-data-loss'))).toBe(true);
  });

  it('flags drops, and writes them once confirmed, each after a comment that says so', async () => {
    const v2 = libraryV2(['      pages: { type: integer, min: 1 }\n', ''])
      .replace(/ {2}Author:\n.*\n.*\n/, '')
      .replace('    relations:\n      author: { kind: many-to-one, target: Author }\n', '');
    expect(await refusal(v2)).toEqual([
      expect.stringMatching(/^SCF037 books\.pages: column dropped: its values in every row are deleted/),
      expect.stringMatching(/^SCF037 books\.author_id: column dropped/),
      expect.stringMatching(/^SCF037 authors: table dropped: all its rows are deleted/),
    ]);
    const statements = await update(v2, true);
    expect(statements).toContain('ALTER TABLE "books" DROP CONSTRAINT "books_author_id_fkey";');
    expect(statements).toContain('ALTER TABLE "books" DROP CONSTRAINT "books_pages_min";');
    expect(statements.at(-1)).toBe(
      '-- scaffold: data loss confirmed: authors: table dropped: all its rows are deleted (to keep them under a new name, declare renamedFrom on the entity)\nDROP TABLE "authors";',
    );
    expect(statements).toContain(
      '-- scaffold: data loss confirmed: books.pages: column dropped: its values in every row are deleted (to keep them under a new name, declare renamedFrom on the field)\nALTER TABLE "books" DROP COLUMN "pages";',
    );
    // The foreign key goes before the table it points at.
    expect(statements.findIndex((s) => s.includes('books_author_id_fkey'))).toBeLessThan(statements.findIndex((s) => s.includes('DROP TABLE')));
  });

  it('adds a required column with a default directly: existing rows get the default', async () => {
    expect(await update(libraryV2(['      pages:', '      language: { type: string, default: en }\n      pages:']))).toEqual([
      `ALTER TABLE "books" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;`,
    ]);
  });
});
