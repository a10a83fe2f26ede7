import { error, ScaffoldError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EntityDocument, FieldDocument, InvariantDocument } from '../../load/domain-model-types.js';
import type { LoadedDomainModel } from '../../load/load-domain-model.js';
import { SCALAR_TYPES, unknownFieldType } from '../../load/field-types.js';
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import { names, words } from '../naming.js';
import { ExpressionError, fieldsOf, parseExpression, readsCaller } from './expression.js';
import { attachChecks, attachMethods, buildReactions } from './effects.js';
import { buildGatewayCalls, buildGateways } from './gateways.js';
import { attachChangeRefusals, attachDeleteRefusals, attachPolicies, checkCallerComputed } from './policies.js';
import { buildSignIn } from './sign-in.js';
import type { Computed, DomainModel, Entity, Field, Invariant, Relation, ScalarType, StateMachine, ValueObject } from './types.js';
import { compilePattern } from '../pattern.js';
import { nullPrototypeRecord, withNullPrototypes } from '../null-prototype.js';
import { ENTITY_MEMBERS, VALUE_OBJECT_MEMBERS } from './member-names.js';

const SCALARS = new Set<string>(SCALAR_TYPES);

/**
 * Checks what the schema cannot (every name resolves, states exist, invariants parse, required
 * references do not form a cycle) and applies the defaults. Every problem is reported with its
 * location, all at once; nothing is generated from a model with errors.
 */
/** What an entity that leaves a choice open gets: the guidelines' `idType`, else uuid (a structure's tables always say). */
export interface DomainDefaults {
  identity?: 'uuid' | 'serial';
}

