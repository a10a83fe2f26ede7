import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RelationalSchema } from '../model/domain/relational-schema.js';
import { API_SNAPSHOT_PATH, type ApiSnapshot } from '../plan/api-snapshot.js';
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

/**
 * The API the last generation saw (`.scaffold/api-snapshot.json`), to list what changed since; undefined
 * on a first generation. A snapshot that cannot be read is only a warning: this run writes a new one.
 */
export async function loadApiSnapshot(projectDir: string): Promise<{ snapshot: ApiSnapshot | undefined; diagnostics: Diagnostic[] }> {
  const text = await readFile(join(projectDir, API_SNAPSHOT_PATH), 'utf8').catch(() => undefined);
  if (text === undefined) return { snapshot: undefined, diagnostics: [] };
  let value: Partial<ApiSnapshot> | undefined;
  try {
    value = JSON.parse(text) as Partial<ApiSnapshot>;
  } catch {
    value = undefined;
  }
  if (value?.schemaVersion === 1 && Array.isArray(value.operations)) return { snapshot: value as ApiSnapshot, diagnostics: [] };
  const unreadable = warning('SCF050', `${API_SNAPSHOT_PATH} cannot be read (not valid JSON, or not a snapshot scaffold wrote): the API changes since the last generation are not listed`, { file: join(projectDir, API_SNAPSHOT_PATH) }, 'this run writes a new snapshot; the next one lists changes again');
  return { snapshot: undefined, diagnostics: [unreadable] };
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
