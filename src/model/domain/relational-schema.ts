import type { DomainModel, Entity, Field } from './types.js';
import { AUDIT_TABLE, plural, snake } from './build-domain.js';

/**
 * The tables the domain model needs, as plain data: what migrations are computed from and what
 * `.scaffold/schema-snapshot.json` records. Only PostgreSQL 15 features, so the same SQL runs on
 * PGlite (PostgreSQL 17) and on the servers in the field.
 */
export interface RelationalSchema {
  tables: Table[];
}

export interface Table {
  name: string;
  /** The entity it stores, or undefined for a join table. */
  entity: string | undefined;
  columns: Column[];
  primaryKey: string[];
  uniques: { name: string; columns: string[] }[];
  checks: { name: string; expression: string }[];
  foreignKeys: { name: string; column: string; references: { table: string; column: string }; onDelete: 'cascade' | 'restrict' | 'set null' }[];
  /** `lower`: the columns indexed as lower(column), so a unique index ignores case (`unique: ignore-case`). */
  indexes: { name: string; columns: string[]; unique: boolean; lower?: string[] }[];
  /** The table's previous name, from the entity's `renamedFrom`: a migration renames it. Not in the snapshot. */
  renamedFrom?: string;
}

export interface Column {
  name: string;
  /** SQL type: `uuid`, `varchar(200)`, `integer`, `timestamptz`, ... */
  type: string;
  nullable: boolean;
  /** SQL default expression, already quoted: `'pending'`, `0`, `now()`. */
  default: string | undefined;
  identity: boolean;
  /** The entity property it stores (`customerId`, `priceAmountCents`), for the ORM schema. */
  property: string;
  /** The column's previous name, from the field's `renamedFrom`: a migration renames it. Not in the snapshot. */
  renamedFrom?: string;
}

/** The table that keeps idempotency keys and the responses they replay (src/middlewares/idempotency.ts of a project). */
export const IDEMPOTENCY_TABLE = 'idempotency_keys';

/** The table of sign-in's failed-login counters, shared by every instance of the server (src/services/sign-in.gen.ts of a project). */
export const SIGN_IN_FAILURES_TABLE = 'sign_in_failures';

/**
 * `idempotencyKeys`: some operation declares an `Idempotency-Key` header, so the database keeps the
 * keys (one row per key, caller and operation) beside the domain model's tables.
 */
export function relationalSchema(domain: DomainModel, options: { idempotencyKeys?: boolean } = {}): RelationalSchema {
  const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
  const valueObjects = new Map(domain.valueObjects.map((v) => [v.names.original, v]));
  const tables: Table[] = domain.entities.map((entity) => entityTable(entity, byName, valueObjects));
  for (const entity of domain.entities) {
    for (const relation of entity.relations) {
      if (relation.kind !== 'many-to-many' || relation.joinTable === undefined) continue;
      if (tables.some((t) => t.name === relation.joinTable)) continue;
      const target = byName.get(relation.target);
      if (!target) continue;
      const left = `${snake(entity.names.original)}_id`;
      const right = target === entity ? `related_${left}` : `${snake(target.names.original)}_id`;
      // Renamed entities rename the columns (and the default name) of their join tables too.
      const previous = (e: Entity) => e.renamedFrom ?? e.names.original;
      const leftBefore = `${snake(previous(entity))}_id`;
      const rightBefore = target === entity ? `related_${leftBefore}` : `${snake(previous(target))}_id`;
      const defaultJoinTable = (from: string, to: string) => `${snake(plural(from))}_${snake(plural(to))}`;
      const joinTableBefore =
        relation.joinTable === defaultJoinTable(entity.names.original, target.names.original) ? defaultJoinTable(previous(entity), previous(target)) : relation.joinTable;
      tables.push({
        name: relation.joinTable,
        entity: undefined,
        columns: [
          { name: left, type: idSqlType(entity), nullable: false, default: undefined, identity: false, property: camel(left), ...renamed(left, leftBefore) },
          { name: right, type: idSqlType(target), nullable: false, default: undefined, identity: false, property: camel(right), ...renamed(right, rightBefore) },
        ],
        primaryKey: [left, right],
        uniques: [],
        checks: [],
        foreignKeys: [
          { name: `${relation.joinTable}_${left}_fkey`, column: left, references: { table: entity.table, column: 'id' }, onDelete: 'cascade' },
          { name: `${relation.joinTable}_${right}_fkey`, column: right, references: { table: target.table, column: 'id' }, onDelete: 'cascade' },
        ],
        indexes: [{ name: `${relation.joinTable}_${right}_idx`, columns: [right], unique: false }],
        ...renamed(relation.joinTable, joinTableBefore),
      });
    }
  }
  if (domain.entities.some((e) => e.audited)) tables.push(auditTable());
  if (options.idempotencyKeys) tables.push(idempotencyKeysTable());
  if (domain.signIn) tables.push(signInFailuresTable());
  return { tables };
}

