import type { ChangeRefusal, DomainModel, Entity, EntityMethod, Field, Invariant, ValueObject } from '../model/domain/types.js';
import { creationRuleView, type CreationRuleView } from './policies/policy-views.js';
import { changeRefusalsOf } from '../model/domain/policies.js';
import { evaluate, fieldsOf, toTypeScript, type Expression } from '../model/domain/expression.js';
import { camelCase, commentText, kebabCase, pascalCase, stringLiteral } from '../model/naming.js';
import { invariantSample, sampleSatisfiesInvariants, violations, type SampleField } from './domain-samples.js';
import { roomyValues } from './effects/test-setup.js';
import { compilePattern } from '../model/pattern.js';

/**
 * What the model templates receive for each entity and value object: TypeScript fragments built
 * from the checked domain model (expressions compiled from their parsed trees, literals escaped).
 */
export interface PropertyView {
  name: string;
  type: string;
  doc: string;
}

export interface CheckView {
  /** A TypeScript condition that must hold. */
  condition: string;
  location: string;
  message: string;
}

export interface EnumView {
  typeName: string;
  constName: string;
  values: string;
}

export interface EntityView {
  fileStem: string;
  className: string;
  /** `an Order`, `a Customer`: for doc comments and messages. */
  withArticle: string;
  baseClass: string;
  propsType: string;
  newType: string;
  doc: string;
  idType: string;
  properties: PropertyView[];
  /** Properties the constructor of a new instance fills in (id, timestamps, version). */
  managed: string[];
  /** Properties with a default: optional when creating. */
  defaults: { name: string; literal: string }[];
  checks: CheckView[];
  /** Invariants with the design's error code: checked after the field checks, each its own error. */
  ruleChecks: { condition: string; message: string; code: string; errorClass: string }[];
  /** The error classes of those invariants and refusals (RuleViolationError 422, RuleConflictError 409). */
  ruleErrorClasses: string[];
  /** Updates and deletes refused while a condition on the row holds (`changesRefusedWhile`): `only` names the one action refused, when not both. */
  changeRefusals: { condition: string; text: string; message: string; code: string; only: 'update' | 'delete' | undefined }[];
  /** Some refusal refuses updates: `update()` checks them first. */
  refusesUpdate: boolean;
  /** Some refusal refuses only one of update and delete: the check takes the action. */
  refusalsByAction: boolean;
  /** `assertDeletable()` exists: a state guard or a refusal of deletes. */
  checksDeletes: boolean;
  /** What `assertDeletable()` refuses, for its doc comment. */
  deleteCheckDoc: string;
  /** Declared methods (`reserve(quantity)`): a change of fields computed from the current ones and the arguments. */
  methods: { name: string; parameters: string; doc: string; patch: string }[];
  enums: EnumView[];
  stateMachine:
    | {
        field: string;
        typeName: string;
        initial: string;
        transitionsConst: string;
        transitionType: string;
        transitions: TransitionView[];
        /** The states updates and deletes are allowed in (`stateMachine.updatableIn`/`deletableIn`): constant name, literal, comment text. */
        guards: { verb: 'changed' | 'deleted'; constName: string; states: string; text: string }[];
        updateGuard: string | undefined;
        deleteGuard: string | undefined;
      }
    | undefined;
  /** Read-only derived values: getters compiled from their expressions. */
  computed: { name: string; type: string; expression: string; doc: string }[];
  /** `OrderChanges`: what `update()` and transitions accept (never identity, version, timestamps or the state). */
  changesType: string;
  changesExpression: string;
  valueObjectImports: { className: string; fileStem: string }[];
  /** The domain model's create policy, as a predicate over the new entity. */
  creationRule: CreationRuleView | undefined;
  usesConflictError: boolean;
  /** Whether a field has a `pattern`: the entity imports the project's pattern engine. */
  usesPatterns: boolean;
  isUuid: boolean;
  hasTimestamps: boolean;
  isVersioned: boolean;
  /** The type of the input of `create()`. */
  newTypeExpression: string;
  /** `create()`'s defaults (`status: "pending", `) and the values it assigns (`id: randomUUID(), ...`). */
  createDefaults: string;
  createManaged: string;
  /** Properties `change()` may not touch, as a union of literals. */
  immutableUnion: string;
  /** For the generated model tests: a valid `create()` input (undefined when none could be derived). */
  sampleInput: string | undefined;
  violations: { title: string; patch: string; location: string; code: string | undefined }[];
  transitionTests: { title: string; method: string; from: string; to: string; event: string | undefined; allowed: boolean }[];
  /** Per declared method: a state it may start from, its arguments, and the fields it leaves. */
  methodTests: { title: string; method: string; state: string; args: string; expected: string }[];
  /** The states updates and deletes are allowed in, one allowed and one refused state each. */
  guardTests: { title: string; from: string; call: string; allowed: boolean }[];
  /** Per change refusal: a state it holds in (its actions refused with the code) and one it does not (allowed). */
  refusalTests: { title: string; state: string; calls: string[]; code: string | undefined }[];
}

