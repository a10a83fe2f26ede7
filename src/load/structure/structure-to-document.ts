import { basename } from 'node:path';
import { error, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import { plural, snake } from '../../model/domain/build-domain.js';
import { camelCase, pascalCase } from '../../model/naming.js';
import type { DomainModelDocument, EntityDocument, FieldDocument, OverlayDocument, OverlayEntityDocument, OverlayFieldDocument, RelationDocument } from '../domain-model-types.js';
import type { Structure, StructureColumn, StructureRef, StructureTable } from './read-structure.js';

export interface Overlay {
  document: OverlayDocument;
  locate(path: readonly (string | number)[]): SourceLocation;
}

export interface ConvertedStructure {
  /** The same document a model file gives, so every later check and default applies unchanged. */
  document: DomainModelDocument;
  /** Where each part of `document` comes from in the structure file, by JSON pointer. */
  locations: Map<string, SourceLocation>;
  diagnostics: Diagnostic[];
}

const TYPE_HINT = 'column types: varchar(n), varchar, text, integer, bigint, numeric(p, s), double precision, boolean, date, timestamptz, uuid, jsonb, or an enum';
const CHECK_HINT = 'state the rule in the overlay: min, max, minLength or pattern on the field, or an invariant of the entity';

/**
 * Turns a structure read from DBML or PostgreSQL DDL, plus an optional overlay that adds behaviour,
 * into a domain model document. The conventions are in docs/domain-model.md ("Importing DBML and SQL");
 * whatever the document cannot carry is an SCF036 at its place in the structure, and whatever the
 * overlay names that the structure does not have is an SCF031 at its place in the overlay.
 */
export function structureToDocument(structure: Structure, overlay?: Overlay): ConvertedStructure {
  const diagnostics: Diagnostic[] = [];
  const locations = new Map<string, SourceLocation>();
  const cannot = (message: string, location: SourceLocation, hint?: string) => diagnostics.push(error('SCF036', message, location, hint));
  const unknown = (message: string, path: (string | number)[]) => diagnostics.push(error('SCF031', message, overlay?.locate(path)));
  const record = (path: (string | number)[], location: SourceLocation) => locations.set(pointer(path), location);
  for (const item of structure.unsupported) cannot(item.message, item.location);

  const file = basename(structure.file);
  const overlayEntities = overlay?.document.entities ?? {};
  const valueObjects = overlay?.document.valueObjects ?? {};
  const tables = new Map(structure.tables.map((t) => [t.name, t]));

  // Join tables belong to the many-to-many relations the overlay declares; the first declaration, in
  // the order the model builder walks them, decides the column names (as relational-schema.ts does).
  const joinTables = new Map<string, { entity: string; relation: string; target: string }>();
  const entityOfTable = new Map<string, string>();
  for (const [name, entity] of Object.entries(overlayEntities)) {
    // Without `table`: the default table of the name, else the table whose conventional name it is.
    let table = entity.table ?? snake(plural(name));
    if (entity.table === undefined && !tables.has(table)) table = structure.tables.find((t) => pascalCase(singular(t.name), 'Entity') === name)?.name ?? table;
    if (!tables.has(table)) unknown(`entity ${name} has no table "${table}" in ${file}${entity.table === undefined ? ' (the default for its name; name another with "table")' : ''}`, ['entities', name, ...(entity.table === undefined ? [] : ['table'])]);
    else if (entityOfTable.has(table)) unknown(`entity ${name} names table "${table}", which is already ${entityOfTable.get(table) ?? ''}'s`, ['entities', name]);
    else entityOfTable.set(table, name);
  }
  const orderedOverlay = structure.tables.flatMap((t) => {
    const name = entityOfTable.get(t.name);
    return name === undefined ? [] : [[name, overlayEntities[name] as OverlayEntityDocument] as const];
  });
  for (const [name, entity] of orderedOverlay) {
    for (const [relation, r] of Object.entries(entity.relations ?? {})) {
      if (r.kind !== 'many-to-many' || r.target === undefined) continue;
      const joinTable = r.joinTable ?? `${snake(plural(name))}_${snake(plural(r.target))}`;
      const path = ['entities', name, 'relations', relation];
      if (!tables.has(joinTable)) unknown(`many-to-many "${relation}" of ${name} needs its join table "${joinTable}" in ${file}`, [...path, ...(r.joinTable === undefined ? [] : ['joinTable'])]);
      else if (!joinTables.has(joinTable)) joinTables.set(joinTable, { entity: name, relation, target: r.target });
    }
  }
  for (const [joinTable, join] of joinTables) {
    const claimant = entityOfTable.get(joinTable);
    if (claimant !== undefined) unknown(`entity ${claimant} is table "${joinTable}", the join table of many-to-many "${join.relation}" of ${join.entity}`, ['entities', claimant]);
    entityOfTable.delete(joinTable);
  }
  const taken = new Set(entityOfTable.values());
  for (const table of structure.tables) {
    if (entityOfTable.has(table.name) || joinTables.has(table.name)) continue;
    const name = pascalCase(singular(table.name), 'Entity');
    if (taken.has(name)) cannot(`table ${table.name} would be entity ${name}, which another table already is`, table.location, `name the entity of one of them in the overlay, with "table: ${table.name}"`);
    else {
      entityOfTable.set(table.name, name);
      taken.add(name);
    }
  }

  // Foreign keys: each becomes a relation of the table that holds it.
  const foreignKeys = new Map<string, Map<string, StructureRef>>();
  const joinRefs = new Map<string, StructureRef[]>();
  for (const ref of structure.refs) {
    const label = `reference ${ref.from.table}(${ref.from.columns.join(', ')}) -> ${ref.to.table}(${ref.to.columns.join(', ')})`;
    if (joinTables.has(ref.from.table)) {
      joinRefs.set(ref.from.table, [...(joinRefs.get(ref.from.table) ?? []), ref]);
      continue;
    }
    if (ref.from.many && ref.to.many) cannot(`many-to-many ${label} cannot be represented`, ref.location, 'declare the many-to-many relation in the overlay, with its join table in the structure');
    else if (ref.from.columns.length !== 1 || ref.to.columns.length !== 1) cannot(`${label}: a foreign key of several columns cannot be represented`, ref.location);
    else if (ref.to.columns[0] !== 'id' || !entityOfTable.has(ref.to.table)) cannot(`${label}: a foreign key references the id of an entity's table`, ref.location);
    else if (ref.to.many) cannot(`${label}: the referenced side of a foreign key is the one side`, ref.location, 'write the reference from the foreign key column, e.g. orders.customer_id > customers.id');
    else {
      const generated = `${ref.from.table}_${ref.from.columns[0] ?? ''}_fkey`;
      if (ref.name !== undefined && ref.name !== generated) cannot(`${label}: the constraint name ${ref.name} cannot be represented (the generator names it ${generated})`, ref.location);
      if (ref.onUpdate !== undefined) cannot(`${label}: ON UPDATE ${ref.onUpdate.toUpperCase()} cannot be represented (ids never change)`, ref.location);
      const byColumn = foreignKeys.get(ref.from.table) ?? new Map<string, StructureRef>();
      const holder = ref.from.columns[0] as string;
      if (byColumn.has(holder)) cannot(`${label}: ${ref.from.table}.${holder} already references ${byColumn.get(holder)?.to.table ?? ''}; a column is the foreign key of one relation`, ref.location);
      else byColumn.set(holder, ref);
      foreignKeys.set(ref.from.table, byColumn);
    }
  }

  const entities: Record<string, EntityDocument> = {};
  const identityOf = new Map<string, 'uuid' | 'serial'>();
  for (const table of structure.tables) {
    const id = table.columns.find((c) => c.name === 'id');
    if (id) identityOf.set(table.name, id.type === 'uuid' ? 'uuid' : 'serial');
  }
  for (const table of structure.tables) {
    const name = entityOfTable.get(table.name);
    if (name === undefined) continue;
    entities[name] = entityDocument(table, name, overlayEntities[name] ?? {});
  }
  for (const [joinTable, join] of joinTables) checkJoinTable(tables.get(joinTable) as StructureTable, join);

  const document: DomainModelDocument = {
    schemaVersion: 1,
    ...(overlay?.document.valueObjects && { valueObjects: overlay.document.valueObjects }),
    entities,
    ...(overlay?.document.mapping && { mapping: overlay.document.mapping }),
    ...(overlay?.document.reactions && { reactions: overlay.document.reactions }),
    ...(overlay?.document.gateways && { gateways: overlay.document.gateways }),
    ...(overlay?.document.signIn && { signIn: overlay.document.signIn }),
  };
  diagnostics.sort((a, b) => (a.location?.file ?? '').localeCompare(b.location?.file ?? '') || (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  return { document, locations, diagnostics };

  function entityDocument(table: StructureTable, name: string, extra: OverlayEntityDocument): EntityDocument {
    const owner = ['entities', name];
    const t = table.name;
    record(owner, table.location);
    record([...owner, 'table'], table.location);
    const claimed = new Set<string>();
    const claim = (column: StructureColumn) => claimed.add(column.name);
    const column = (columnName: string) => table.columns.find((c) => c.name === columnName);
    const noteless = (c: StructureColumn, role: string) => {
      if (c.note !== undefined) cannot(`the note on ${t}.${c.name} (${role}) has no place in the domain model`, c.location);
    };

    const fk = foreignKeys.get(t) ?? new Map<string, StructureRef>();

    // The primary key `id`.
    let identity: 'uuid' | 'serial' = 'uuid';
    const id = column('id');
    if (!id) cannot(`table ${t} has no id column: every entity has the primary key id`, table.location, 'add `id uuid [pk]` (or an auto-incremented integer)');
    else {
      claim(id);
      noteless(id, 'the primary key');
      const isDefault = (value: string) => id.default === undefined || (id.default.kind === 'expression' && normalizeExpression(String(id.default.value)) === value);
      if (!id.pk) cannot(`${t}.id is not the primary key`, id.location, 'mark it [pk] (PRIMARY KEY)');
      if (id.type === 'uuid' && !id.increment && isDefault('gen_random_uuid()')) identity = 'uuid';
      else if (((id.type === 'integer' || id.type === 'int' || id.type === 'int4') && id.increment && id.default === undefined) || id.type === 'serial' || id.type === 'serial4') identity = 'serial';
      else cannot(`${t}.id is ${id.type}${id.default ? ` with default ${String(id.default.value)}` : ''}: the primary key is a uuid (default gen_random_uuid()) or an auto-incremented integer`, id.location);
      record([...owner, 'identity'], id.location);
    }
    if (fk.has('id')) cannot(`reference from ${t}.id: the primary key cannot also be a foreign key`, fk.get('id')?.location ?? table.location, 'reference the other table from a column <relation>_id');
    for (const c of table.columns) if (c.pk && c.name !== 'id') cannot(`primary key ${t}.${c.name}: the primary key of an entity is its id column`, c.location);

    // Conventions: version, created_at/updated_at, deleted_at.
    const convention = (columnName: string, ok: (c: StructureColumn) => boolean, expected: string): StructureColumn | undefined => {
      const c = column(columnName);
      if (!c || fk.has(columnName)) return undefined;
      claim(c);
      noteless(c, expected);
      if (!ok(c)) cannot(`${t}.${columnName} is ${describeColumn(c)}: a ${columnName} column is ${expected}`, c.location, `write it as \`${conventionDbml(columnName)}\`, or rename the column`);
      return c;
    };
    const isTimestamptz = (c: StructureColumn) => c.type === 'timestamptz' || c.type === 'timestamp with time zone';
    const isNow = (c: StructureColumn) => c.default?.kind === 'expression' && ['now()', 'current_timestamp'].includes(normalizeExpression(String(c.default.value)));
    const plainly = (c: StructureColumn) => !c.unique && !c.pk && !c.increment;
    const version = convention('version', (c) => ['integer', 'int', 'int4'].includes(c.type) && c.notNull && c.default?.value === 1 && plainly(c), 'the optimistic lock (integer not null default 1)');
    const created = convention('created_at', (c) => isTimestamptz(c) && c.notNull && isNow(c) && plainly(c), 'a timestamp (timestamptz not null default now())');
    const updated = convention('updated_at', (c) => isTimestamptz(c) && c.notNull && isNow(c) && plainly(c), 'a timestamp (timestamptz not null default now())');
    const deleted = convention('deleted_at', (c) => isTimestamptz(c) && !c.notNull && c.default === undefined && plainly(c), 'the soft-delete mark (timestamptz, nullable, no default)');
    if ((created === undefined) !== (updated === undefined)) {
      cannot(`table ${t} has ${created ? 'created_at' : 'updated_at'} without ${created ? 'updated_at' : 'created_at'}: timestamps come as a pair`, (created ?? updated)?.location ?? table.location);
    }
    if (version) record([...owner, 'versioned'], version.location);
    if (created) record([...owner, 'timestamps'], created.location);
    if (deleted) record([...owner, 'softDelete'], deleted.location);

    // Value objects the overlay embeds take their prefixed columns.
    // Without prototypes: a column named to_string or constructor finds only itself here.
    const fields = Object.create(null) as Record<string, FieldDocument>;
    const embedded = new Map<string, { field: string; document: FieldDocument }>();
    for (const [fieldName, field] of Object.entries(extra.fields ?? {})) {
      if (field.type === undefined) continue;
      const path = [...owner, 'fields', fieldName];
      const valueObject = valueObjects[field.type];
      if (!valueObject) {
        unknown(`field "${fieldName}" of ${name} has type "${field.type}", which is not a value object of the overlay (a column's type comes from the structure)${didYouMean(field.type, Object.keys(valueObjects))}`, [...path, 'type']);
        continue;
      }
      const prefix = field.column ?? snake(fieldName);
      const parts = Object.entries(valueObject.fields).map(([inner, innerField]) => ({ inner, innerField, column: column(`${prefix}_${innerField.column ?? snake(inner)}`) }));
      const missing = parts.filter((p) => !p.column || claimed.has(p.column.name) || fk.has(p.column.name));
      if (missing.length > 0) {
        unknown(`value object field "${fieldName}" of ${name} needs column${missing.length > 1 ? 's' : ''} ${missing.map((p) => `${prefix}_${p.innerField.column ?? snake(p.inner)}`).join(', ')} in table ${t}`, path);
        continue;
      }
      const columns = parts.map((p) => p.column as StructureColumn);
      const optional = columns.every((c) => !c.notNull) && parts.some((p) => p.innerField.required !== false);
      for (const { innerField, column: c, inner } of parts) {
        const stored = c as StructureColumn;
        claim(stored);
        const as = columnField(stored).field;
        const expectedNullable = optional || innerField.required === false;
        const same = as !== undefined && as.type === innerField.type && as.maxLength === innerField.maxLength && as.precision === innerField.precision && as.scale === innerField.scale && String(as.values) === String(innerField.values);
        if (!same || stored.notNull === expectedNullable || stored.default !== undefined || stored.unique) {
          cannot(`${t}.${stored.name} is ${describeColumn(stored)}, which does not store ${field.type}.${inner} of "${fieldName}"`, stored.location, `the generator stores it as ${expectedNullable ? 'a nullable' : 'a not null'} ${innerField.type} column without default or unique`);
        }
        noteless(stored, `part of the value object field ${fieldName}`);
      }
      const first = columns[0] as StructureColumn;
      embedded.set(first.name, {
        field: fieldName,
        document: { type: field.type, ...(optional && { required: false }), ...(field.column !== undefined && { column: field.column }), ...refinement(field) },
      });
      record(path, first.location);
    }

    // Column fields and foreign-key relations, in the order of the columns.
    const relations = Object.create(null) as Record<string, RelationDocument>;
    const memberOfColumn = new Map<string, string>();
    const renamed = new Map<string, string>();
    for (const [fieldName, field] of Object.entries(extra.fields ?? {})) if (field.type === undefined && field.column !== undefined) renamed.set(field.column, fieldName);
    for (const c of table.columns) {
      const vo = embedded.get(c.name);
      if (vo) fields[vo.field] = vo.document;
      if (claimed.has(c.name)) continue;
      const ref = fk.get(c.name);
      if (ref) {
        claim(c);
        const relation = relationOf(table, c, ref, owner);
        if (relation) {
          relations[relation.name] = relation.document;
          memberOfColumn.set(c.name, relation.name);
        }
        continue;
      }
      const fieldName = renamed.get(c.name) ?? camelCase(c.name, 'field');
      const { field: document, problems } = columnField(c);
      claim(c);
      for (const problem of problems) cannot(`${t}.${c.name}: ${problem.message}`, c.location, problem.hint);
      if (!document) continue;
      if (snake(fieldName) !== c.name) document.column = c.name;
      fields[fieldName] = document;
      memberOfColumn.set(c.name, fieldName);
      record([...owner, 'fields', fieldName], c.location);
      for (const key of Object.keys(document)) record([...owner, 'fields', fieldName, key], c.location);
    }
    for (const c of table.columns) for (const check of c.checks) cannot(`CHECK (${check.expression}) on ${t}.${c.name} is raw SQL, which the domain model cannot represent`, check.location, CHECK_HINT);
    for (const check of table.checks) cannot(`CHECK (${check.expression}) on table ${t} is raw SQL, which the domain model cannot represent`, check.location, CHECK_HINT);

    // The overlay refines fields (rules, descriptions, derivations) and relations (descriptions), and adds one-to-many and many-to-many.
    for (const [fieldName, field] of Object.entries(extra.fields ?? {})) {
      if (field.type !== undefined) continue;
      const path = [...owner, 'fields', fieldName];
      const target = fields[fieldName];
      if (!target) {
        const columnName = field.column ?? snake(fieldName);
        const relation = memberOfColumn.get(columnName);
        unknown(
          relation !== undefined && Object.hasOwn(relations, relation)
            ? `field "${fieldName}" of ${name}: column ${columnName} is the foreign key of relation "${relation}" (describe it under relations)`
            : `field "${fieldName}" of ${name} is not a column of table ${t}${column(columnName) ? ` (${columnName} is the ${conventionRole(columnName)})` : ''}`,
          path,
        );
        continue;
      }
      Object.assign(target, refinement(field));
      if (field.unique === 'ignore-case') {
        if (target.unique === true) target.unique = 'ignore-case';
        else unknown(`field "${fieldName}" of ${name}: "unique: ignore-case" needs a unique column, and column ${field.column ?? snake(fieldName)} of table ${t} is not unique`, [...path, 'unique']);
      }
    }
    for (const [relationName, relation] of Object.entries(extra.relations ?? {})) {
      const path = [...owner, 'relations', relationName];
      const existing = relations[relationName];
      if (relation.kind === undefined) {
        if (!existing) unknown(`relation "${relationName}" of ${name} is not a foreign key of table ${t} (expected column ${snake(relationName)}_id)`, path);
        else if (relation.description !== undefined) existing.description = relation.description;
        continue;
      }
      if (existing) {
        unknown(`relation "${relationName}" of ${name} is the foreign key ${snake(relationName)}_id of table ${t}; the overlay only describes it`, [...path, 'kind']);
        continue;
      }
      relations[relationName] = {
        kind: relation.kind,
        target: relation.target as string,
        ...(relation.description !== undefined && { description: relation.description }),
        ...(relation.inverse !== undefined && { inverse: relation.inverse }),
        ...(relation.joinTable !== undefined && { joinTable: relation.joinTable }),
      };
    }

    let kept = 0;
    const indexes = table.indexes.flatMap((index, i): NonNullable<EntityDocument['indexes']> => {
      const label = `index ${index.name ?? `${i + 1} of ${t}`}`;
      if (index.pk) {
        if (!(index.columns.length === 1 && index.columns[0]?.value === 'id')) cannot(`composite primary key (${index.columns.map((c) => c.value).join(', ')}) of ${t}: an entity's primary key is its id column`, index.location, 'a join table is declared by a many-to-many relation in the overlay');
        return [];
      }
      let ok = true;
      const fail = (message: string, hint?: string) => {
        cannot(`${label}: ${message}`, index.location, hint);
        ok = false;
      };
      if (index.method !== undefined && index.method.toLowerCase() !== 'btree') fail(`index method ${index.method} cannot be represented`);
      if (index.note !== undefined) fail('its note has no place in the domain model');
      // `lower(column)` of a text column, in a unique index that lowers every text column it has: `unique: ignore-case`.
      const textColumn = (column: string) => ['string', 'text'].includes(fields[memberOfColumn.get(column) ?? '']?.type ?? '');
      const lowered = (c: { expression: boolean; value: string }) => (c.expression ? /^lower\(\s*"?([a-z_][a-z0-9_]*)"?\s*\)$/i.exec(c.value.trim())?.[1] : undefined);
      const ignoresCase =
        index.unique && index.columns.some((c) => lowered(c) !== undefined) && index.columns.every((c) => (c.expression ? textColumn(lowered(c) ?? '') : !textColumn(c.value)));
      const members = index.columns.map((c) => {
        const column = ignoresCase ? (lowered(c) ?? c.value) : c.value;
        if (c.expression && !ignoresCase) fail(`the expression ${c.value} cannot be represented`, 'indexes name fields and relations; a unique index on lower(column) of text columns is unique: ignore-case');
        else if (!memberOfColumn.has(column)) fail(`column ${column} is not a field or a relation`, 'indexes name fields and relations');
        return memberOfColumn.get(column) ?? column;
      });
      if (!ok) return [];
      const generated = `${snake(plural(name))}_${members.map(snake).join('_')}_${index.unique ? 'key' : 'idx'}`.slice(0, 63);
      kept += 1;
      for (const key of [[], ['fields'], ['name'], ['unique']]) record([...owner, 'indexes', kept - 1, ...key], index.location);
      const unique = ignoresCase ? { unique: 'ignore-case' as const } : index.unique && { unique: true };
      return [{ ...(index.name !== undefined && index.name !== generated && { name: index.name }), fields: members, ...unique }];
    });

    const description = extra.description ?? table.note;
    return {
      ...(description !== undefined && { description }),
      ...(t !== snake(plural(name)) && { table: t }),
      ...(extra.renamedFrom !== undefined && { renamedFrom: extra.renamedFrom }),
      ...(extra.aggregate !== undefined && { aggregate: extra.aggregate }),
      ...(identity === 'serial' && { identity: 'serial' as const }),
      ...(created === undefined && updated === undefined && { timestamps: false }),
      ...(deleted !== undefined && { softDelete: true }),
      ...(version !== undefined && { versioned: true }),
      ...(extra.audited !== undefined && { audited: extra.audited }),
      fields,
      ...(Object.keys(relations).length > 0 && { relations }),
      ...(indexes.length > 0 && { indexes }),
      ...(extra.computed !== undefined && { computed: extra.computed }),
      ...(extra.invariants !== undefined && { invariants: extra.invariants }),
      ...(extra.policies !== undefined && { policies: extra.policies }),
      ...(extra.deleteRefusedWhile !== undefined && { deleteRefusedWhile: extra.deleteRefusedWhile }),
      ...(extra.changesRefusedWhile !== undefined && { changesRefusedWhile: extra.changesRefusedWhile }),
      ...(extra.methods !== undefined && { methods: extra.methods }),
      ...(extra.checks !== undefined && { checks: extra.checks }),
      ...(extra.stateMachine !== undefined && { stateMachine: extra.stateMachine }),
    };
  }

  function relationOf(table: StructureTable, c: StructureColumn, ref: StructureRef, owner: string[]): { name: string; document: RelationDocument } | undefined {
    const t = table.name;
    const target = entityOfTable.get(ref.to.table) as string;
    const name = camelCase(c.name.replace(/_id$/, ''), 'relation');
    if (!c.name.endsWith('_id') || `${snake(name)}_id` !== c.name) {
      cannot(`foreign key column ${t}.${c.name} is not named <relation>_id`, c.location, `name it after the relation, e.g. ${snake(target)}_id`);
      return undefined;
    }
    const targetIdType = identityOf.get(ref.to.table) === 'serial' ? ['integer', 'int', 'int4'] : ['uuid'];
    if (!targetIdType.includes(c.type)) cannot(`foreign key ${t}.${c.name} is ${c.type}, but the id of ${ref.to.table} is ${targetIdType[0] ?? ''}`, c.location);
    if (c.default !== undefined || c.increment) cannot(`foreign key ${t}.${c.name} has a ${c.increment ? 'generated value' : 'default'}, which the domain model cannot represent`, c.location);
    const onDelete = deleteAction(ref.onDelete);
    if (onDelete === null) cannot(`${t}.${c.name}: ON DELETE ${String(ref.onDelete).toUpperCase()} cannot be represented`, ref.location, 'use cascade, restrict or set null');
    const path = [...owner, 'relations', name];
    record(path, c.location);
    record([...path, 'kind'], c.location);
    record([...path, 'required'], c.location);
    record([...path, 'target'], ref.location);
    record([...path, 'onDelete'], ref.location);
    return {
      name,
      document: {
        kind: !ref.from.many || c.unique ? 'one-to-one' : 'many-to-one',
        target,
        ...(c.note !== undefined && { description: c.note }),
        ...(!c.notNull && { required: false }),
        ...(onDelete && { onDelete }),
      },
    };
  }

  function checkJoinTable(table: StructureTable, join: { entity: string; relation: string; target: string }): void {
    const left = `${snake(join.entity)}_id`;
    const right = join.target === join.entity ? `related_${left}` : `${snake(join.target)}_id`;
    const entityTable = [...entityOfTable].find(([, e]) => e === join.entity)?.[0];
    const targetTable = [...entityOfTable].find(([, e]) => e === join.target)?.[0];
    const expected = `${table.name}(${left} not null references ${entityTable ?? '?'}(id) on delete cascade, ${right} not null references ${targetTable ?? '?'}(id) on delete cascade, primary key (${left}, ${right}))`;
    const refs = joinRefs.get(table.name) ?? [];
    const refOk = (columnName: string, toTable: string | undefined) =>
      refs.some((r) => r.from.columns.join() === columnName && r.to.table === toTable && r.to.columns.join() === 'id' && deleteAction(r.onDelete) === 'cascade' && r.onUpdate === undefined);
    const shape =
      table.columns.map((c) => c.name).sort().join() === [left, right].sort().join() &&
      table.columns.every((c) => (c.notNull || c.pk) && c.default === undefined && c.checks.length === 0 && c.note === undefined && !c.increment) &&
      refs.length === 2 &&
      refOk(left, entityTable) &&
      refOk(right, targetTable) &&
      table.checks.length === 0 &&
      table.note === undefined &&
      table.indexes.every((i) => (i.pk && i.columns.map((c) => c.value).join() === `${left},${right}`) || (!i.pk && !i.unique && i.columns.map((c) => c.value).join() === right && i.method === undefined && i.note === undefined));
    const hasPk = table.indexes.some((i) => i.pk) || table.columns.filter((c) => c.pk).length === 2;
    if (!shape || !hasPk) cannot(`join table ${table.name} of many-to-many "${join.relation}" (${join.entity}) is not the one the generator makes: ${expected}`, table.location);
  }
}

/** The domain model field a column stores, and what of the column it cannot carry. */
function columnField(c: StructureColumn): { field: FieldDocument | undefined; problems: { message: string; hint?: string }[] } {
  const problems: { message: string; hint?: string }[] = [];
  if (c.increment) problems.push({ message: 'auto-increment cannot be represented on a column other than id' });
  const type = scalarOf(c);
  if (!type) return { field: undefined, problems: [...problems, { message: `type ${c.type} cannot be represented`, hint: TYPE_HINT }] };
  const field: FieldDocument = { ...type };
  if (!c.notNull && !c.pk) field.required = false;
  if (c.unique) field.unique = true;
  const value = defaultOf(c, type.type);
  if (value !== undefined) field.default = value;
  else if (c.default !== undefined) problems.push({ message: `default ${String(c.default.value)} is an SQL expression, which the domain model cannot represent`, hint: 'a default is a literal: a number, a quoted string, true or false' });
  if (c.note !== undefined) field.description = c.note;
  return { field, problems };
}

function scalarOf(c: StructureColumn): Pick<FieldDocument, 'type' | 'maxLength' | 'precision' | 'scale' | 'values'> | undefined {
  if (c.enumValues) return { type: 'enum', values: c.enumValues };
  const match = /^([a-z][a-z0-9 ]*?)(?:\((\d+)(?:, (\d+))?\))?$/.exec(c.type);
  if (!match) return undefined;
  const [, base, first, second] = match;
  const n = first === undefined ? undefined : Number(first);
  switch (base) {
    case 'varchar':
    case 'character varying':
      return second === undefined ? { type: 'string', ...(n !== undefined && { maxLength: n }) } : undefined;
    case 'numeric':
    case 'decimal':
      return { type: 'decimal', ...(n !== undefined && { precision: n }), ...(second !== undefined && { scale: Number(second) }) };
  }
  if (n !== undefined) return undefined;
  const simple: Record<string, FieldDocument['type']> = {
    text: 'text',
    integer: 'integer',
    int: 'integer',
    int4: 'integer',
    bigint: 'bigint',
    int8: 'bigint',
    'double precision': 'number',
    float8: 'number',
    boolean: 'boolean',
    bool: 'boolean',
    date: 'date',
    timestamptz: 'datetime',
    'timestamp with time zone': 'datetime',
    uuid: 'uuid',
    jsonb: 'json',
  };
  const type = simple[base as string];
  return type === undefined ? undefined : { type };
}

/** A column default as a model default; SQL expressions other than a quoted literal are undefined (reported by the caller). */
function defaultOf(c: StructureColumn, type: string): FieldDocument['default'] | undefined {
  const d = c.default;
  if (d === undefined) return undefined;
  let value: string | number | boolean | undefined = d.kind === 'expression' ? undefined : d.value;
  if (d.kind === 'expression') {
    const literal = /^'((?:[^']|'')*)'(?:::[a-z ]+(?:\(\d+\))?)?$/i.exec(String(d.value).trim());
    if (literal) value = (literal[1] as string).replace(/''/g, "'");
    else if (/^-?\d+(\.\d+)?$/.test(String(d.value).trim())) value = Number(d.value);
    else if (/^(true|false)$/i.test(String(d.value).trim())) value = String(d.value).trim().toLowerCase() === 'true';
  }
  if (typeof value === 'string' && ['integer', 'bigint', 'number', 'decimal'].includes(type) && /^-?\d+(\.\d+)?$/.test(value)) value = Number(value);
  if (typeof value === 'string' && type === 'boolean' && /^(true|false)$/.test(value)) value = value === 'true';
  return value;
}

