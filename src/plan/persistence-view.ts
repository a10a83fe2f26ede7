import { SIGN_IN_FAILURES_TABLE, type Column, type RelationalSchema, type Table } from '../model/domain/relational-schema.js';
import { plural } from '../model/domain/build-domain.js';
import type { DomainModel, Entity, Field, ValueObject } from '../model/domain/types.js';
import { camelCase, commentText, kebabCase, pascalCase, stringLiteral } from '../model/naming.js';
import { invariantSample, sampleFields, sampleSatisfiesInvariants, sampleValue } from './domain-samples.js';
import { patternTester } from '../model/pattern.js';
import { spelledPatternText } from './pattern-sample.js';
import { deleteRefusalsView, repositoryAccessView, type DeleteRefusalsView, type RepositoryAccessView } from './policies/policy-views.js';

/**
 * What the persistence templates receive: Drizzle column builders for each table, and for each
 * entity how a row becomes the entity and back (written once, in its repository).
 */
export interface TableView {
  /** The Drizzle table constant: `orders`, `productsCategories`. */
  constant: string;
  name: string;
  columns: { property: string; builder: string }[];
  compositeKey: string | undefined;
}

export interface RepositoryView {
  fileStem: string;
  /** The repository's name in `Repositories`: `orders`, `inventoryItems`. */
  property: string;
  /** An id no entity has, for not-found tests. */
  missingId: string;
  entityClass: string;
  entityFile: string;
  table: string;
  interfaceName: string;
  baseClass: string;
  className: string;
  idType: string;
  versioned: boolean;
  softDelete: boolean;
  /** `id: row.id, status: row.status, price: new Money({...}), ...` */
  toModel: string;
  /** `id: props.id ?? undefined, status: props.status, priceAmountCents: props.price.amountCents, ...` */
  toRow: string;
  valueObjectImports: { className: string; fileStem: string }[];
  /** Columns a list can be filtered and sorted by (scalar fields and references); `ignoreCase`: compared in lower case (`unique: ignore-case`). */
  filterable: { property: string; type: string; nullable: boolean; ignoreCase: boolean }[];
  /** Some field compares ignoring case: the repository imports ignoringCaseConditions. */
  ignoresCase: boolean;
  /**
   * A unique field that ignores case, and its sample value in another case, for the repository test
   * that shows such a duplicate refused; undefined: none, or no other case fits the field.
   */
  caseVariant: { property: string; code: string } | undefined;
  sortable: string;
  sortColumns: string[];
  /** Text fields a list can search in (a union of literals; empty: none). */
  searchable: string;
  searchColumns: string[];
  defaultSort: string;
  /** The condition that finds one entity by `id` (hiding soft-deleted ones). */
  byId: string;
  isSerial: boolean;
  uniqueProperty: string | undefined;
  /** The domain model's policies of the entity, compiled to SQL; undefined: no row rules. */
  access: RepositoryAccessView | undefined;
  /** Deletes the model refuses while related records hold the entity. */
  deleteRefusals: DeleteRefusalsView | undefined;
  /**
   * `audited: true`: the entity's name and its secret row properties (string literals) for its audit
   * records, and the integer field the repository test changes (by one) to show an update recorded.
   */
  audit: { entity: string; secret: string; changedField: string | undefined } | undefined;
  /**
   * Sign-in's sessions entity: `rotateRefreshToken` moves a session on to its next refresh token in one
   * conditional statement; `fields` are the session's properties it sets (a union of literals), `touch`
   * whether it sets `updatedAt`.
   */
  refreshRotation: { fields: string; touch: boolean } | undefined;
  /**
   * Sign-in's credentials entity: its repository counts an account's wrong passwords in one statement,
   * and keeps the failed-login counters of addresses and unknown names (the sign_in_failures table);
   * `touch` and `versioned`: the count also sets `updatedAt`, and moves the version on.
   */
  failedLogins: { touch: boolean; versioned: boolean } | undefined;
  /** What the repository imports from drizzle-orm, from ./access-conditions.js ('' for nothing) and tables besides its own. */
  drizzleImports: string;
  conditionImports: string;
  /** The tables it imports from schema.gen.ts: its own and those its rules reach. */
  schemaImports: string;
}

