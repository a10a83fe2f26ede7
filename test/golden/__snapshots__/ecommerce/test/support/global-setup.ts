import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../src/repositories/database.js';

/**
 * Migrates once, before the tests: an embedded database whose dump every test worker loads, or,
 * with TEST_DATABASE_URL, that PostgreSQL database, emptied first (point it at a scratch database only).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (databaseUrl) {
    const connection = await connectDatabase({ databaseUrl, dataDir: 'memory://' });
    try {
      await connection.db.execute(sql`drop schema if exists public cascade`);
      await connection.db.execute(sql`drop schema if exists drizzle cascade`);
      await connection.db.execute(sql`create schema public`);
      await connection.migrate();
    } finally {
      await connection.close();
    }
    project.provide('databaseTemplate', undefined);
    return async () => {};
  }
  const client = new PGlite();
  await migrate(drizzle(client), { migrationsFolder: join(import.meta.dirname, '..', '..', 'migrations') });
  const dump = await client.dumpDataDir('none');
  await client.close();
  const directory = await mkdtemp(join(tmpdir(), 'database-template-'));
  const path = join(directory, 'template.tar');
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('databaseTemplate', path);
  return () => rm(directory, { recursive: true, force: true });
}