export interface TransitionView {
  method: string;
  from: string;
  fromText: string;
  to: string;
  toText: string;
  event: string | undefined;
  /** `shippedAt: new Date(), `: a datetime field named after the target state records when it was entered. */
  stamp: string;
}

export interface ValueObjectView {
  fileStem: string;
  className: string;
  propsType: string;
  doc: string;
  properties: PropertyView[];
  checks: CheckView[];
  enums: EnumView[];
  equalsExpression: string;
  /** Whether a field has a `pattern`: the value object imports the project's pattern engine. */
  usesPatterns: boolean;
}

export function buildDomainViews(domain: DomainModel): { entities: EntityView[]; valueObjects: ValueObjectView[] } {
  const entityByName = new Map(domain.entities.map((e) => [e.names.original, e]));
  const valueObjectByName = new Map(domain.valueObjects.map((v) => [v.names.original, v]));
  return {
    entities: domain.entities.map((entity) => entityView(entity, entityByName, valueObjectByName)),
    valueObjects: domain.valueObjects.map(valueObjectView),
  };
}

function entityView(entity: Entity, entityByName: Map<string, Entity>, valueObjectByName: Map<string, ValueObject>): EntityView {
  const className = entity.names.pascal;
  const sample = invariantSample(entity, valueObjectByName);
  const usableSample = sample && sampleSatisfiesInvariants(entity, sample) ? sample : undefined;
  const relationSamples = entity.relations
    .filter((r) => r.column !== undefined)
    .map((r) => `${r.names.camel}Id: ${entityByName.get(r.target)?.identity === 'serial' ? '1' : "'3fa85f64-5717-4562-b3fc-2c963f66afa6'"}`);
  const enums = entity.fields.filter((f) => f.type === 'enum').map((f) => enumView(className, f));
  const properties: PropertyView[] = [
    entity.identity === 'serial'
      ? { name: 'id', type: 'number | null', doc: 'Identity, assigned by the database when the entity is first stored (null until then).' }
      : { name: 'id', type: 'string', doc: 'Identity, assigned on creation.' },
    ...entity.fields.map((f) => propertyOf(className, f)),
    ...entity.relations
      .filter((r) => r.column !== undefined)
      .map((r) => {
        const target = entityByName.get(r.target);
        return { name: `${r.names.camel}Id`, type: `${target ? idType(target) : 'string'}${r.required ? '' : ' | null'}`, doc: `The ${r.target} this ${className} belongs to (${r.kind}).` };
      }),
    ...(entity.versioned ? [{ name: 'version', type: 'number', doc: 'Incremented on every change; a stale version means a concurrent update (optimistic locking).' }] : []),
    ...(entity.timestamps ? [{ name: 'createdAt', type: 'Date', doc: '' }, { name: 'updatedAt', type: 'Date', doc: '' }] : []),
    ...(entity.softDelete ? [{ name: 'deletedAt', type: 'Date | null', doc: 'Set when the entity is deleted; deleted entities are hidden from queries.' }] : []),
  ];
  const optionalFields = new Set(entity.fields.filter((f) => !f.required).map((f) => f.names.camel));
  const machine = entity.stateMachine;
  const managed = ['id', ...(entity.versioned ? ['version'] : []), ...(entity.timestamps ? ['createdAt', 'updatedAt'] : []), ...(entity.softDelete ? ['deletedAt'] : [])];
  const defaults = entity.fields.filter((f) => f.default !== undefined).map((f) => ({ name: f.names.camel, literal: JSON.stringify(f.default) }));
  const union = (keys: string[]) => keys.map((k) => `'${k}'`).join(' | ');
  const propsType = `${className}Props`;
  const assigned = [
    `id: ${entity.identity === 'serial' ? 'null' : 'id'}`,
    ...(entity.versioned ? ['version: 1'] : []),
    ...(entity.timestamps ? ['createdAt: now', 'updatedAt: now'] : []),
    ...(entity.softDelete ? ['deletedAt: null'] : []),
  ];
  const stateEnum = machine && enums.find((e) => e.typeName === `${className}${pascalCase(machine.field)}`);
  return {
    fileStem: kebabCase(entity.names.original, 'entity'),
    className,
    withArticle: `${/^[AEIOU]/.test(className) ? 'an' : 'a'} ${className}`,
    baseClass: `${className}Base`,
    propsType: `${className}Props`,
    newType: `New${className}`,
    doc: commentText(entity.description || `The ${className} entity.`),
    idType: idType(entity),
    properties,
    managed,
    defaults,
    checks: [
      ...entity.fields.flatMap((f) => fieldChecks(f, className)),
      ...entity.invariants.filter((i) => !i.violation).map((i) => invariantCheck(i, optionalFields)),
    ],
    ruleChecks: entity.invariants.flatMap((i) => {
      if (!i.violation) return [];
      const check = invariantCheck(i, optionalFields);
      return [{ condition: check.condition, message: check.message, code: stringLiteral(i.violation.code), errorClass: ruleErrorClass(i.violation.status) }];
    }),
    ruleErrorClasses: [...new Set([...entity.invariants.flatMap((i) => (i.violation ? [ruleErrorClass(i.violation.status)] : [])), ...(entity.changeRefusals.length > 0 ? ['RuleConflictError'] : [])])].sort(),
    changeRefusals: entity.changeRefusals.map((refusal) => {
      const condition = toTypeScript(refusal.when.expression, (field) => `this.props.${field}`);
      const mentionsNull = /\bnull\b/.test(refusal.when.source);
      const guards = mentionsNull ? [] : [...fieldsOf(refusal.when.expression)].filter((f) => optionalFields.has(f)).map((f) => `this.props.${f} !== null`);
      return {
        condition: [...guards, condition].join(' && '),
        text: commentText(refusal.when.source),
        message: stringLiteral(refusal.message),
        code: stringLiteral(refusal.code),
        only: refusal.refuses.length === 1 ? refusal.refuses[0] : undefined,
      };
    }),
    refusesUpdate: changeRefusalsOf(entity, 'update').length > 0,
    refusalsByAction: entity.changeRefusals.some((refusal) => refusal.refuses.length === 1),
    checksDeletes: machine?.deletableIn !== undefined || changeRefusalsOf(entity, 'delete').length > 0,
    deleteCheckDoc: [
      ...(machine?.deletableIn ? ['in a state the model does not allow it in (an InvalidStateError)'] : []),
      ...(changeRefusalsOf(entity, 'delete').length > 0 ? ["while a condition of the model's changesRefusedWhile holds (a RuleConflictError with its code)"] : []),
    ].join(' or '),
    methods: entity.methods.map((method) => methodView(entity, method)),
    enums,
    stateMachine: machine && {
      field: machine.field,
      typeName: stateEnum?.typeName ?? 'string',
      initial: stringLiteral(machine.initial),
      transitionsConst: enumConstName(`${className}Transitions`).replace(/_VALUES$/, ''),
      guards: (['update', 'delete'] as const).flatMap((action) => {
        const states = action === 'update' ? machine.updatableIn : machine.deletableIn;
        if (!states) return [];
        const constName = enumConstName(`${className}${action === 'update' ? 'Updatable' : 'Deletable'}In`).replace(/_VALUES$/, '');
        return [{ verb: action === 'update' ? ('changed' as const) : ('deleted' as const), constName, states: `[${states.map(stringLiteral).join(', ')}]`, text: commentText(states.join(' or ')) }];
      }),
      updateGuard: machine.updatableIn && enumConstName(`${className}UpdatableIn`).replace(/_VALUES$/, ''),
      deleteGuard: machine.deletableIn && enumConstName(`${className}DeletableIn`).replace(/_VALUES$/, ''),
      transitionType: `${className}Transition`,
      transitions: machine.transitions.map((t) => ({
        method: t.names.camel,
        from: `[${t.from.map(stringLiteral).join(', ')}]`,
        fromText: commentText(t.from.join(' or ')),
        to: stringLiteral(t.to),
        toText: commentText(t.to),
        event: t.event === undefined ? undefined : stringLiteral(t.event),
        stamp: entity.fields.some((f) => f.type === 'datetime' && f.names.camel === `${camelCase(t.to)}At`) ? `${camelCase(t.to)}At: new Date(), ` : '',
      })),
    },
    // A value relative to the caller has no getter: the response mappers compute it with the request's caller.
    computed: entity.computed.filter((c) => !c.readsCaller).map((c) => ({
      name: c.names.camel,
      type: c.type === 'boolean' ? 'boolean' : 'number',
      expression: toTypeScript(c.expression, (field) => `this.props.${field}`),
      doc: commentText(c.description || `${c.names.camel} = ${c.source}`),
    })),
    changesType: `${className}Changes`,
    changesExpression: `Partial<Omit<${propsType}, ${union([...managed, ...(machine ? [machine.field] : [])])}>>`,
    valueObjectImports: [...new Set(entity.fields.flatMap((f) => (typeof f.type === 'object' ? [f.type.valueObject] : [])))].map((name) => ({
      className: pascalCase(name),
      fileStem: kebabCase(name, 'value'),
    })),
    creationRule: creationRuleView(entity, entityByName),
    usesConflictError: machine !== undefined,
    usesPatterns: usesPatterns(entity.fields),
    isUuid: entity.identity === 'uuid',
    hasTimestamps: entity.timestamps,
    isVersioned: entity.versioned,
    newTypeExpression:
      defaults.length === 0
        ? `Omit<${propsType}, ${union(managed)}>`
        : `Omit<${propsType}, ${union([...managed, ...defaults.map((d) => d.name)])}> & Partial<Pick<${propsType}, ${union(defaults.map((d) => d.name))}>>`,
    createDefaults: defaults.map((d) => `${d.name}: ${d.literal}, `).join(''),
    createManaged: assigned.join(', '),
    immutableUnion: union(['id', ...(entity.versioned ? ['version'] : []), ...(entity.timestamps ? ['createdAt'] : [])]),
    sampleInput: usableSample && `{ ${[...usableSample.map((f) => `${f.name}: ${f.code}`), ...relationSamples].join(', ')} }`,
    violations: usableSample ? violations(entity, usableSample).map((v) => ({ title: stringLiteral(`rejects ${v.title}`), patch: v.patch, location: stringLiteral(v.location), code: v.code && stringLiteral(v.code) })) : [],
    transitionTests: (machine?.transitions ?? []).flatMap((t) => {
      const refusedFrom = machine?.states.find((state) => !t.from.includes(state));
      return [
        ...t.from.map((from) => ({ title: stringLiteral(`${t.names.camel}: ${from} -> ${t.to}`), method: t.names.camel, from: stringLiteral(from), to: stringLiteral(t.to), event: t.event && stringLiteral(t.event), allowed: true })),
        ...(refusedFrom === undefined ? [] : [{ title: stringLiteral(`${t.names.camel}: refused from ${refusedFrom}`), method: t.names.camel, from: stringLiteral(refusedFrom), to: stringLiteral(t.to), event: undefined, allowed: false }]),
      ];
    }),
    methodTests: usableSample ? entity.methods.flatMap((method) => methodTest(entity, method, usableSample)) : [],
    guardTests: (['update', 'delete'] as const).flatMap((action) => {
      const allowed = action === 'update' ? machine?.updatableIn : machine?.deletableIn;
      if (!machine || !allowed) return [];
      const refused = machine.states.find((state) => !allowed.includes(state));
      const call = action === 'update' ? 'update({})' : 'assertDeletable()';
      const verb = action === 'update' ? 'changes' : 'deletes';
      const first = allowed[0] as string;
      return [
        { title: stringLiteral(`${verb} ${article(className)} that is ${first}`), from: stringLiteral(first), call, allowed: true },
        ...(refused === undefined ? [] : [{ title: stringLiteral(`refuses to ${action} ${article(className)} that is ${refused}`), from: stringLiteral(refused), call, allowed: false }]),
      ];
    }),
    refusalTests: usableSample ? entity.changeRefusals.flatMap((refusal) => refusalTests(entity, refusal, usableSample)) : [],
  };
}