function refinement(field: OverlayFieldDocument): Partial<FieldDocument> {
  const keys = ['description', 'min', 'max', 'minLength', 'pattern', 'renamedFrom', 'from'] as const;
  return Object.fromEntries(keys.filter((k) => field[k] !== undefined).map((k) => [k, field[k]]));
}

function deleteAction(action: string | undefined): RelationDocument['onDelete'] | null | undefined {
  if (action === undefined) return undefined;
  const normal = action.toLowerCase().replace(/\s+/g, ' ');
  if (normal === 'cascade' || normal === 'restrict') return normal;
  if (normal === 'set null') return 'set-null';
  return null;
}

function normalizeExpression(expression: string): string {
  return expression.trim().toLowerCase().replace(/\s+/g, '');
}

function describeColumn(c: StructureColumn): string {
  return [c.type, c.notNull ? 'not null' : 'nullable', c.pk && 'pk', c.unique && 'unique', c.increment && 'increment', c.default && `default ${String(c.default.value)}`].filter(Boolean).join(' ');
}

function conventionDbml(columnName: string): string {
  if (columnName === 'version') return 'version integer [not null, default: 1]';
  if (columnName === 'deleted_at') return 'deleted_at timestamptz';
  return `${columnName} timestamptz [not null, default: \`now()\`]`;
}

function conventionRole(columnName: string): string {
  if (columnName === 'id') return 'primary key';
  if (columnName === 'version') return 'optimistic lock';
  if (columnName === 'deleted_at') return 'soft-delete mark';
  return 'timestamp';
}

/** The singular of a table name by simple English rules (`order_items` -> `order_item`, `categories` -> `category`). */
export function singular(name: string): string {
  if (/[^aeiou]ies$/i.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(name)) return name.slice(0, -2);
  if (/[^su]s$/i.test(name)) return name.slice(0, -1);
  return name;
}

export function pointer(path: readonly (string | number)[]): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