/** A column of the tables the project keeps for itself (no entity's): never an identity. */
function column(name: string, type: string, nullable: boolean, property: string, defaultValue?: string): Column {
  return { name, type, nullable, default: defaultValue, identity: false, property };
}

/**
 * Failed logins per client address and per name no account has, counted in the database so that
 * every instance of the server sees the same counts (Redis keeps them instead when REDIS_URL is set).
 */
function signInFailuresTable(): Table {
  return {
    name: SIGN_IN_FAILURES_TABLE,
    entity: undefined,
    columns: [
      // A SHA-256 (hex) of what is counted (`address:203.0.113.7`, `name:ada@example.com`): neither is stored.
      column('key', 'varchar(64)', false, 'key'),
      column('failures', 'integer', false, 'failures', '0'),
      column('locked_until', 'timestamptz', true, 'lockedUntil'),
      // The count is forgotten once this passes without another failure.
      column('expires_at', 'timestamptz', false, 'expiresAt'),
    ],
    primaryKey: ['key'],
    uniques: [],
    checks: [],
    foreignKeys: [],
    indexes: [{ name: `${SIGN_IN_FAILURES_TABLE}_expires_at_idx`, columns: ['expires_at'], unique: false }],
  };
}

function idempotencyKeysTable(): Table {
  return {
    name: IDEMPOTENCY_TABLE,
    entity: undefined,
    columns: [
      // A SHA-256 (hex) of the operation, the caller and the client's key: the key is only ever compared.
      column('scope', 'varchar(64)', false, 'scope'),
      column('request_hash', 'varchar(64)', false, 'requestHash'),
      // Null while the first request runs; its response once it has answered.
      column('status', 'integer', true, 'status'),
      column('headers', 'jsonb', true, 'headers'),
      column('body', 'text', true, 'body'),
      column('expires_at', 'timestamptz', false, 'expiresAt'),
      column('created_at', 'timestamptz', false, 'createdAt', 'now()'),
    ],
    primaryKey: ['scope'],
    uniques: [],
    checks: [],
    foreignKeys: [],
    indexes: [{ name: `${IDEMPOTENCY_TABLE}_expires_at_idx`, columns: ['expires_at'], unique: false }],
  };
}

/**
 * The audit log of the audited entities: one append-only row per change (who, when, which action,
 * the before and after of each changed field). The generated code only ever inserts into it.
 */
function auditTable(): Table {
  return {
    name: AUDIT_TABLE,
    entity: undefined,
    columns: [
      column('id', 'uuid', false, 'id', 'gen_random_uuid()'),
      column('entity', 'text', false, 'entity'),
      column('entity_id', 'text', false, 'entityId'),
      column('action', 'text', false, 'action'),
      column('actor', 'text', true, 'actor'),
      column('at', 'timestamptz', false, 'at', 'now()'),
      column('changes', 'jsonb', false, 'changes'),
      column('reason', 'text', true, 'reason'),
      column('request_id', 'text', true, 'requestId'),
    ],
    primaryKey: ['id'],
    uniques: [],
    checks: [],
    foreignKeys: [],
    indexes: [{ name: `${AUDIT_TABLE}_entity_entity_id_idx`, columns: ['entity', 'entity_id'], unique: false }],
  };
}

