import { error, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RelationalSchema } from '../model/domain/relational-schema.js';
import { BREAKPOINT, createSchemaStatements } from './migration-sql.js';
import { schemaChanges, type SchemaChange } from './schema-changes.js';
import { resolveRenames } from './schema-renames.js';

/**
 * Migrations are computed from the schema snapshot of the previous generation
 * (`.scaffold/schema-snapshot.json`): the first generation creates everything; later ones migrate
 * from the snapshot to the model, renaming what the model says was renamed (`renamedFrom`). A
 * migration, once written, is never edited: a change is always a new file. Changes that could fail on
 * existing rows or lose data are refused (SCF037) unless confirmed with --allow-data-loss, and then
 * written with a comment that says so.
 */
export interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

export interface Journal {
  version: string;
  dialect: 'postgresql';
  entries: JournalEntry[];
}

export interface MigrationPlan {
  journal: Journal;
  /** The migration this generation adds, if the schema changed. */
  added: { path: string; sql: string } | undefined;
  /** What `.scaffold/schema-snapshot.json` holds next: the new schema once a migration leads to it. */
  snapshot: RelationalSchema;
}

export interface MigrationOptions {
  /** The user confirmed changes that can fail on existing rows or lose data (--allow-data-loss). */
  allowDataLoss?: boolean;
}

export function planMigrations(previous: RelationalSchema | undefined, current: RelationalSchema, journal: Journal | undefined, options: MigrationOptions = {}): MigrationPlan {
  const existing: Journal = journal ?? {
    version: '7',
    dialect: 'postgresql',
    entries: [],
  };
  const target = withoutRenames(current);
  const statements = previous === undefined || existing.entries.length === 0 ? createSchemaStatements(target) : migrationStatements(previous, current, options);
  if (statements.length === 0)
    return {
      journal: existing,
      added: undefined,
      snapshot: previous ?? target,
    };
  const idx = existing.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${idx === 0 ? 'initial' : 'update'}`;
  // `when` orders migrations for drizzle's migrator; a counter keeps the output deterministic.
  const entry: JournalEntry = {
    idx,
    version: '7',
    when: (existing.entries.at(-1)?.when ?? 0) + 1,
    tag,
    breakpoints: true,
  };
  return {
    journal: { ...existing, entries: [...existing.entries, entry] },
    added: {
      path: `migrations/${tag}.sql`,
      sql: `${statements.join(BREAKPOINT)}\n`,
    },
    snapshot: target,
  };
}

function migrationStatements(previous: RelationalSchema, current: RelationalSchema, options: MigrationOptions): string[] {
  const renames = resolveRenames(previous, current);
  if (renames.problems.length > 0) throw new ScaffoldError(renames.problems);
  const { changes, problems } = schemaChanges(renames.renamed, withoutRenames(current));
  if (problems.length > 0) throw new ScaffoldError(problems);
  const risky = changes.filter((c) => c.risk !== undefined);
  if (risky.length > 0 && options.allowDataLoss !== true) throw new ScaffoldError(risky.map(refusal));
  return [...renames.statements, ...changes.map(confirmed)];
}

function refusal(change: SchemaChange): Diagnostic {
  const risk = change.risk as NonNullable<SchemaChange['risk']>;
  return error(
    'SCF037',
    `${risk.subject}: ${risk.what}: ${risk.why}`,
    undefined,
    'change the model, or rerun with --allow-data-loss to write this statement into the new migration (marked with a comment); nothing was written',
  );
}

function confirmed(change: SchemaChange): string {
  if (!change.risk) return change.statement;
  const { subject, what, why } = change.risk;
  return `-- scaffold: data loss confirmed: ${subject}: ${what}: ${why}\n${change.statement}`;
}

/** The schema as the snapshot records it: `renamedFrom` is an instruction for one migration, not structure. */
function withoutRenames(schema: RelationalSchema): RelationalSchema {
  return {
    tables: schema.tables.map(({ renamedFrom: _table, ...table }) => ({
      ...table,
      columns: table.columns.map(({ renamedFrom: _column, ...column }) => column),
    })),
  };
}
