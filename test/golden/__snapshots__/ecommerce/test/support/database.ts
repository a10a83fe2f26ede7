import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseConnection } from '../../src/repositories/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated embedded database, made once by global-setup.ts. */
    databaseTemplate: string | undefined;
  }
}

/** Empties every table of the application's schema (drizzle's record of the migrations lives in its own schema). */
const EMPTY_TABLES = sql.raw(`DO $$
DECLARE tables text;
BEGIN
  SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables FROM pg_tables WHERE schemaname = 'public';
  IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE'; END IF;
END $$`);

/** The database of this test worker (test files share their worker's modules: see vitest.config.ts). */
let worker: { key: string; connection: Promise<DatabaseConnection> } | undefined;

/**
 * An empty, migrated database for a test file. Each test worker opens one, once: an in-memory PGlite
 * loaded from the template global-setup.ts migrated (well under a second, where a new one takes
 * several), or, with TEST_DATABASE_URL, the PostgreSQL database global-setup.ts migrated (point it
 * at a scratch database only). Every call empties it, so files do not see each other's data;
 * `close()` keeps it open for the worker's next file.
 */
export async function testDatabase(): Promise<DatabaseConnection> {
  const templatePath = inject('databaseTemplate');
  const key = templatePath ?? process.env.TEST_DATABASE_URL ?? '';
  if (worker?.key !== key) {
    void worker?.connection.then((previous) => previous.close());
    worker = { key, connection: openDatabase(templatePath) };
  }
  const connection = await worker.connection;
  await connection.db.execute(EMPTY_TABLES);
  return { ...connection, close: async () => {} };
}

async function openDatabase(templatePath: string | undefined): Promise<DatabaseConnection> {
  const template = templatePath === undefined ? undefined : new Blob([await readFile(templatePath)]);
  return connectDatabase({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir: 'memory://',
    ...(template && { template }),
  });
}
