import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import type { RelationalSchema } from '../model/domain/relational-schema.js';
import type { Journal } from '../plan/migrations.js';

/** What a previous generation left in the project that the next one builds on. */
export interface ProjectState {
  /** The database schema the existing migrations produce (`.scaffold/schema-snapshot.json`). */
  schemaSnapshot: RelationalSchema | undefined;
  /** drizzle's list of migrations (`migrations/meta/_journal.json`). */
  journal: Journal | undefined;
  /** The migrations the journal lists, as they are on disk (they belong to the project now). */
  migrations: { path: string; sql: string }[];
}

export const SCHEMA_SNAPSHOT_PATH = '.scaffold/schema-snapshot.json';
export const JOURNAL_PATH = 'migrations/meta/_journal.json';

export async function loadProjectState(projectDir: string): Promise<ProjectState> {
  const journal = await readJson<Journal>(projectDir, JOURNAL_PATH);
  const migrations: ProjectState['migrations'] = [];
  for (const entry of journal?.entries ?? []) {
    const path = `migrations/${entry.tag}.sql`;
    const sql = await readFile(join(projectDir, path), 'utf8').catch(() => undefined);
    if (sql === undefined) fail('SCF023', `${JOURNAL_PATH} lists ${path}, which does not exist`, { file: join(projectDir, JOURNAL_PATH) });
    migrations.push({ path, sql });
  }
  return { schemaSnapshot: await readJson<RelationalSchema>(projectDir, SCHEMA_SNAPSHOT_PATH), journal, migrations };
}

async function readJson<T>(projectDir: string, path: string): Promise<T | undefined> {
  const text = await readFile(join(projectDir, path), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    fail('SCF023', `${path} is not valid JSON: ${(cause as Error).message}`, { file: join(projectDir, path) });
  }
}
