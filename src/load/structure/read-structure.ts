import { error, ScaffoldError, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import { scanPostgres, type SqlScan } from './sql-scan.js';

/**
 * A database structure as @dbml/core reads it from DBML or PostgreSQL DDL, reduced to what the domain
 * model import looks at and located in the source file. Everything else @dbml/core holds that carries
 * meaning is listed in `unsupported` rather than dropped.
 */
export interface Structure {
  file: string;
  format: StructureFormat;
  tables: StructureTable[];
  refs: StructureRef[];
  /** Constructs found while reading that the domain model cannot represent. */
  unsupported: { message: string; location: SourceLocation }[];
}

export type StructureFormat = 'dbml' | 'postgres';

export interface StructureTable {
  name: string;
  note: string | undefined;
  location: SourceLocation;
  columns: StructureColumn[];
  indexes: StructureIndex[];
  checks: { expression: string; location: SourceLocation }[];
}

export interface StructureColumn {
  name: string;
  /** The type as written, lower-cased with single spaces: `varchar(200)`, `numeric(10, 2)`, `order_status`. */
  type: string;
  /** The values, when `type` names an enum of the structure. */
  enumValues: string[] | undefined;
  pk: boolean;
  unique: boolean;
  notNull: boolean;
  increment: boolean;
  default: { kind: 'number' | 'string' | 'boolean' | 'expression'; value: string | number | boolean } | undefined;
  note: string | undefined;
  location: SourceLocation;
  checks: { expression: string; location: SourceLocation }[];
}

export interface StructureIndex {
  name: string | undefined;
  columns: { expression: boolean; value: string }[];
  unique: boolean;
  pk: boolean;
  /** The index method when one is named (`hash`, `gin`, ...). */
  method: string | undefined;
  note: string | undefined;
  location: SourceLocation;
}

export interface StructureRef {
  /** The constraint name, when one is written. */
  name: string | undefined;
  /** The side that holds the foreign key (the many side, or either side of a one-to-one as written). */
  from: { table: string; columns: string[]; many: boolean };
  to: { table: string; columns: string[]; many: boolean };
  onDelete: string | undefined;
  onUpdate: string | undefined;
  location: SourceLocation;
}

/** The part of @dbml/core's model this reader uses (its classes carry much more). */
interface DbmlToken {
  start: { line: number; column: number };
}
interface DbmlNamed {
  name: string;
  token?: DbmlToken;
}
interface DbmlDatabase {
  note?: string | null;
  noteToken?: DbmlToken | null;
  records?: { tableName: string; token?: DbmlToken }[];
  schemas: DbmlSchema[];
}
interface DbmlSchema extends DbmlNamed {
  tables: DbmlTable[];
  refs: DbmlRef[];
  enums: (DbmlNamed & { note?: string | null; values: (DbmlNamed & { note?: string | null })[] })[];
  deps?: DbmlNamed[];
}
interface DbmlTable extends DbmlNamed {
  note?: string | null;
  metadata?: Record<string, unknown> | null;
  fields: DbmlField[];
  indexes: { name?: string | null; unique?: boolean; pk?: boolean; type?: string | null; note?: string | null; token?: DbmlToken; columns: { type: string; value: string }[] }[];
  checks?: { expression: string; token?: DbmlToken }[];
}
interface DbmlField extends DbmlNamed {
  type: { type_name: string; schemaName?: string | null };
  metadata?: Record<string, unknown> | null;
  pk?: boolean;
  unique?: boolean;
  not_null?: boolean;
  increment?: boolean;
  note?: string | null;
  dbdefault?: { type: 'number' | 'string' | 'boolean' | 'expression'; value: string | number } | null;
  checks?: { expression: string; token?: DbmlToken }[];
}
interface DbmlRef {
  name?: string | null;
  onDelete?: string | null;
  onUpdate?: string | null;
  inactive?: boolean;
  token?: DbmlToken;
  endpoints: { tableName: string; fieldNames: string[]; relation: string; token?: DbmlToken }[];
}

/**
 * Reads DBML or PostgreSQL DDL with @dbml/core (loaded on first use: it is large, and only this path
 * needs it). Syntax errors are SCF002, located.
 */
export async function readStructure(text: string, file: string, format: StructureFormat): Promise<Structure> {
  const { Parser } = await import('@dbml/core');
  let database: DbmlDatabase;
  try {
    database = Parser.parse(text, format === 'dbml' ? 'dbmlv2' : 'postgres') as unknown as DbmlDatabase;
  } catch (cause) {
    throw new ScaffoldError(parseErrors(cause, file, format));
  }
  const scan = format === 'postgres' ? scanPostgres(text, file) : undefined;
  return toStructure(database, file, format, scan);
}

function parseErrors(cause: unknown, file: string, format: StructureFormat): Diagnostic[] {
  const diags = (cause as { diags?: { message?: string; location?: { start?: { line: number; column: number } } }[] }).diags;
  const language = format === 'dbml' ? 'DBML' : 'SQL';
  if (!Array.isArray(diags) || diags.length === 0) return [error('SCF002', `${language}: ${cause instanceof Error ? cause.message : String(cause)}`, { file })];
  return diags.map((d) =>
    error(
      'SCF002',
      // ANTLR lists every token it would have accepted: the first line up to "expecting" says enough.
      `${language}: ${String(d.message ?? 'syntax error').split('\n')[0]?.replace(/ expecting \{.*$/, '')}`,
      d.location?.start ? { file, line: d.location.start.line, column: d.location.start.column } : { file },
    ),
  );
}

function toStructure(database: DbmlDatabase, file: string, format: StructureFormat, scan: SqlScan | undefined): Structure {
  const at = (token: DbmlToken | null | undefined, fallback?: SourceLocation): SourceLocation =>
    token ? { file, line: token.start.line, column: token.start.column } : (fallback ?? { file });
  const unsupported: Structure['unsupported'] = [...(scan?.findings ?? [])];
  const cannot = (message: string, location: SourceLocation) => unsupported.push({ message, location });

  if (database.note) cannot('the Project note has no place in the domain model (describe the API in the OpenAPI document)', at(database.noteToken));
  for (const record of database.records ?? []) cannot(`Records of ${record.tableName}: sample data cannot be represented`, at(record.token));

  const enums = new Map<string, string[]>();
  const tables: StructureTable[] = [];
  const refs: StructureRef[] = [];
  for (const schema of database.schemas) {
    const publicSchema = schema.name === 'public';
    for (const e of schema.enums) {
      const location = at(e.token, scan?.enums.get(e.name));
      if (!publicSchema) cannot(`enum ${schema.name}.${e.name}: only the public schema can be represented`, location);
      enums.set(e.name, e.values.map((v) => v.name));
      if (e.note) cannot(`the note on enum ${e.name} has no place in the domain model`, location);
      for (const value of e.values) if (value.note) cannot(`the note on value ${value.name} of enum ${e.name} has no place in the domain model`, at(value.token, location));
    }
    for (const dep of schema.deps ?? []) cannot(`dependency${dep.name ? ` ${dep.name}` : ''}: lineage between tables cannot be represented`, at(dep.token));
  }
  for (const schema of database.schemas) {
    for (const table of schema.tables) {
      const scanned = scan?.tables.get(table.name);
      const location = at(table.token, scanned?.location);
      if (schema.name !== 'public') {
        cannot(`table ${schema.name}.${table.name}: only the public schema can be represented`, location);
        continue;
      }
      const columnAt = (field: DbmlField) => at(field.token, scanned?.columns.get(field.name) ?? location);
      const custom = (owner: string, metadata: Record<string, unknown> | null | undefined, where: SourceLocation) => {
        for (const key of Object.keys(metadata ?? {})) cannot(`custom setting ${key} of ${owner} has no place in the domain model`, where);
      };
      custom(`table ${table.name}`, table.metadata, location);
      for (const field of table.fields) custom(`${table.name}.${field.name}`, field.metadata, columnAt(field));
      tables.push({
        name: table.name,
        note: table.note ?? undefined,
        location,
        columns: table.fields.map((field) => {
          const type = field.type.type_name.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*,\s*/g, ', ').replace(/\s*\(\s*/g, '(').replace(/\s*\)/g, ')');
          return {
            name: field.name,
            type,
            enumValues: enums.get(field.type.type_name),
            pk: field.pk === true,
            unique: field.unique === true,
            notNull: field.not_null === true,
            increment: field.increment === true,
            default: field.dbdefault ? { kind: field.dbdefault.type, value: defaultValue(field.dbdefault) } : undefined,
            note: field.note ?? undefined,
            location: columnAt(field),
            checks: (field.checks ?? []).map((c) => ({ expression: c.expression, location: at(c.token, columnAt(field)) })),
          };
        }),
        indexes: table.indexes.map((index, n) => ({
          name: index.name ?? undefined,
          columns: index.columns.map((c) => ({ expression: c.type === 'expression', value: c.value })),
          unique: index.unique === true,
          pk: index.pk === true,
          method: index.type ?? undefined,
          note: index.note ?? undefined,
          location: at(index.token, (index.name ? scan?.indexes.get(index.name) : undefined) ?? scan?.indexes.get(`${table.name}#${n}`) ?? location),
        })),
        checks: (table.checks ?? []).map((c) => ({ expression: c.expression, location: at(c.token, location) })),
      });
    }
    for (const ref of schema.refs) {
      const [a, b] = ref.endpoints;
      if (!a || !b) continue;
      const many = (relation: string) => relation.includes('*');
      // The foreign key sits on the many side; in a one-to-one, on the side that does not name `id`.
      const aHolds = many(a.relation) || (!many(b.relation) && !(a.fieldNames.length === 1 && a.fieldNames[0] === 'id'));
      const [from, to] = aHolds ? [a, b] : [b, a];
      const key = `${from.tableName}(${from.fieldNames.join(', ')})`;
      const location = at(ref.token, scan?.foreignKeys.get(key) ?? scan?.tables.get(from.tableName)?.location);
      if (ref.inactive) cannot(`inactive reference ${key} cannot be represented`, location);
      refs.push({
        name: ref.name ?? undefined,
        from: { table: from.tableName, columns: from.fieldNames, many: many(from.relation) },
        to: { table: to.tableName, columns: to.fieldNames, many: many(to.relation) },
        onDelete: ref.onDelete ?? undefined,
        onUpdate: ref.onUpdate ?? undefined,
        location,
      });
    }
  }
  return { file, format, tables, refs, unsupported };
}

/** @dbml/core gives numbers and booleans of SQL as strings. */
function defaultValue(d: NonNullable<DbmlField['dbdefault']>): string | number | boolean {
  if (d.type === 'boolean') return String(d.value).toLowerCase() === 'true';
  if (d.type === 'number') return Number(d.value);
  return d.value;
}