export interface SampleView {
  entityClass: string;
  fileStem: string;
  newType: string;
  property: string;
  parents: { variable: string; entityClass: string }[];
  input: string;
}

export interface PersistenceView {
  tables: TableView[];
  drizzleImports: string;
  enumTypeImports: { names: string; fileStem: string }[];
  repositories: RepositoryView[];
  /** Some repository filters a field ignoring case (src/repositories/repository-support.ts has ignoringCaseConditions). */
  ignoresCase: boolean;
  /** Some entity is audited: src/repositories/audit-log.ts is generated. */
  audited: boolean;
  /** Sample builders for the generated tests; entities without one get no repository test. */
  samples: SampleView[];
  sampleValueObjects: { className: string; fileStem: string }[];
  /** Comment-safe lines: entities without a sample builder, and why (their tests are not generated). */
  unsampled: string[];
}

const BUILDERS: [RegExp, (column: Column, match: RegExpMatchArray) => string][] = [
  [/^uuid$/, (c) => `uuid(${stringLiteral(c.name)})`],
  [/^varchar\((\d+)\)$/, (c, m) => `varchar(${stringLiteral(c.name)}, { length: ${m[1]} })`],
  [/^text$/, (c) => `text(${stringLiteral(c.name)})`],
  [/^integer$/, (c) => `integer(${stringLiteral(c.name)})`],
  [/^bigint$/, (c) => `bigint(${stringLiteral(c.name)}, { mode: 'bigint' })`],
  [/^numeric\((\d+), (\d+)\)$/, (c, m) => `numeric(${stringLiteral(c.name)}, { precision: ${m[1]}, scale: ${m[2]} })`],
  [/^numeric$/, (c) => `numeric(${stringLiteral(c.name)})`],
  [/^double precision$/, (c) => `doublePrecision(${stringLiteral(c.name)})`],
  [/^boolean$/, (c) => `boolean(${stringLiteral(c.name)})`],
  [/^date$/, (c) => `date(${stringLiteral(c.name)})`],
  [/^timestamptz$/, (c) => `timestamp(${stringLiteral(c.name)}, { withTimezone: true })`],
  [/^jsonb$/, (c) => `jsonb(${stringLiteral(c.name)})`],
];

/** `classSuffix`: the ending of repository class names (a guideline; `Repository` by default). */
export function buildPersistenceView(domain: DomainModel, schema: RelationalSchema, classSuffix = 'Repository'): PersistenceView {
  const entityByName = new Map(domain.entities.map((e) => [e.names.original, e]));
  const enumTypes = new Map<string, string>();
  const tables = schema.tables.map((table) => tableView(table, entityByName.get(table.entity ?? ''), enumTypes));
  const used = new Set(tables.flatMap((t) => t.columns.map((c) => c.builder.split('(')[0] ?? '')));
  if (tables.some((t) => t.compositeKey)) used.add('primaryKey');
  const byFile = new Map<string, string[]>();
  for (const [typeName, fileStem] of enumTypes) byFile.set(fileStem, [...(byFile.get(fileStem) ?? []), typeName]);
  const repositories = domain.entities.map((entity) => repositoryView(entity, schema.tables.find((t) => t.entity === entity.names.original) as Table, domain, classSuffix, entityByName));
  return {
    tables,
    drizzleImports: ['pgTable', ...[...used].sort()].join(', '),
    enumTypeImports: [...byFile.entries()].map(([fileStem, names]) => ({ fileStem, names: names.sort().join(', ') })),
    repositories,
    ignoresCase: repositories.some((r) => r.ignoresCase),
    audited: repositories.some((r) => r.audit !== undefined),
    ...sampleViews(domain),
  };
}