function entityTable(entity: Entity, byName: Map<string, Entity>, valueObjects: Map<string, { fields: Field[] }>): Table {
  const table = entity.table;
  const columns: Column[] = [
    entity.identity === 'serial'
      ? { name: 'id', type: 'integer', nullable: false, default: undefined, identity: true, property: 'id' }
      : { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', identity: false, property: 'id' },
  ];
  const checks: Table['checks'] = [];
  const uniques: Table['uniques'] = [];
  const ignoringCase: Table['indexes'] = [];
  for (const field of entity.fields) {
    if (typeof field.type === 'object') {
      // A value object is stored in columns of its own, prefixed with the field's name.
      for (const inner of valueObjects.get(field.type.valueObject)?.fields ?? []) {
        const column = `${field.column}_${inner.column}`;
        const before = `${previousColumn(field)}_${previousColumn(inner)}`;
        columns.push({ name: column, type: sqlType(inner), nullable: !field.required || !inner.required, default: undefined, identity: false, property: `${field.names.camel}${inner.names.pascal}`, ...renamed(column, before) });
        checks.push(...fieldChecks(table, column, inner));
      }
      continue;
    }
    columns.push({ name: field.column, type: sqlType(field), nullable: !field.required, default: sqlDefault(field), identity: false, property: field.names.camel, ...renamed(field.column, previousColumn(field)) });
    checks.push(...fieldChecks(table, field.column, field));
    if (field.ignoreCase) ignoringCase.push({ name: `${table}_${field.column}_key`, columns: [field.column], unique: true, lower: [field.column] });
    else if (field.unique) uniques.push({ name: `${table}_${field.column}_key`, columns: [field.column] });
  }
  const foreignKeys: Table['foreignKeys'] = [];
  for (const relation of entity.relations) {
    if (relation.column === undefined) continue;
    const target = byName.get(relation.target);
    columns.push({ name: relation.column, type: target ? idSqlType(target) : 'uuid', nullable: !relation.required, default: undefined, identity: false, property: `${relation.names.camel}Id` });
    foreignKeys.push({
      name: `${table}_${relation.column}_fkey`,
      column: relation.column,
      references: { table: target?.table ?? snake(relation.target), column: 'id' },
      onDelete: relation.onDelete === 'set-null' ? 'set null' : relation.onDelete,
    });
    if (relation.kind === 'one-to-one') uniques.push({ name: `${table}_${relation.column}_key`, columns: [relation.column] });
  }
  if (entity.versioned) columns.push({ name: 'version', type: 'integer', nullable: false, default: '1', identity: false, property: 'version' });
  if (entity.timestamps) {
    columns.push({ name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()', identity: false, property: 'createdAt' });
    columns.push({ name: 'updated_at', type: 'timestamptz', nullable: false, default: 'now()', identity: false, property: 'updatedAt' });
  }
  if (entity.softDelete) columns.push({ name: 'deleted_at', type: 'timestamptz', nullable: true, default: undefined, identity: false, property: 'deletedAt' });
  const columnOf = (member: string) => entity.fields.find((f) => f.names.original === member)?.column ?? entity.relations.find((r) => r.names.original === member)?.column ?? snake(member);
  const textColumns = new Set(entity.fields.filter((f) => f.type === 'string' || f.type === 'text').map((f) => f.column));
  const indexes: Table['indexes'] = [
    ...ignoringCase,
    ...entity.indexes.map((index) => {
      const columns = index.fields.map(columnOf);
      return { name: index.name, columns, unique: index.unique, ...(index.ignoreCase && { lower: columns.filter((c) => textColumns.has(c)) }) };
    }),
  ];
  return {
    name: table,
    entity: entity.names.original,
    columns,
    primaryKey: ['id'],
    uniques,
    checks,
    foreignKeys,
    indexes: [
      ...indexes,
      // Foreign keys are joined and filtered on; PostgreSQL does not index them by itself.
      ...foreignKeys
        .filter((fk) => !indexes.some((i) => i.columns[0] === fk.column) && !uniques.some((u) => u.columns[0] === fk.column))
        .map((fk) => ({ name: `${table}_${fk.column}_idx`, columns: [fk.column], unique: false })),
    ],
    ...(entity.renamedFrom !== undefined && renamed(table, snake(plural(entity.renamedFrom)))),
  };
}

/** The column a renamed field had: its previous name's default column. */
function previousColumn(field: Field): string {
  return field.renamedFrom === undefined ? field.column : snake(field.renamedFrom);
}

function renamed(name: string, before: string): { renamedFrom?: string } {
  return before === name ? {} : { renamedFrom: before };
}

function idSqlType(entity: Entity): string {
  return entity.identity === 'serial' ? 'integer' : 'uuid';
}

function sqlType(field: Field): string {
  const c = field.constraints;
  switch (field.type) {
    case 'string':
      return c.maxLength !== undefined ? `varchar(${c.maxLength})` : 'text';
    case 'text':
    case 'enum':
      return 'text';
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'decimal':
      return c.precision !== undefined ? `numeric(${c.precision}, ${c.scale ?? 0})` : 'numeric';
    case 'number':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    case 'uuid':
      return 'uuid';
    case 'json':
      return 'jsonb';
    default:
      return 'text';
  }
}

function sqlDefault(field: Field): string | undefined {
  if (field.default === undefined) return undefined;
  if (typeof field.default === 'string') return quote(field.default);
  if (typeof field.default === 'object') return `${quote(JSON.stringify(field.default))}::jsonb`;
  return String(field.default);
}

/** Database-side guards for the field rules the model also checks, so bad rows cannot get in around it. */
function fieldChecks(table: string, column: string, field: Field): Table['checks'] {
  const checks: Table['checks'] = [];
  const c = field.constraints;
  const name = (suffix: string) => `${table}_${column}_${suffix}`.slice(0, 63);
  const col = ident(column);
  if (field.type === 'enum') checks.push({ name: name('check'), expression: `${col} IN (${field.values.map(quote).join(', ')})` });
  if (c.min !== undefined) checks.push({ name: name('min'), expression: `${col} >= ${c.min}` });
  if (c.max !== undefined) checks.push({ name: name('max'), expression: `${col} <= ${c.max}` });
  if (c.minLength !== undefined && c.minLength > 0) checks.push({ name: name('min_length'), expression: `char_length(${col}) >= ${c.minLength}` });
  return checks;
}

/** An SQL identifier, always quoted: model names like `order` or `user` are reserved words in SQL. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function camel(snakeName: string): string {
  return snakeName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
