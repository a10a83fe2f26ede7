import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { ident, type RelationalSchema, type Table } from '../model/domain/relational-schema.js';

/**
 * Renames declared in the model (`renamedFrom` on entities and fields), applied to the previous schema
 * before it is compared with the new one: tables and columns keep their rows under the new names
 * instead of being dropped and added empty. A rename the snapshot already shows (the new name is there)
 * is a no-op, so `renamedFrom` can stay in the model. Constraint and index names derived from a table
 * or column name follow along, matched by what they constrain rather than by name.
 */
export interface ResolvedRenames {
  /** The previous schema as it is after the renames. */
  renamed: RelationalSchema;
  statements: string[];
  problems: Diagnostic[];
}

export function resolveRenames(previous: RelationalSchema, current: RelationalSchema): ResolvedRenames {
  const renamed: RelationalSchema = structuredClone(previous);
  const statements: string[] = [];
  const problems: Diagnostic[] = [];
  const tableNamed = (name: string) => renamed.tables.find((t) => t.name === name);

  for (const table of current.tables) {
    const from = table.renamedFrom;
    if (from === undefined || tableNamed(table.name)) continue;
    const old = tableNamed(from);
    if (!old) {
      problems.push(
        error(
          'SCF038',
          `table ${table.name} is renamed from ${from} (renamedFrom of ${table.entity ?? 'its entity'}), but the schema snapshot has no table ${from}; tables it has: ${renamed.tables.map((t) => t.name).join(', ') || 'none'}`,
          undefined,
          'correct or remove renamedFrom',
        ),
      );
      continue;
    }
    if (current.tables.some((t) => t.name === from) || current.tables.some((t) => t !== table && t.renamedFrom === from && !tableNamed(t.name))) {
      problems.push(
        error(
          'SCF039',
          `table ${table.name} is renamed from ${from}, but the model still has, or renames another table from, ${from}`,
          undefined,
          'keep one renamedFrom per old name, on a table whose old name left the model',
        ),
      );
      continue;
    }
    statements.push(`ALTER TABLE ${ident(from)} RENAME TO ${ident(table.name)};`);
    statements.push(`ALTER TABLE ${ident(table.name)} RENAME CONSTRAINT ${ident(`${from}_pkey`)} TO ${ident(`${table.name}_pkey`)};`);
    old.name = table.name;
    for (const other of renamed.tables) for (const fk of other.foreignKeys) if (fk.references.table === from) fk.references.table = table.name;
  }

  for (const table of current.tables) {
    const old = tableNamed(table.name);
    if (!old) continue;
    for (const column of table.columns) {
      const from = column.renamedFrom;
      if (from === undefined || old.columns.some((c) => c.name === column.name)) continue;
      if (!old.columns.some((c) => c.name === from)) {
        problems.push(
          error(
            'SCF038',
            `column ${table.name}.${column.name} is renamed from ${from} (renamedFrom), but the schema snapshot's ${table.name} has no column ${from}; its columns: ${old.columns.map((c) => c.name).join(', ')}`,
            undefined,
            'correct or remove renamedFrom',
          ),
        );
        continue;
      }
      if (table.columns.some((c) => c.name === from) || table.columns.some((c) => c !== column && c.renamedFrom === from && !old.columns.some((o) => o.name === c.name))) {
        problems.push(
          error(
            'SCF039',
            `column ${table.name}.${column.name} is renamed from ${from}, but the model still has, or renames another column from, ${table.name}.${from}`,
            undefined,
            'keep one renamedFrom per old name, on a field whose old name left the model',
          ),
        );
        continue;
      }
      statements.push(`ALTER TABLE ${ident(table.name)} RENAME COLUMN ${ident(from)} TO ${ident(column.name)};`);
      renameColumn(renamed, old, from, column.name);
    }
  }

  for (const table of current.tables) {
    const old = tableNamed(table.name);
    if (old) statements.push(...followDerivedNames(old, table));
  }
  return { renamed, statements, problems };
}

/** What PostgreSQL does on RENAME COLUMN: constraints, indexes and checks now name the new column. */
function renameColumn(schema: RelationalSchema, table: Table, from: string, to: string): void {
  const swap = (name: string) => (name === from ? to : name);
  for (const column of table.columns) column.name = swap(column.name);
  table.primaryKey = table.primaryKey.map(swap);
  for (const unique of table.uniques) unique.columns = unique.columns.map(swap);
  for (const index of table.indexes) {
    index.columns = index.columns.map(swap);
    if (index.lower) index.lower = index.lower.map(swap);
  }
  for (const fk of table.foreignKeys) fk.column = swap(fk.column);
  for (const check of table.checks) check.expression = check.expression.split(ident(from)).join(ident(to));
  for (const other of schema.tables) {
    for (const fk of other.foreignKeys) if (fk.references.table === table.name && fk.references.column === from) fk.references.column = to;
  }
}

/**
 * Constraints and indexes that constrain the same thing under a new name (`products_sku_key` after
 * `sku` became `code`) are renamed, not dropped and created again.
 */
function followDerivedNames(old: Table, table: Table): string[] {
  const statements: string[] = [];
  const renameEach = <T extends { name: string }>(before: T[], after: T[], same: (a: T, b: T) => boolean, statement: (from: string, to: string) => string) => {
    for (const item of before) {
      if (after.some((a) => a.name === item.name)) continue;
      const match = after.find((a) => same(a, item) && !before.some((b) => b.name === a.name));
      if (!match) continue;
      statements.push(statement(item.name, match.name));
      item.name = match.name;
    }
  };
  const renameConstraint = (from: string, to: string) => `ALTER TABLE ${ident(table.name)} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)};`;
  const sameColumns = (a: string[], b: string[]) => a.join(',') === b.join(',');
  renameEach(old.uniques, table.uniques, (a, b) => sameColumns(a.columns, b.columns), renameConstraint);
  renameEach(old.checks, table.checks, (a, b) => a.expression === b.expression, renameConstraint);
  renameEach(
    old.foreignKeys,
    table.foreignKeys,
    (a, b) => a.column === b.column && a.references.table === b.references.table && a.references.column === b.references.column,
    renameConstraint,
  );
  renameEach(
    old.indexes,
    table.indexes,
    (a, b) => a.unique === b.unique && sameColumns(a.columns, b.columns),
    (from, to) => `ALTER INDEX ${ident(from)} RENAME TO ${ident(to)};`,
  );
  return statements;
}