/**
 * A state of the sample in which a refusal holds (its actions are refused with its code) and one in
 * which it does not (they are allowed), found by trying the values its condition names on the fields
 * it reads; none when no such pair keeps the entity valid.
 */
function refusalTests(entity: Entity, refusal: ChangeRefusal, sample: SampleField[]): EntityView['refusalTests'] {
  const states = refusalStates(entity, refusal, sample);
  if (!states) return [];
  const { refused, allowed } = states;
  const literal = (state: Record<string, unknown>) => Object.entries(state).map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(', ');
  const calls = [...(refusal.refuses.includes('update') ? ['update({})'] : []), ...(refusal.refuses.includes('delete') ? ['assertDeletable()'] : [])];
  const what = refusal.refuses.join(' and ');
  return [
    { title: stringLiteral(`refuses ${what} of ${article(entity.names.pascal)} while ${refusal.when.source} (${refusal.code})`), state: literal(refused), calls, code: stringLiteral(refusal.code) },
    { title: stringLiteral(`allows ${what} of ${article(entity.names.pascal)} while not ${refusal.when.source}`), state: literal(allowed), calls, code: undefined },
  ];
}

/**
 * Field values (by property) that, set on the sample, make a refusal's condition hold (`refused`) and not
 * hold (`allowed`), trying the values its condition names on the fields it reads; undefined when no such
 * pair keeps the entity valid.
 */
