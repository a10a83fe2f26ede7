import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { ident, type Column, type RelationalSchema, type Table } from '../model/domain/relational-schema.js';
import { addForeignKey, columnDefinition, createIndex, createTable } from './migration-sql.js';

/**
 * The statements that turn one schema into the next (renames already applied to the previous one, see
 * schema-renames.ts). Safe changes become statements directly; a change that can fail on existing rows
 * or lose data carries a `risk`, which the user must confirm (--allow-data-loss) before it is written.
 * Everything runs in the one transaction drizzle's migrator opens, so only transactional DDL is used:
 * enum values are a CHECK on a text column (never ALTER TYPE ... ADD VALUE), and a failing statement
 * leaves the database as it was.
 */
export interface SchemaChange {
  statement: string;
  risk?: Risk;
}

export interface Risk {
  /** `table` or `table.column`. */
  subject: string;
  what: string;
  why: string;
}

export interface SchemaChanges {
  changes: SchemaChange[];
  /** Changes scaffold does not write at all (SCF035): they need a decision a model cannot express. */
  problems: Diagnostic[];
}

export function schemaChanges(previous: RelationalSchema, current: RelationalSchema): SchemaChanges {
  const problems: Diagnostic[] = [];
  const before = new Map(previous.tables.map((t) => [t.name, t]));
  const kept = current.tables.filter((t) => before.has(t.name)).map((table) => ({ table, old: before.get(table.name) as Table }));
  const created = current.tables.filter((t) => !before.has(t.name));
  const dropped = previous.tables.filter((t) => !current.tables.some((c) => c.name === t.name));
  const phase = {
    dropConstraints: [] as SchemaChange[],
    createTables: created.map((table): SchemaChange => ({
      statement: createTable(table),
    })),
    columns: [] as SchemaChange[],
    constraints: [] as SchemaChange[],
    foreignKeys: [] as SchemaChange[],
    indexes: [] as SchemaChange[],
    dropColumns: [] as SchemaChange[],
    dropTables: [] as SchemaChange[],
  };

  for (const { table, old } of kept) {
    const t = ident(table.name);
    const added = table.columns.filter((c) => !old.columns.some((o) => o.name === c.name));
    /** New columns hold NULL in every existing row until they get a value: nothing to violate yet. */
    const allNullOnExistingRows = (columns: string[]) => columns.every((name) => added.some((c) => c.name === name && c.default === undefined && !c.identity));
    /** A CHECK on new columns only sees NULL or the column's default, which the model keeps within its rules. */
    const onlyNewColumns = (columns: string[]) => columns.length > 0 && columns.every((name) => added.some((c) => c.name === name));

    if (old.primaryKey.join(',') !== table.primaryKey.join(',')) {
      problems.push(
        error('SCF035', `the primary key of ${table.name} changed (${old.primaryKey.join(', ')} -> ${table.primaryKey.join(', ')}); write that migration by hand in migrations/`),
      );
    }

    for (const fk of old.foreignKeys) {
      const now = table.foreignKeys.find((f) => f.name === fk.name);
      if (!now || JSON.stringify(now) !== JSON.stringify(fk))
        phase.dropConstraints.push({
          statement: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(fk.name)};`,
        });
    }
    for (const check of old.checks) {
      if (!table.checks.some((c) => c.name === check.name))
        phase.dropConstraints.push({
          statement: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(check.name)};`,
        });
    }
    /** Dropping a column drops what is built on it; the column's drop is what gets flagged. */
    const survives = (columns: string[]) => columns.every((name) => table.columns.some((c) => c.name === name));
    for (const unique of old.uniques) {
      const now = table.uniques.find((u) => u.name === unique.name);
      if (now && now.columns.join(',') === unique.columns.join(',')) continue;
      // A unique index on the same columns that ignores case (`unique: ignore-case`) refuses more, never less.
      const replaced = table.indexes.some((i) => i.unique && i.columns.join(',') === unique.columns.join(','));
      const risk =
        now || replaced || !survives(unique.columns)
          ? undefined
          : {
              subject: `${table.name}.${unique.columns.join(', ')}`,
              what: `unique constraint ${unique.name} is dropped`,
              why: 'no rows are lost, but duplicate values become possible',
            };
      phase.dropConstraints.push({
        statement: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(unique.name)};`,
        ...(risk && { risk }),
      });
    }
    for (const index of old.indexes) {
      const now = table.indexes.find((i) => i.name === index.name);
      if (now && JSON.stringify(now) === JSON.stringify(index)) continue;
      const risk =
        now || !survives(index.columns)
          ? undefined
          : {
              subject: `${table.name}.${index.columns.join(', ')}`,
              what: `index ${index.name} is dropped`,
              why: index.unique ? 'no rows are lost, but duplicate values become possible' : 'no rows are lost, but queries it served get slower',
            };
      phase.dropConstraints.push({
        statement: `DROP INDEX ${ident(index.name)};`,
        ...(risk && { risk }),
      });
    }

    for (const column of added) {
      const risk =
        !column.nullable && column.default === undefined && !column.identity
          ? {
              subject: `${table.name}.${column.name}`,
              what: 'required column added without a default',
              why: 'existing rows have no value for it, so the migration fails on a table with rows; give it a default or make it optional',
            }
          : undefined;
      phase.columns.push({
        statement: `ALTER TABLE ${t} ADD COLUMN ${columnDefinition(column)};`,
        ...(risk && { risk }),
      });
    }
    for (const column of table.columns) {
      const was = old.columns.find((c) => c.name === column.name);
      if (was) phase.columns.push(...alterColumn(table.name, was, column, problems));
    }

    for (const check of table.checks) {
      const was = old.checks.find((c) => c.name === check.name);
      if (was?.expression === check.expression) continue;
      const add = `ADD CONSTRAINT ${ident(check.name)} CHECK (${check.expression})`;
      const subject = `${table.name}.${check.name}`;
      if (was === undefined) {
        const risk = {
          subject,
          what: `new CHECK (${check.expression})`,
          why: 'existing rows that break it make the migration fail',
        };
        phase.constraints.push({
          statement: `ALTER TABLE ${t} ${add};`,
          ...(!onlyNewColumns(columnsIn(check.expression, table)) && { risk }),
        });
      } else {
        const risk = {
          subject,
          what: `CHECK narrowed from (${was.expression}) to (${check.expression})`,
          why: 'existing rows it no longer allows (a removed enum value, say) make the migration fail',
        };
        phase.constraints.push({
          statement: `ALTER TABLE ${t} DROP CONSTRAINT ${ident(check.name)}, ${add};`,
          ...(!widens(was.expression, check.expression) && { risk }),
        });
      }
    }
    for (const unique of table.uniques) {
      const was = old.uniques.find((u) => u.name === unique.name);
      if (was && was.columns.join(',') === unique.columns.join(',')) continue;
      const risk = {
        subject: `${table.name}.${unique.columns.join(', ')}`,
        what: `new unique constraint ${unique.name}`,
        why: 'duplicate values in existing rows make the migration fail',
      };
      phase.constraints.push({
        statement: `ALTER TABLE ${t} ADD CONSTRAINT ${ident(unique.name)} UNIQUE (${unique.columns.map(ident).join(', ')});`,
        ...(!allNullOnExistingRows(unique.columns) && { risk }),
      });
    }
    for (const fk of table.foreignKeys) {
      const was = old.foreignKeys.find((f) => f.name === fk.name);
      if (was && JSON.stringify(was) === JSON.stringify(fk)) continue;
      // Only ON DELETE changed: every existing row already satisfies the reference.
      const sameReference = was !== undefined && was.column === fk.column && was.references.table === fk.references.table && was.references.column === fk.references.column;
      const risk = {
        subject: `${table.name}.${fk.column}`,
        what: `new foreign key to ${fk.references.table}`,
        why: `existing rows whose ${fk.column} matches no ${fk.references.table} row make the migration fail`,
      };
      phase.foreignKeys.push({
        statement: addForeignKey(table, fk),
        ...(!sameReference && !allNullOnExistingRows([fk.column]) && { risk }),
      });
    }
    for (const index of table.indexes) {
      const was = old.indexes.find((i) => i.name === index.name);
      if (was && JSON.stringify(was) === JSON.stringify(index)) continue;
      const risk = {
        subject: `${table.name}.${index.columns.join(', ')}`,
        what: `new unique index ${index.name}`,
        why: 'duplicate values in existing rows make the migration fail',
      };
      phase.indexes.push({
        statement: createIndex(table, index),
        ...(index.unique && !allNullOnExistingRows(index.columns) && { risk }),
      });
    }
    for (const column of old.columns) {
      if (table.columns.some((c) => c.name === column.name)) continue;
      const risk = {
        subject: `${table.name}.${column.name}`,
        what: 'column dropped',
        why: 'its values in every row are deleted (to keep them under a new name, declare renamedFrom on the field)',
      };
      phase.dropColumns.push({
        statement: `ALTER TABLE ${t} DROP COLUMN ${ident(column.name)};`,
        risk,
      });
    }
  }

  for (const table of created) {
    phase.foreignKeys.push(
      ...table.foreignKeys.map((fk) => ({
        statement: addForeignKey(table, fk),
      })),
    );
    phase.indexes.push(
      ...table.indexes.map((index) => ({
        statement: createIndex(table, index),
      })),
    );
  }
  for (const table of dropped) {
    // Its own references go first, so dropped tables that reference each other drop in any order.
    phase.dropConstraints.push(
      ...table.foreignKeys.map((fk) => ({
        statement: `ALTER TABLE ${ident(table.name)} DROP CONSTRAINT ${ident(fk.name)};`,
      })),
    );
    const risk = {
      subject: table.name,
      what: 'table dropped',
      why: 'all its rows are deleted (to keep them under a new name, declare renamedFrom on the entity)',
    };
    phase.dropTables.push({
      statement: `DROP TABLE ${ident(table.name)};`,
      risk,
    });
  }

  return { changes: Object.values(phase).flat(), problems };
}

function alterColumn(tableName: string, was: Column, column: Column, problems: Diagnostic[]): SchemaChange[] {
  const prefix = `ALTER TABLE ${ident(tableName)} ALTER COLUMN ${ident(column.name)}`;
  const subject = `${tableName}.${column.name}`;
  const changes: SchemaChange[] = [];
  if (was.identity !== column.identity) {
    problems.push(error('SCF035', `column ${subject} ${column.identity ? 'became' : 'is no longer'} an identity (serial) column; write that migration by hand in migrations/`));
    return [];
  }
  if (was.type !== column.type) {
    const kind = typeChange(was.type, column.type);
    if (kind === 'widen') changes.push({ statement: `${prefix} TYPE ${column.type};` });
    else if (kind === 'narrow') {
      changes.push({
        statement: `${prefix} TYPE ${column.type};`,
        risk: {
          subject,
          what: `type narrowed from ${was.type} to ${column.type}`,
          why: 'existing values that do not fit make the migration fail',
        },
      });
    } else {
      const risk = {
        subject,
        what: `type changed from ${was.type} to ${column.type}`,
        why: 'every value is cast; values that do not convert make the migration fail, and a cast may lose precision',
      };
      changes.push({
        statement: `${prefix} TYPE ${column.type} USING ${ident(column.name)}::${column.type};`,
        risk,
      });
    }
  }
  if (was.default !== column.default)
    changes.push({
      statement: column.default === undefined ? `${prefix} DROP DEFAULT;` : `${prefix} SET DEFAULT ${column.default};`,
    });
  if (was.nullable && !column.nullable) {
    // With a default, the rows that would make SET NOT NULL fail get that default first.
    const backfill = column.default === undefined ? '' : `UPDATE ${ident(tableName)} SET ${ident(column.name)} = DEFAULT WHERE ${ident(column.name)} IS NULL;\n`;
    const why =
      column.default === undefined ? 'existing rows where it is NULL make the migration fail' : `existing rows where it is NULL are set to its default (${column.default})`;
    changes.push({
      statement: `${backfill}${prefix} SET NOT NULL;`,
      risk: { subject, what: 'becomes required (SET NOT NULL)', why },
    });
  } else if (!was.nullable && column.nullable) changes.push({ statement: `${prefix} DROP NOT NULL;` });
  return changes;
}

/** Whether every value of the old type fits the new one unchanged. */
function typeChange(from: string, to: string): 'widen' | 'narrow' | 'convert' {
  const varchar = (type: string) => /^varchar\((\d+)\)$/.exec(type)?.[1];
  const numeric = (type: string) => /^numeric\((\d+), (\d+)\)$/.exec(type)?.slice(1).map(Number) as [number, number] | undefined;
  const [vFrom, vTo] = [varchar(from), varchar(to)];
  if (vFrom !== undefined && to === 'text') return 'widen';
  if (vFrom !== undefined && vTo !== undefined) return Number(vTo) >= Number(vFrom) ? 'widen' : 'narrow';
  if (from === 'text' && vTo !== undefined) return 'narrow';
  if (from === 'integer' && ['bigint', 'numeric'].includes(to)) return 'widen';
  if (from === 'bigint' && to === 'numeric') return 'widen';
  const [nFrom, nTo] = [numeric(from), numeric(to)];
  if (nFrom && to === 'numeric') return 'widen';
  if (nFrom && nTo) return nTo[1] >= nFrom[1] && nTo[0] - nTo[1] >= nFrom[0] - nFrom[1] ? 'widen' : 'narrow';
  return 'convert';
}

/** Whether every row the old CHECK allows passes the new one: more enum values, a lower minimum, a higher maximum. */
function widens(from: string, to: string): boolean {
  const values = (expression: string) => {
    const match = /^("(?:[^"]|"")+") IN \((.*)\)$/.exec(expression);
    return match
      ? {
          column: match[1],
          values: [...(match[2] as string).matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]),
        }
      : undefined;
  };
  const [vFrom, vTo] = [values(from), values(to)];
  if (vFrom && vTo) return vFrom.column === vTo.column && vFrom.values.every((v) => vTo.values.includes(v));
  const bound = (expression: string) => {
    const match = /^(.+) (>=|<=) (-?\d+(?:\.\d+)?)$/.exec(expression);
    return match ? { left: match[1], op: match[2], value: Number(match[3]) } : undefined;
  };
  const [bFrom, bTo] = [bound(from), bound(to)];
  if (!bFrom || !bTo || bFrom.left !== bTo.left || bFrom.op !== bTo.op) return false;
  return bFrom.op === '>=' ? bTo.value <= bFrom.value : bTo.value >= bFrom.value;
}

/** The table's columns a CHECK expression names. */
function columnsIn(expression: string, table: Table): string[] {
  return table.columns.filter((c) => expression.includes(ident(c.name))).map((c) => c.name);
}
