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

/**
 * A freshly migrated database for a test file: an in-memory PGlite loaded from the migrated template
 * the global setup made (well under a second, where a new one takes several), or, when
 * TEST_DATABASE_URL is set, that PostgreSQL database, emptied first: point it at a scratch database only.
 */
export async function testDatabase(): Promise<DatabaseConnection> {
  const templatePath = inject('databaseTemplate');
  const template = templatePath === undefined ? undefined : new Blob([await readFile(templatePath)]);
  const connection = await connectDatabase({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir: 'memory://',
    ...(template && { template }),
  });
  if (connection.kind === 'postgres') {
    await connection.db.execute(sql`drop schema if exists public cascade`);
    await connection.db.execute(sql`drop schema if exists drizzle cascade`);
    await connection.db.execute(sql`create schema public`);
  }
  await connection.migrate();
  return connection;
}
