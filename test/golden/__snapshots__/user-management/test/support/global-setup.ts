import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { TestProject } from 'vitest/node';

/** Migrates one embedded database before the tests and hands its dump to every test file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
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