export function refusalStates(entity: Entity, refusal: ChangeRefusal, sample: SampleField[]): { refused: Record<string, unknown>; allowed: Record<string, unknown> } | undefined {
  const base: Record<string, unknown> = Object.fromEntries(sample.map((f) => [f.name, f.value]));
  const read = [...fieldsOf(refusal.when.expression)].flatMap((name) => entity.fields.filter((f) => f.names.original === name && typeof f.type === 'string'));
  const literals = literalsOf(refusal.when.expression);
  const candidates = (field: Field): unknown[] => {
    if (field.type === 'boolean') return [true, false];
    if (field.type === 'enum') return field.values;
    const typed = literals.filter((v) => (field.type === 'integer' || field.type === 'number' ? typeof v === 'number' : typeof v === 'string'));
    return [...typed, ...typed.flatMap((v) => (typeof v === 'number' ? [v + 1, v - 1] : [])), ...(field.required ? [] : [null])];
  };
  const states: Record<string, unknown>[] = [{}];
  for (const field of read) for (const value of candidates(field)) states.push({ [field.names.camel]: value });
  const valid = (state: Record<string, unknown>) => entity.invariants.every((i) => evaluate(i.expression, { ...base, ...state }) !== false);
  const holds = (state: Record<string, unknown>) => evaluate(refusal.when.expression, { ...base, ...state }) === true;
  const refused = states.find((state) => valid(state) && holds(state));
  const allowed = states.find((state) => valid(state) && !holds(state));
  return refused && allowed ? { refused, allowed } : undefined;
}