/**
 * One sample builder per entity whose fields scaffold can fill: its required references are created
 * first, and unique text fields get a running number so that several samples can coexist (written
 * in the characters the field's pattern allows where decimal digits do not fit it). An entity that
 * needs a record without a sample has none either, through any number of relations, so no builder
 * calls one that was not generated.
 */
function sampleViews(domain: DomainModel): Pick<PersistenceView, 'samples' | 'sampleValueObjects' | 'unsampled'> {
  const valueObjects = new Map(domain.valueObjects.map((v) => [v.names.original, v]));
  const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
  const inputs = new Map<string, string>();
  const reasons = new Map<string, string>();
  for (const entity of domain.entities) {
    const fields = invariantSample(entity, valueObjects);
    if (!fields) {
      reasons.set(entity.names.original, 'no value fits one of its fields');
      continue;
    }
    if (!sampleSatisfiesInvariants(entity, fields)) {
      reasons.set(entity.names.original, 'its sample values break one of its invariants');
      continue;
    }
    const parts: string[] = [];
    for (const field of fields) {
      const definition = entity.fields.find((f) => f.names.camel === field.name);
      // An optional unique field is filled too: the repository tests show a duplicate refused.
      const value = definition?.unique && field.value === null ? sampleValue(definition, valueObjects)?.value : field.value;
      const text = definition?.unique ? uniqueSampleText(definition, value) : undefined;
      if (definition?.unique && text === undefined) {
        reasons.set(entity.names.original, `no distinct values of its unique field ${definition.names.original} can be made`);
        break;
      }
      parts.push(`${field.name}: ${text ?? field.code}`);
    }
    if (!reasons.has(entity.names.original)) inputs.set(entity.names.original, parts.join(', '));
  }
  // Without a sample of a record it requires, an entity has none: repeated until nothing changes.
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const entity of domain.entities) {
      if (!inputs.has(entity.names.original)) continue;
      const missing = entity.relations.find((r) => r.column !== undefined && r.required && !inputs.has(r.target));
      if (missing) {
        inputs.delete(entity.names.original);
        reasons.set(entity.names.original, `it needs a ${missing.target}, which has no sample`);
        dropped = true;
      }
    }
  }
  const samples: SampleView[] = [];
  for (const entity of domain.entities) {
    const input = inputs.get(entity.names.original);
    if (input === undefined) continue;
    const required = entity.relations.filter((r) => r.column !== undefined && r.required);
    const references = entity.relations
      .filter((r) => r.column !== undefined)
      .map((r) => `${r.names.camel}Id: ${r.required ? `${r.names.camel}.id${byName.get(r.target)?.identity === 'serial' ? ' as number' : ''}` : 'null'}`);
    samples.push({
      entityClass: entity.names.pascal,
      fileStem: kebabCase(entity.names.original, 'entity'),
      newType: `New${entity.names.pascal}`,
      property: repositoryProperty(entity),
      parents: required.map((r) => ({ variable: r.names.camel, entityClass: pascalCase(r.target) })),
      input: [input, ...references].filter(Boolean).join(', '),
    });
  }
  const usedValueObjects = new Set(domain.entities.filter((e) => inputs.has(e.names.original)).flatMap((e) => e.fields.flatMap((f) => (typeof f.type === 'object' ? [f.type.valueObject] : []))));
  return {
    samples,
    sampleValueObjects: [...usedValueObjects].map((name) => ({ className: pascalCase(name), fileStem: kebabCase(name, 'value') })),
    unsampled: [...reasons.entries()].map(([entity, reason]) => commentText(`${entity}: ${reason}.`)),
  };
}

/**
 * A unique field's value in a sample builder, different on every call: the sample with the
 * running number after it where that still fits, else the number written into the field's pattern.
 */