export function buildDomainModel(loaded: LoadedDomainModel, defaults: DomainDefaults = {}): DomainModel {
  const { locate } = loaded;
  // Every name of the model is looked up in these records: none may find what an object inherits.
  const document = withNullPrototypes(loaded.document);
  const diagnostics: Diagnostic[] = [];
  const report = (code: 'SCF013' | 'SCF018' | 'SCF019' | 'SCF027' | 'SCF031' | 'SCF032' | 'SCF033' | 'SCF034' | 'SCF044', message: string, path: (string | number)[]) => diagnostics.push(error(code, message, locate(path)));
  const entityNames = new Set(Object.keys(document.entities));
  const valueObjectNames = new Set(Object.keys(document.valueObjects ?? {}));

  const buildFields = (owner: string[], fields: Record<string, FieldDocument>): Field[] =>
    Object.entries(fields).map(([name, field]) => {
      const path = [...owner, 'fields', name];
      let type: Field['type'] = 'string';
      if (SCALARS.has(field.type)) type = field.type as ScalarType;
      else if (valueObjectNames.has(field.type)) type = { valueObject: field.type };
      else diagnostics.push(unknownFieldType(name, field.type, [...valueObjectNames], locate([...path, 'type'])));
      if (field.type === 'enum' && !field.values) report('SCF031', `enum field "${name}" needs its "values"`, path);
      if (field.default !== undefined && field.values && !field.values.includes(String(field.default))) {
        report('SCF031', `default "${String(field.default)}" of "${name}" is not one of its values`, [...path, 'default']);
      }
      if (typeof field.default === 'object' && field.default !== null && field.type !== 'json') report('SCF031', `default of "${name}" may be a list or an object only for a json field`, [...path, 'default']);
      if (field.pattern !== undefined && !isValidPattern(field.pattern)) report('SCF031', `pattern of "${name}" is not a valid regular expression`, [...path, 'pattern']);
      if (field.unique === 'ignore-case' && !isText(field.type)) report('SCF031', `"unique: ignore-case" of ${owner.at(-1) ?? ''}.${name} needs a string or text field (it is ${field.type})`, [...path, 'unique']);
      return {
        names: names(name, 'field'),
        column: field.column ?? snake(name),
        type,
        required: field.required ?? true,
        unique: field.unique === true || field.unique === 'ignore-case',
        ignoreCase: field.unique === 'ignore-case',
        default: field.default,
        values: field.values ?? [],
        constraints: pick(field, ['min', 'max', 'minLength', 'maxLength', 'pattern', 'precision', 'scale']),
        renamedFrom: field.renamedFrom,
        secret: field.secret ?? looksSecret(name),
        derivedFrom: parseDerivation(field.from),
        description: field.description ?? '',
      };
    });

  const buildInvariants = (owner: string[], invariants: InvariantDocument[] | undefined, known: Set<string>): Invariant[] =>
    (invariants ?? []).flatMap((invariant, index) => {
      try {
        const expression = parseExpression(invariant.check);
        if (readsCaller(expression)) {
          report('SCF033', `invariant "${invariant.name}" reads the caller (auth, hasRole()); who may do what is a policy (docs/domain-model.md, "Policies")`, [...owner, 'invariants', index, 'check']);
          return [];
        }
        const unknown = [...fieldsOf(expression)].filter((field) => !known.has(field));
        if (unknown.length > 0) {
          report('SCF033', `invariant "${invariant.name}" names unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, [...owner, 'invariants', index, 'check']);
          return [];
        }
        const violation = invariant.code === undefined ? undefined : { code: invariant.code, status: invariant.status ?? 422 };
        if (invariant.code === undefined && invariant.status !== undefined) report('SCF019', `invariant "${invariant.name}" has a status but no code; a broken invariant without a code answers 400`, [...owner, 'invariants', index, 'status']);
        return [{ name: invariant.name, expression, source: invariant.check, message: invariant.message ?? `${invariant.name}: ${invariant.check} must hold`, violation }];
      } catch (cause) {
        if (!(cause instanceof ExpressionError)) throw cause;
        report('SCF033', `invariant "${invariant.name}": ${cause.message} at column ${cause.offset + 1} of "${invariant.check}"`, [...owner, 'invariants', index, 'check']);
        return [];
      }
    });

  const valueObjects: ValueObject[] = Object.entries(document.valueObjects ?? {}).map(([name, vo]) => {
    const owner = ['valueObjects', name];
    checkMemberNames(name, owner, [['fields', Object.keys(vo.fields)]], VALUE_OBJECT_MEMBERS, report);
    const fields = buildFields(owner, vo.fields);
    return { names: names(name, 'value'), fields, invariants: buildInvariants(owner, vo.invariants, new Set(Object.keys(vo.fields))), description: vo.description ?? '' };
  });

  const entities: Entity[] = Object.entries(document.entities).map(([name, entity]) => {
    const owner = ['entities', name];
    const members: [MemberKind, string[]][] = [
      ['fields', Object.keys(entity.fields)],
      ['relations', Object.keys(entity.relations ?? {})],
      ['computed', Object.keys(entity.computed ?? {})],
      ['transitions', Object.keys(entity.stateMachine?.transitions ?? {})],
      ['methods', Object.keys(entity.methods ?? {})],
    ];
    checkMemberNames(name, owner, members, ENTITY_MEMBERS, report);
    const fields = buildFields(owner, entity.fields);
    const relations = buildRelations(name, entity, owner, entityNames, document.entities, report);
    const indexable = new Set([...Object.keys(entity.fields), ...Object.keys(entity.relations ?? {})]);
    (entity.indexes ?? []).forEach((index, i) => {
      for (const field of index.fields) if (!indexable.has(field)) report('SCF031', `index names unknown field "${field}" of ${name}${didYouMean(field, indexable)}`, [...owner, 'indexes', i, 'fields']);
      if (index.unique === 'ignore-case' && !index.fields.some((field) => isText(entity.fields[field]?.type))) {
        report('SCF031', `the index on ${index.fields.join(', ')} of ${name} is "unique: ignore-case", but none of its fields is a string or text field`, [...owner, 'indexes', i, 'unique']);
      }
    });
    if (entity.aggregate !== undefined && !entityNames.has(entity.aggregate)) report('SCF031', `aggregate root "${entity.aggregate}" of ${name} is not an entity${didYouMean(entity.aggregate, entityNames)}`, [...owner, 'aggregate']);
    const known = new Set([...Object.keys(entity.fields), 'id', ...(entity.timestamps === false ? [] : ['createdAt', 'updatedAt'])]);
    return {
      names: names(name, 'entity'),
      table: entity.table ?? snake(plural(name)),
      renamedFrom: entity.renamedFrom,
      aggregate: entity.aggregate ?? name,
      identity: entity.identity ?? (loaded.fromStructure ? undefined : defaults.identity) ?? 'uuid',
      timestamps: entity.timestamps ?? true,
      softDelete: entity.softDelete ?? false,
      versioned: entity.versioned ?? false,
      audited: entity.audited ?? false,
      fields,
      relations,
      indexes: (entity.indexes ?? []).map((index) => ({
        name: index.name ?? `${snake(plural(name))}_${index.fields.map(snake).join('_')}_${index.unique ? 'key' : 'idx'}`.slice(0, 63),
        fields: index.fields,
        unique: index.unique === true || index.unique === 'ignore-case',
        ignoreCase: index.unique === 'ignore-case',
      })),
      invariants: buildInvariants(owner, entity.invariants, known),
      stateMachine: buildStateMachine(entity, owner, report),
      computed: buildComputed(entity, owner, known, indexable, report),
      policies: undefined,
      deleteRefusals: [],
      changeRefusals: [],
      methods: [],
      checks: [],
      description: entity.description ?? '',
    };
  });
  attachPolicies(entities, document.entities, (message, path) => report('SCF018', message, path));
  attachDeleteRefusals(entities, document.entities, (message, path) => report('SCF018', message, path));
  attachChangeRefusals(entities, document.entities, (message, path) => report('SCF018', message, path));
  checkCallerComputed(entities, (message, path) => report('SCF033', message, path));
  attachMethods(entities, document.entities, (message, path) => report('SCF019', message, path));
  attachChecks(entities, document.entities, (message, path) => report('SCF019', message, path));
  const reactions = buildReactions(entities, document.reactions ?? [], (message, path) => report('SCF019', message, path));
  const gateways = buildGateways(document.gateways ?? {}, (message, path) => report('SCF044', message, path));
  const gatewayCalls = buildGatewayCalls(entities, gateways, new Set(Object.keys(document.gateways ?? {})), document.reactions ?? [], reactions, (message, path) => report('SCF044', message, path));

  reportAuditTableTaken(entities, report);
  reportRequiredCycles(entities, report);
  checkDerivations(entities, report);
  const mapping: DomainModel['mapping'] = nullPrototypeRecord();
  for (const [resource, declared] of Object.entries(document.mapping ?? {})) {
    const { entity, fields = {}, auditReason } = typeof declared === 'string' ? { entity: declared } : declared;
    const path = typeof declared === 'string' ? ['mapping', resource] : ['mapping', resource, 'entity'];
    if (!entityNames.has(entity)) report('SCF031', `mapping of "${resource}" names unknown entity "${entity}"${didYouMean(entity, entityNames)}`, path);
    const target = document.entities[entity];
    for (const [apiName, field] of Object.entries(fields)) {
      if (target && !Object.hasOwn(target.fields, field) && !Object.hasOwn(target.computed ?? {}, field)) {
        report('SCF031', `mapping of "${resource}" maps "${apiName}" to unknown field "${field}" of ${entity}${didYouMean(field, [...Object.keys(target.fields), ...Object.keys(target.computed ?? {})])}`, ['mapping', resource, 'fields', apiName]);
      }
    }
    if (auditReason !== undefined && target && target.audited !== true) {
      report('SCF031', `mapping of "${resource}" names an auditReason, but ${entity} is not audited (declare audited: true on it)`, ['mapping', resource, 'auditReason']);
    }
    mapping[resource] = { entity, fields: nullPrototypeRecord(Object.entries(fields)), auditReason };
  }
  const signIn = document.signIn && buildSignIn(document.signIn, entities, locate, (message, path) => report('SCF027', message, path));
  if (diagnostics.length > 0) throw new ScaffoldError(diagnostics);
  return { entities, valueObjects, mapping, reactions, gateways, gatewayCalls, ...(signIn && { signIn }) };
}

type MemberKind = 'fields' | 'relations' | 'computed' | 'transitions' | 'methods';

/**
 * Fields, relations, computed values and transitions all become members of one generated class: a
 * name the class has for itself, or one two of them share, would not compile or would break the class.
 * (A computed value named like a field is SCF033's.)
 */
function checkMemberNames(owner: string, path: string[], members: [MemberKind, string[]][], taken: ReadonlySet<string>, report: Report): void {
  const seen = new Map<string, MemberKind>();
  for (const [kind, names] of members) {
    const where = (name: string) => [...path, ...(kind === 'transitions' ? ['stateMachine'] : []), kind, name];
    for (const name of names) {
      const singular = kind === 'computed' ? 'computed value' : kind.slice(0, -1);
      const earlier = seen.get(name);
      if (taken.has(name)) {
        const whose = Object.hasOwn(Object.prototype, name) ? 'every JavaScript object has' : `the generated class of ${owner} has for itself`;
        report('SCF013', `${singular} "${name}" of ${owner} has the name of a member ${whose}; rename it`, where(name));
      } else if (earlier !== undefined && !(earlier === 'fields' && kind === 'computed')) report('SCF013', `${singular} "${name}" of ${owner} has the name of one of its ${earlier}; rename one of them`, where(name));
      seen.set(name, earlier ?? kind);
    }
  }
}

function parseDerivation(from: string | undefined): Field['derivedFrom'] {
  const match = from === undefined ? null : /^(?:(sum)\((\w+)\.(\w+)\)|(\w+)\.(\w+))$/.exec(from);
  if (!match) return undefined;
  return match[1] ? { kind: 'sum', relation: match[2] as string, field: match[3] as string } : { kind: 'copy', relation: match[4] as string, field: match[5] as string };
}

/** `from` must name a relation of the right kind and a field (or computed value) of its target. */
function checkDerivations(entities: Entity[], report: Report): void {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  for (const entity of entities) {
    for (const field of entity.fields) {
      const derived = field.derivedFrom;
      if (!derived) continue;
      const path = ['entities', entity.names.original, 'fields', field.names.original, 'from'];
      const relation = entity.relations.find((r) => r.names.original === derived.relation);
      const expected = derived.kind === 'sum' ? 'one-to-many' : 'many-to-one or one-to-one';
      if (!relation || (derived.kind === 'sum' ? relation.kind !== 'one-to-many' : relation.column === undefined)) {
        report('SCF031', `"from" of ${entity.names.original}.${field.names.original} needs a ${expected} relation named "${derived.relation}"`, path);
        continue;
      }
      const target = byName.get(relation.target);
      const known = target && [...target.fields.map((f) => f.names.original), ...target.computed.map((c) => c.names.original)].includes(derived.field);
      if (target && !known) report('SCF031', `"from" of ${entity.names.original}.${field.names.original}: ${relation.target} has no field "${derived.field}"`, path);
    }
  }
}

type Report = (code: 'SCF013' | 'SCF018' | 'SCF031' | 'SCF032' | 'SCF033' | 'SCF034', message: string, path: (string | number)[]) => void;

function buildRelations(name: string, entity: EntityDocument, owner: string[], entityNames: Set<string>, all: Record<string, EntityDocument>, report: Report): Relation[] {
  return Object.entries(entity.relations ?? {}).map(([relationName, relation]) => {
    const path = [...owner, 'relations', relationName];
    if (!entityNames.has(relation.target)) report('SCF031', `relation "${relationName}" of ${name} targets unknown entity "${relation.target}"${didYouMean(relation.target, entityNames)}`, [...path, 'target']);
    const target = all[relation.target];
    if (relation.inverse !== undefined && target && !Object.hasOwn(target.relations ?? {}, relation.inverse)) {
      report('SCF031', `relation "${relationName}" of ${name} names inverse "${relation.inverse}", which ${relation.target} does not have${didYouMean(relation.inverse, Object.keys(target.relations ?? {}))}`, [...path, 'inverse']);
    }
    if (relation.kind === 'one-to-many' && relation.inverse === undefined) {
      const back = Object.entries(target?.relations ?? {}).filter(([, r]) => r.target === name && r.kind === 'many-to-one');
      if (target && back.length !== 1) report('SCF031', `one-to-many "${relationName}" of ${name} needs "inverse": the many-to-one on ${relation.target} that points back`, path);
    }
    const holdsKey = relation.kind === 'many-to-one' || relation.kind === 'one-to-one';
    const required = holdsKey ? (relation.required ?? true) : false;
    if (relation.onDelete === 'set-null' && required) report('SCF031', `relation "${relationName}" of ${name} is required, so onDelete cannot be set-null`, [...path, 'onDelete']);
    return {
      names: names(relationName, 'relation'),
      kind: relation.kind,
      target: relation.target,
      required,
      inverse: relation.inverse,
      onDelete: relation.onDelete ?? 'restrict',
      column: holdsKey ? `${snake(relationName)}_id` : undefined,
      joinTable: relation.kind === 'many-to-many' ? (relation.joinTable ?? `${snake(plural(name))}_${snake(plural(relation.target))}`) : undefined,
    };
  });
}

function buildComputed(entity: EntityDocument, owner: string[], known: Set<string>, members: Set<string>, report: Report): Computed[] {
  return Object.entries(entity.computed ?? {}).flatMap(([name, computed]) => {
    const path = [...owner, 'computed', name];
    if (members.has(name) || known.has(name)) {
      report('SCF033', `computed value "${name}" has the name of a field`, path);
      return [];
    }
    try {
      const expression = parseExpression(computed.value);
      const unknown = [...fieldsOf(expression)].filter((field) => !known.has(field));
      if (unknown.length > 0) {
        report('SCF033', `computed value "${name}" names unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, [...path, 'value']);
        return [];
      }
      const caller = readsCaller(expression);
      // A value relative to the caller is a condition of the policy language, computed per response (checked with the policies).
      if (caller && computed.type !== 'boolean') {
        report('SCF033', `computed value "${name}" reads the caller, so it is a condition: give it type boolean`, [...path, 'type']);
        return [];
      }
      return [{ names: names(name, 'computed'), type: computed.type, expression, source: computed.value, description: computed.description ?? '', readsCaller: caller }];
    } catch (cause) {
      if (!(cause instanceof ExpressionError)) throw cause;
      report('SCF033', `computed value "${name}": ${cause.message} at column ${cause.offset + 1} of "${computed.value}"`, [...path, 'value']);
      return [];
    }
  });
}

