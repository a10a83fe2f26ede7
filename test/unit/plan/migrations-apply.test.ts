import { execFileSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { generation, LIBRARY_V1, libraryV2, statementsOf } from './migration-fixtures.js';

/**
 * The generated migrations applied, in order, to a real database that holds rows: what a user's
 * `npm run db:migrate` does after a model change. Each migration runs in a transaction, as drizzle's
 * migrator runs them. PGlite always; the local PostgreSQL server (PostgreSQL 15 in the field) when it
 * is reachable.
 */
interface Database {
  /** Runs one migration's statements in one transaction. */
  migrate(statements: string[]): Promise<void>;
  exec(sql: string): Promise<void>;
  /** The rows of a query, through JSON so both drivers give the same values. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

const V2 = libraryV2(
  ['  Author:\n', '  Writer:\n    renamedFrom: Author\n'],
  ['target: Author', 'target: Writer'],
  [
    '      title: { type: string, maxLength: 200, unique: true }',
    '      headline: { type: string, maxLength: 200, unique: true, renamedFrom: title }\n      isbn: { type: string, required: false }',
  ],
  ['values: [draft, published]', 'values: [draft, published, archived]'],
  ['      pages:', '      language: { type: string, default: en }\n      pages:'],
);

async function scenario(db: Database): Promise<void> {
  const v1 = await generation(LIBRARY_V1);
  const v2 = await generation(V2, v1);
  expect(v2.migrations).toHaveLength(2);
  await db.migrate(statementsOf(v1.migrations[0] as string));
  await db.exec(`INSERT INTO authors (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'Ursula K. Le Guin');
    INSERT INTO books (title, subtitle, status, pages, author_id) VALUES
      ('The Dispossessed', 'An Ambiguous Utopia', 'published', 387, '00000000-0000-4000-8000-000000000001'),
      ('The Lathe of Heaven', NULL, 'draft', 184, '00000000-0000-4000-8000-000000000001');`);

  await db.migrate(statementsOf(v2.migrations[1] as string));

  expect(
    await db.rows(`SELECT b.headline, b.subtitle, b.status, b.pages, b.isbn, b.language, w.name AS writer FROM books b JOIN writers w ON w.id = b.author_id ORDER BY b.pages DESC`),
  ).toEqual([
    { headline: 'The Dispossessed', subtitle: 'An Ambiguous Utopia', status: 'published', pages: 387, isbn: null, language: 'en', writer: 'Ursula K. Le Guin' },
    { headline: 'The Lathe of Heaven', subtitle: null, status: 'draft', pages: 184, isbn: null, language: 'en', writer: 'Ursula K. Le Guin' },
  ]);
  expect(await db.rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)).toEqual([
    { table_name: 'books' },
    { table_name: 'writers' },
  ]);
  // The constraints moved with their columns and tables, under the names the new schema gives them
  // (PostgreSQL 18 also lists NOT NULL as constraints, named once, which no migration refers to).
  expect(await db.rows(`SELECT conname FROM pg_constraint WHERE conrelid IN ('books'::regclass, 'writers'::regclass) AND contype <> 'n' ORDER BY conname`)).toEqual(
    ['books_author_id_fkey', 'books_headline_key', 'books_pages_min', 'books_pkey', 'books_status_check', 'writers_pkey'].map((conname) => ({ conname })),
  );
  await db.exec(`INSERT INTO books (headline, status, pages, author_id) VALUES ('Always Coming Home', 'archived', 523, '00000000-0000-4000-8000-000000000001')`);
  await expect(db.exec(`INSERT INTO books (headline, status, pages, author_id) VALUES ('The Dispossessed', 'draft', 1, '00000000-0000-4000-8000-000000000001')`)).rejects.toThrow(
    /books_headline_key/,
  );

  // A confirmed drop runs as written, its comment included; the other rows and columns stay.
  const v3 = await generation(V2.replace('      subtitle: { type: string, required: false }\n', ''), v2, { allowDataLoss: true });
  expect(v3.added).toContain('-- scaffold: data loss confirmed: books.subtitle: column dropped');
  await db.migrate(statementsOf(v3.added as string));
  expect(await db.rows(`SELECT headline, language FROM books ORDER BY pages`)).toEqual([
    { headline: 'The Lathe of Heaven', language: 'en' },
    { headline: 'The Dispossessed', language: 'en' },
    { headline: 'Always Coming Home', language: 'en' },
  ]);
  expect(await db.rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'books' AND column_name = 'subtitle'`)).toEqual([]);
}

describe('generated migrations applied to a database with rows', () => {
  it('keep every row through an added column, a renamed column and a renamed table (PGlite)', async () => {
    const pglite = new PGlite();
    try {
      await scenario({
        migrate: (statements) =>
          pglite.transaction(async (tx) => {
            for (const statement of statements) await tx.exec(statement);
          }),
        exec: async (sql) => void (await pglite.exec(sql)),
        rows: async (sql) =>
          JSON.parse((await pglite.query<{ json: string }>(`SELECT coalesce(json_agg(q), '[]')::text AS json FROM (${sql}) q`)).rows[0]?.json ?? '[]') as Record<string, unknown>[],
      });
    } finally {
      await pglite.close();
    }
  }, 60_000);

  const server = localPostgres();
  afterAll(() => server?.drop());
  it.skipIf(server === undefined)(
    'keep every row on the local PostgreSQL server too (skipped when 127.0.0.1:5432 is not reachable)',
    async () => {
      if (!server) return;
      await scenario(server.database);
    },
    60_000,
  );
});

/** A fresh database on the local server, through psql; undefined (with a message) when there is none. */
function localPostgres(): { database: Database; drop: () => void } | undefined {
  const psql = (database: string, args: string[], input?: string) =>
    execFileSync('psql', ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-X', '-q', ...args], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input !== undefined && { input }),
    });
  const name = `scaffold_migrations_${process.pid}`;
  try {
    psql('test', ['-c', `DROP DATABASE IF EXISTS ${name}`]);
    psql('test', ['-c', `CREATE DATABASE ${name}`]);
  } catch (cause) {
    console.warn(`Skipping the PostgreSQL migration test: no server at 127.0.0.1:5432 (user postgres, database test): ${(cause as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const run = async (args: string[], input?: string) => {
    try {
      return psql(name, args, input);
    } catch (cause) {
      throw new Error(String((cause as { stderr?: string }).stderr ?? cause));
    }
  };
  return {
    database: {
      migrate: async (statements) => void (await run(['--single-transaction', '-f', '-'], statements.join('\n'))),
      exec: async (sql) => void (await run(['-f', '-'], sql)),
      rows: async (sql) => JSON.parse(await run(['-At', '-c', `SELECT coalesce(json_agg(q), '[]')::text FROM (${sql}) q`])) as Record<string, unknown>[],
    },
    drop: () => void psql('test', ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}
