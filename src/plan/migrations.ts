import { error, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { ident, type RelationalSchema, type Table } from '../model/domain/relational-schema.js';
import { addForeignKey, BREAKPOINT, columnDefinition, createIndex, createSchemaStatements, createTable } from './migration-sql.js';

/**
 * Migrations are computed from the schema snapshot of the previous generation
 * (`.scaffold/schema-snapshot.json`): the first generation creates everything; later ones add what is
 * new. A migration, once written, is never edited; changes that could lose data or need a decision
 * (a dropped or altered column, a rename) are refused with an explanation instead of guessed.
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
}

export function planMigrations(previous: RelationalSchema | undefined, current: RelationalSchema, journal: Journal | undefined): MigrationPlan {
  const existing: Journal = journal ?? { version: '7', dialect: 'postgresql', entries: [] };
  const statements = previous === undefined || existing.entries.length === 0 ? createSchemaStatements(current) : additiveChanges(previous, current);
  if (statements.length === 0) return { journal: existing, added: undefined };
  const idx = existing.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${idx === 0 ? 'initial' : 'update'}`;
  // `when` orders migrations for drizzle's migrator; a counter keeps the output deterministic.
  const entry: JournalEntry = { idx, version: '7', when: (existing.entries.at(-1)?.when ?? 0) + 1, tag, breakpoints: true };
  return {
    journal: { ...existing, entries: [...existing.entries, entry] },
    added: { path: `migrations/${tag}.sql`, sql: `${statements.join(BREAKPOINT)}\n` },
  };
}

function additiveChanges(previous: RelationalSchema, current: RelationalSchema): string[] {
  const problems: Diagnostic[] = [];
  const statements: string[] = [];
  const before = new Map(previous.tables.map((t) => [t.name, t]));
  const newTables = current.tables.filter((t) => !before.has(t.name));
  statements.push(...newTables.map(createTable));
  for (const table of current.tables) {
    const old = before.get(table.name);
    if (!old) continue;
    for (const column of table.columns) {
      const was = old.columns.find((c) => c.name === column.name);
      if (!was) {
        if (!column.nullable && column.default === undefined) {
          problems.push(error('SCF035', `new column ${table.name}.${column.name} is required and has no default, so existing rows cannot get a value; give it a default or make it optional`));
        }
        statements.push(`ALTER TABLE ${ident(table.name)} ADD COLUMN ${columnDefinition(column)};`);
      } else if (JSON.stringify(was) !== JSON.stringify(column)) {
        problems.push(error('SCF035', `column ${table.name}.${column.name} changed (${describe(was)} -> ${describe(column)}); write that migration by hand in migrations/ for now`));
      }
    }
    for (const column of old.columns) {
      if (!table.columns.some((c) => c.name === column.name)) {
        problems.push(error('SCF035', `column ${table.name}.${column.name} would be dropped, losing its data; drop it in a hand-written migration if that is intended`));
      }
    }
    for (const fk of table.foreignKeys) if (!old.foreignKeys.some((f) => f.name === fk.name)) statements.push(addForeignKey(table, fk));
    for (const index of table.indexes) if (!old.indexes.some((i) => i.name === index.name)) statements.push(createIndex(table, index));
    for (const check of [...table.checks, ...table.uniques.map((u) => ({ name: u.name, expression: '' }))]) {
      const existed = [...old.checks, ...old.uniques].some((c) => c.name === check.name);
      if (!existed) problems.push(error('SCF035', `constraint ${check.name} is new on existing table ${table.name}; existing rows may break it, so add it in a hand-written migration`));
    }
  }
  for (const table of previous.tables) {
    if (!current.tables.some((t) => t.name === table.name)) problems.push(error('SCF035', `table ${table.name} would be dropped, losing its data; drop it in a hand-written migration if that is intended`));
  }
  for (const table of newTables) {
    statements.push(...table.foreignKeys.map((fk) => addForeignKey(table, fk)), ...table.indexes.map((index) => createIndex(table, index)));
  }
  if (problems.length > 0) throw new ScaffoldError(problems);
  return statements;
}

function describe(column: Table['columns'][number]): string {
  return `${column.type}${column.nullable ? ' null' : ' not null'}${column.default !== undefined ? ` default ${column.default}` : ''}`;
}