function buildStateMachine(entity: EntityDocument, owner: string[], report: Report): StateMachine | undefined {
  const machine = entity.stateMachine;
  if (!machine) return undefined;
  const path = [...owner, 'stateMachine'];
  const field = entity.fields[machine.field];
  if (!field || field.type !== 'enum') {
    report('SCF034', `state machine field "${machine.field}" must be an enum field of the entity`, [...path, 'field']);
    return undefined;
  }
  const states = field.values ?? [];
  const check = (state: string, where: (string | number)[]) => {
    if (!states.includes(state)) report('SCF034', `"${state}" is not a state of ${machine.field} (${states.join(', ')})`, where);
  };
  check(machine.initial, [...path, 'initial']);
  const transitions = Object.entries(machine.transitions).map(([name, transition]) => {
    const from = Array.isArray(transition.from) ? transition.from : [transition.from];
    from.forEach((state, i) => check(state, [...path, 'transitions', name, 'from', ...(Array.isArray(transition.from) ? [i] : [])]));
    check(transition.to, [...path, 'transitions', name, 'to']);
    return { names: names(name, 'transition'), from, to: transition.to, event: transition.event };
  });
  const allowed = (key: 'updatableIn' | 'deletableIn'): string[] | undefined => {
    const list = machine[key];
    list?.forEach((state, i) => check(state, [...path, key, i]));
    return list;
  };
  return { field: machine.field, initial: machine.initial, states, transitions, updatableIn: allowed('updatableIn'), deletableIn: allowed('deletableIn') };
}