function uniqueSampleText(field: Field, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const c = field.constraints;
  const withNumber = `${value}123`;
  const fits = (c.pattern === undefined || patternTester(c.pattern)?.test(withNumber) === true) && (c.maxLength === undefined || withNumber.length <= c.maxLength);
  if (fits) return `\`${templateText(value)}\${next()}\``;
  const spelled = c.pattern === undefined ? undefined : spelledPatternText(c.pattern, { minLength: c.minLength, maxLength: c.maxLength });
  if (!spelled) return undefined;
  const call = `spellNumber(next(), ${stringLiteral(spelled.digits)}, ${spelled.width})`;
  return spelled.before === '' && spelled.after === '' ? call : `\`${templateText(spelled.before)}\${${call}}${templateText(spelled.after)}\``;
}

function templateText(text: string): string {
  return text.replace(/[`\\$]/g, '\\$&');
}

export function repositoryProperty(entity: Entity): string {
  return camelCase(plural(entity.names.original), 'repository');
}

function tableView(table: Table, entity: Entity | undefined, enumTypes: Map<string, string>): TableView {
  return {
    constant: camelCase(table.name, 'table'),
    name: stringLiteral(table.name),
    columns: table.columns.map((column) => {
      const entry = BUILDERS.map(([pattern, build]) => [column.type.match(pattern), build] as const).find(([match]) => match);
      let builder = entry?.[0] ? entry[1](column, entry[0]) : `text(${stringLiteral(column.name)})`;
      const enumField = entity?.fields.find((f) => f.type === 'enum' && f.column === column.name);
      if (entity && enumField) {
        const typeName = `${entity.names.pascal}${pascalCase(enumField.names.original)}`;
        enumTypes.set(typeName, kebabCase(entity.names.original, 'entity'));
        builder += `.$type<${typeName}>()`;
      }
      const soleKey = table.primaryKey.length === 1 && table.primaryKey[0] === column.name;
      if (soleKey) builder += '.primaryKey()';
      if (column.identity) builder += '.generatedByDefaultAsIdentity()';
      if (column.default === 'gen_random_uuid()') builder += '.defaultRandom()';
      else if (column.default === 'now()') builder += '.defaultNow()';
      else if (column.default !== undefined) builder += `.default(${sqlLiteralToTs(column.default)})`;
      if (!column.nullable && !column.identity && !soleKey) builder += '.notNull()';
      return { property: column.property, builder };
    }),
    compositeKey: table.primaryKey.length > 1 ? `(table) => [primaryKey({ columns: [${table.primaryKey.map((k) => `table.${table.columns.find((c) => c.name === k)?.property ?? k}`).join(', ')}] })]` : undefined,
  };
}

function sqlLiteralToTs(literal: string): string {
  const json = /^'(.*)'::jsonb$/s.exec(literal);
  if (json) return json[1]!.replace(/''/g, "'");
  if (/^'.*'$/s.test(literal)) return stringLiteral(literal.slice(1, -1).replace(/''/g, "'"));
  return literal;
}

function repositoryView(entity: Entity, table: Table, domain: DomainModel, classSuffix: string, entityByName: ReadonlyMap<string, Entity>): RepositoryView {
  const className = entity.names.pascal;
  const valueObjects = new Map(domain.valueObjects.map((v) => [v.names.original, v]));
  const toModel: string[] = ['id: row.id'];
  const toRow: string[] = [entity.identity === 'serial' ? '...(props.id !== null && { id: props.id })' : 'id: props.id'];
  const voImports = new Map<string, string>();
  for (const field of entity.fields) {
    const name = field.names.camel;
    if (typeof field.type === 'object') {
      const vo = valueObjects.get(field.type.valueObject);
      if (!vo) continue;
      const voClass = pascalCase(vo.names.original);
      voImports.set(voClass, kebabCase(vo.names.original, 'value'));
      const columns = vo.fields.map((inner) => `${name}${inner.names.pascal}`);
      const build = `new ${voClass}({ ${vo.fields.map((inner, i) => `${inner.names.camel}: row.${columns[i]}`).join(', ')} })`;
      toModel.push(field.required ? `${name}: ${build}` : `${name}: row.${columns[0]} === null ? null : ${build}`);
      vo.fields.forEach((inner, i) => toRow.push(`${columns[i]}: props.${name}${field.required ? '' : '?'}.${inner.names.camel}${field.required ? '' : ' ?? null'}`));
    } else {
      toModel.push(`${name}: row.${name}`);
      toRow.push(`${name}: props.${name}`);
    }
  }
  for (const relation of entity.relations.filter((r) => r.column !== undefined)) {
    toModel.push(`${relation.names.camel}Id: row.${relation.names.camel}Id`);
    toRow.push(`${relation.names.camel}Id: props.${relation.names.camel}Id`);
  }
  for (const managed of [...(entity.versioned ? ['version'] : []), ...(entity.timestamps ? ['createdAt', 'updatedAt'] : []), ...(entity.softDelete ? ['deletedAt'] : [])]) {
    toModel.push(`${managed}: row.${managed}`);
    toRow.push(`${managed}: props.${managed}`);
  }
  const propType = (name: string) => `${className}Props[${stringLiteral(name)}]`;
  const idFilter = entity.identity === 'serial' ? 'number' : 'string';
  const filterable = [
    { property: 'id', type: idFilter, nullable: false, ignoreCase: false },
    ...entity.fields
      .filter((f) => typeof f.type === 'string' && ['string', 'text', 'enum', 'integer', 'number', 'boolean', 'uuid', 'date', 'datetime', 'decimal'].includes(f.type))
      .map((f) => ({ property: f.names.camel, type: propType(f.names.camel), nullable: !f.required, ignoreCase: f.ignoreCase })),
    ...entity.relations
      .filter((r) => r.column !== undefined)
      .map((r) => ({ property: `${r.names.camel}Id`, type: propType(`${r.names.camel}Id`), nullable: !r.required, ignoreCase: false })),
    ...(entity.versioned ? [{ property: 'version', type: 'number', nullable: false, ignoreCase: false }] : []),
    ...(entity.timestamps ? ['createdAt', 'updatedAt'].map((property) => ({ property, type: 'Date', nullable: false, ignoreCase: false })) : []),
  ];
  const sortColumns = filterable.map((f) => f.property);
  const searchColumns = entity.fields.filter((f) => (f.type === 'string' || f.type === 'text') && !f.secret).map((f) => f.names.camel);
  const tableConstant = camelCase(table.name, 'table');
  const access = repositoryAccessView(entity, entityByName);
  const refusals = deleteRefusalsView(entity, entityByName);
  const signIn = domain.signIn;
  const refreshRotation =
    signIn?.sessions.entity === entity.names.original
      ? {
          fields: ['refreshGeneration', 'refreshTokenHash', ...(signIn.sessions.lastSeenAt ? ['lastSeenAt'] : []), ...(signIn.sessions.ipAddress ? ['ipAddress'] : [])].map(stringLiteral).join(' | '),
          touch: entity.timestamps,
        }
      : undefined;
  const failedLogins = signIn?.entity === entity.names.original ? { touch: entity.timestamps, versioned: entity.versioned } : undefined;
  return {
    fileStem: kebabCase(entity.names.original, 'entity'),
    property: repositoryProperty(entity),
    missingId: entity.identity === 'serial' ? '2147483647' : "'00000000-0000-4000-8000-000000000000'",
    entityClass: className,
    entityFile: kebabCase(entity.names.original, 'entity'),
    table: camelCase(table.name, 'table'),
    interfaceName: `${className}${classSuffix}`,
    baseClass: `Drizzle${className}${classSuffix}Base`,
    className: `Drizzle${className}${classSuffix}`,
    idType: entity.identity === 'serial' ? 'number' : 'string',
    versioned: entity.versioned,
    softDelete: entity.softDelete,
    toModel: toModel.join(', '),
    toRow: toRow.join(', '),
    valueObjectImports: [...voImports.entries()].map(([cls, fileStem]) => ({ className: cls, fileStem })),
    filterable,
    ignoresCase: filterable.some((f) => f.ignoreCase),
    caseVariant: caseVariantOf(entity),
    sortable: sortColumns.map(stringLiteral).join(' | '),
    sortColumns,
    searchable: searchColumns.map(stringLiteral).join(' | '),
    searchColumns,
    defaultSort: stringLiteral(entity.timestamps ? 'createdAt' : 'id'),
    byId: entity.softDelete ? `and(eq(${tableConstant}.id, id), isNull(${tableConstant}.deletedAt))` : `eq(${tableConstant}.id, id)`,
    isSerial: entity.identity === 'serial',
    uniqueProperty: entity.fields.find((f) => f.unique && typeof f.type === 'string')?.names.camel,
    access,
    deleteRefusals: refusals,
    audit: entity.audited
      ? {
          entity: stringLiteral(entity.names.original),
          secret: entity.fields.filter((f) => f.secret && typeof f.type === 'string').map((f) => stringLiteral(f.names.camel)).join(', '),
          changedField: changeableField(entity, valueObjects),
        }
      : undefined,
    refreshRotation,
    failedLogins,
    drizzleImports: [
      ...new Set([
        'and',
        'asc',
        'count',
        'desc',
        'eq',
        ...(entity.softDelete ? ['isNull'] : []),
        ...(refreshRotation ? ['gt', 'isNull'] : []),
        ...(failedLogins ? ['sql'] : []),
        ...(access?.drizzleImports ?? []),
        ...(refusals?.drizzleImports ?? []),
      ]),
    ]
      .sort()
      .concat('type SQL')
      .join(', '),
    conditionImports: [...[...new Set([...(access?.conditionImports ?? []), ...(refusals?.conditionImports ?? [])])].sort(), ...(access ? ['type Condition'] : [])].join(', '),
    schemaImports: [...new Set([camelCase(table.name, 'table'), ...(failedLogins ? [camelCase(SIGN_IN_FAILURES_TABLE, 'table')] : []), ...(access?.tableImports ?? []), ...(refusals?.tableImports ?? [])])].sort().join(', '),
  };
}

/**
 * The unique field that ignores case whose stored sample, upper-cased, is still a value the field takes
 * (its pattern allows capitals): the repository test stores that variant and expects a ConflictError.
 */
function caseVariantOf(entity: Entity): RepositoryView['caseVariant'] {
  for (const field of entity.fields) {
    if (!field.ignoreCase) continue;
    const sample = sampleValue(field, new Map())?.value;
    if (typeof sample !== 'string') continue;
    const upper = `${sample}123`.toUpperCase();
    const pattern = field.constraints.pattern;
    if (upper === `${sample}123` || (pattern !== undefined && patternTester(pattern)?.test(upper) !== true)) continue;
    return { property: field.names.camel, code: `stored.${field.names.camel}.toUpperCase()` };
  }
  return undefined;
}

/**
 * An integer field of the sample that can go up by one and still satisfy the entity's rules (no
 * maximum, not derived, not the state, the invariants still hold): the audit test changes it.
 */
function changeableField(entity: Entity, valueObjects: Map<string, ValueObject>): string | undefined {
  const sample = sampleFields(entity.fields, valueObjects);
  if (!sample) return undefined;
  const candidate = entity.fields.find((field) => {
    if (field.type !== 'integer' || field.constraints.max !== undefined || field.derivedFrom || field.unique || field.names.original === entity.stateMachine?.field) return false;
    const changed = sample.map((f) => (f.name === field.names.camel && typeof f.value === 'number' ? { ...f, value: f.value + 1 } : f));
    return sample.some((f) => f.name === field.names.camel && typeof f.value === 'number') && sampleSatisfiesInvariants(entity, changed);
  });
  return candidate?.names.camel;
}