/** The literal values an expression compares with. */
function literalsOf(expression: Expression): unknown[] {
  switch (expression.kind) {
    case 'literal':
      return [expression.value];
    case 'binary':
      return [...literalsOf(expression.left), ...literalsOf(expression.right)];
    case 'unary':
      return literalsOf(expression.operand);
    case 'list':
      return expression.items.flatMap(literalsOf);
    default:
      return [];
  }
}

/** A method applied to a state its rules allow before and after (found by trying roomy amounts), with the fields it leaves. */
function methodTest(entity: Entity, method: EntityMethod, sample: SampleField[]): EntityView['methodTests'] {
  const args = Object.fromEntries(method.parameters.map((p) => [p.names.original, { integer: 1, number: 1, string: 'sample', boolean: true }[p.type]]));
  const base = Object.fromEntries(sample.map((f) => [entity.fields.find((field) => field.names.camel === f.name)?.names.original ?? f.name, f.value]));
  const change = (state: Record<string, unknown>) => method.assignments.map((a) => [a.property, evaluate(a.expression, { ...base, ...state, ...args })] as const);
  const state = roomyValues(entity, (numbers) => change(Object.fromEntries(Object.entries(numbers).map(([camel, value]) => [entity.fields.find((f) => f.names.camel === camel)?.names.original ?? camel, value]))));
  if (!state) return [];
  const before = { ...base, ...Object.fromEntries(Object.entries(state).map(([camel, value]) => [entity.fields.find((f) => f.names.camel === camel)?.names.original ?? camel, value])) };
  const after = change(before);
  // A field stamped with the time of the change (`now`) is expected to hold a date.
  const stamped = new Set(method.assignments.filter((a) => a.expression.kind === 'field' && a.expression.name === 'now' && !entity.fields.some((f) => f.names.original === 'now')).map((a) => a.property));
  const text = (entries: readonly (readonly [string, unknown])[], stamp: string) => entries.map(([name, value]) => `${name}: ${stamped.has(name) ? stamp : JSON.stringify(value)}`).join(', ');
  const from = Object.entries(state).length > 0 ? ` from ${text(Object.entries(state), '')}` : '';
  return [
    {
      title: stringLiteral(`${method.names.camel}(${Object.values(args).map((v) => JSON.stringify(v)).join(', ')})${from} leaves ${text(after, 'the time of the change')}`),
      method: method.names.camel,
      state: text(Object.entries(state), ''),
      args: method.parameters.map((p) => JSON.stringify(args[p.names.original])).join(', '),
      expected: text(after, 'expect.any(Date)'),
    },
  ];
}