/** The table that holds the audit log of audited entities (relational-schema.ts). */
export const AUDIT_TABLE = 'audit_log';

/** With an audited entity, the migrations create audit_log: no entity may have that table. */
function reportAuditTableTaken(entities: Entity[], report: Report): void {
  const audited = entities.filter((e) => e.audited).map((e) => e.names.original);
  if (audited.length === 0) return;
  for (const entity of entities) {
    if (entity.table !== AUDIT_TABLE) continue;
    report('SCF031', `entity ${entity.names.original} uses the table ${AUDIT_TABLE}, which holds the audit log of the audited entities (${audited.join(', ')}); give ${entity.names.original} another table`, ['entities', entity.names.original, 'table']);
  }
}

/** Required references (many-to-one, owning one-to-one) that loop back make every insert impossible. */
function reportRequiredCycles(entities: Entity[], report: Report): void {
  const edges = new Map(entities.map((e) => [e.names.original, e.relations.filter((r) => r.column !== undefined && r.required).map((r) => r.target)]));
  const reported = new Set<string>();
  for (const start of edges.keys()) {
    const stack: { node: string; path: string[] }[] = [{ node: start, path: [start] }];
    while (stack.length > 0) {
      const { node, path } = stack.pop() as { node: string; path: string[] };
      for (const next of edges.get(node) ?? []) {
        if (next === start) {
          const key = [...path].sort().join('>');
          if (!reported.has(key)) {
            reported.add(key);
            report('SCF032', `required references form a cycle ${[...path, start].join(' -> ')}: no row could be inserted first; make one of them optional`, ['entities', start, 'relations']);
          }
        } else if (!path.includes(next)) stack.push({ node: next, path: [...path, next] });
      }
    }
  }
}

export function snake(name: string): string {
  return words(name).join('_');
}

/** English plural of the last word, enough for table names (`category` -> `categories`, `box` -> `boxes`). */
export function plural(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as Pick<T, K>;
}

/** Whether a field type holds text, which can compare ignoring case. */
function isText(type: string | undefined): boolean {
  return type === 'string' || type === 'text';
}

function isValidPattern(pattern: string): boolean {
  return compilePattern(pattern) !== undefined;
}

const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'hash', 'salt', 'credential', 'credentials', 'otp']);

/** Whether a field's name says it holds a credential (`password`, `passwordHash`, `apiKey`, `refresh_token`). */
export function looksSecret(name: string): boolean {
  const parts = words(name);
  return parts.some((w) => SECRET_WORDS.has(w)) || parts.join(' ').includes('api key');
}