/** The error class of a rule broken with the design's code: 409 when the state forbids it, else 422. */
export function ruleErrorClass(status: 409 | 422): string {
  return status === 409 ? 'RuleConflictError' : 'RuleViolationError';
}

function methodView(entity: Entity, method: EntityMethod): EntityView['methods'][number] {
  const parameters = new Map(method.parameters.map((p) => [p.names.original, p.names.camel]));
  const access = (name: string): string => {
    const parameter = parameters.get(name);
    if (parameter !== undefined) return parameter;
    const computed = entity.computed.find((c) => c.names.original === name);
    if (computed) return `this.${computed.names.camel}`;
    const relation = entity.relations.find((r) => r.names.original === name && r.column !== undefined);
    const field = entity.fields.find((f) => f.names.original === name);
    // `revokedAt: now` stamps the time of the change (the model allows `now` alone, for a datetime field).
    if (name === 'now' && !field) return 'new Date()';
    return `this.props.${relation ? `${relation.names.camel}Id` : (field?.names.camel ?? name)}`;
  };
  const assignments = method.assignments.map((a) => `${a.property}: ${toTypeScript(a.expression, access)}`);
  const summary = method.assignments.map((a) => `${a.property} = ${a.source}`).join(', ');
  return {
    name: method.names.camel,
    parameters: method.parameters.map((p) => `${p.names.camel}: ${p.type === 'integer' ? 'number' : p.type}`).join(', '),
    doc: commentText(`${method.description ? `${method.description.replace(/\.?\s*$/, '.')} ` : ''}Sets ${summary}; the rules are checked again.`),
    patch: `{ ${assignments.join(', ')} }`,
  };
}

function article(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function valueObjectView(valueObject: ValueObject): ValueObjectView {
  const className = valueObject.names.pascal;
  const optionalFields = new Set(valueObject.fields.filter((f) => !f.required).map((f) => f.names.camel));
  return {
    fileStem: kebabCase(valueObject.names.original, 'value'),
    className,
    propsType: `${className}Props`,
    doc: commentText(valueObject.description || `The ${className} value object.`),
    properties: valueObject.fields.map((f) => propertyOf(className, f)),
    checks: [...valueObject.fields.flatMap((f) => fieldChecks(f, className)), ...valueObject.invariants.map((i) => invariantCheck(i, optionalFields))],
    enums: valueObject.fields.filter((f) => f.type === 'enum').map((f) => enumView(className, f)),
    equalsExpression: valueObject.fields.map((f) => `this.props.${f.names.camel} === other.props.${f.names.camel}`).join(' && '),
    usesPatterns: usesPatterns(valueObject.fields),
  };
}

function usesPatterns(fields: readonly Field[]): boolean {
  return fields.some((f) => f.constraints.pattern !== undefined);
}

function idType(entity: Entity): string {
  return entity.identity === 'serial' ? 'number' : 'string';
}

function enumView(owner: string, field: Field): EnumView {
  const typeName = `${owner}${pascalCase(field.names.original)}`;
  return { typeName, constName: enumConstName(typeName), values: `[${field.values.map(stringLiteral).join(', ')}]` };
}

function enumConstName(typeName: string): string {
  return `${typeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_VALUES`;
}

const SCALAR_TYPES: Record<string, string> = {
  string: 'string',
  text: 'string',
  uuid: 'string',
  integer: 'number',
  number: 'number',
  bigint: 'bigint',
  decimal: 'string',
  boolean: 'boolean',
  date: 'string',
  datetime: 'Date',
  json: 'unknown',
};

function propertyOf(owner: string, field: Field): PropertyView {
  let type: string;
  if (typeof field.type === 'object') type = pascalCase(field.type.valueObject);
  else if (field.type === 'enum') type = `${owner}${pascalCase(field.names.original)}`;
  else type = SCALAR_TYPES[field.type] ?? 'unknown';
  const nullable = !field.required && type !== 'unknown';
  return { name: field.names.camel, type: nullable ? `${type} | null` : type, doc: commentText(field.description) };
}

/** The field's own constraints, checked on every construction and change (data may come from anywhere). */
function fieldChecks(field: Field, owner: string): CheckView[] {
  const name = field.names.camel;
  const value = `this.props.${name}`;
  const guard = (condition: string) => (field.required ? condition : `${value} === null || ${condition}`);
  const checks: CheckView[] = [];
  const add = (condition: string, message: string) => checks.push({ condition: guard(condition), location: stringLiteral(name), message: stringLiteral(message) });
  const c = field.constraints;
  if (c.min !== undefined) add(`${value} >= ${c.min}`, `must be at least ${c.min}`);
  if (c.max !== undefined) add(`${value} <= ${c.max}`, `must be at most ${c.max}`);
  if (c.minLength !== undefined) add(`${value}.length >= ${c.minLength}`, `must have at least ${c.minLength} characters`);
  if (c.maxLength !== undefined) add(`${value}.length <= ${c.maxLength}`, `must have at most ${c.maxLength} characters`);
  // Through the project's pattern engine: a pattern that backtracks super-linearly runs in linear time.
  if (c.pattern !== undefined) add(`compilePattern(${stringLiteral(c.pattern)}, ${stringLiteral(compilePattern(c.pattern)?.flags ?? '')}).test(${value})`, `must match ${c.pattern}`);
  if (field.type === 'integer') add(`Number.isInteger(${value})`, 'must be an integer');
  if (field.type === 'enum') {
    add(`(${enumConstName(`${owner}${pascalCase(field.names.original)}`)} as readonly string[]).includes(${value})`, `must be one of ${field.values.join(', ')}`);
  }
  return checks;
}

/**
 * An invariant compiled from its parsed expression. When it does not mention `null` itself, it holds
 * vacuously while an optional field it reads is empty (which also lets the compiler narrow the types).
 */
function invariantCheck(invariant: Invariant, optionalFields: Set<string>): CheckView {
  const condition = toTypeScript(invariant.expression, (field) => `this.props.${field}`);
  const mentionsNull = /\bnull\b/.test(invariant.source);
  const guards = mentionsNull ? [] : [...fieldsOf(invariant.expression)].filter((f) => optionalFields.has(f)).map((f) => `this.props.${f} === null`);
  return {
    condition: [...guards, condition].join(' || '),
    location: stringLiteral(invariant.name),
    message: stringLiteral(invariant.message),
  };
}
