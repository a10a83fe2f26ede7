/**
 * What a generated API test stores before it creates an entity, so that the model's checks and
 * reactions let the create through: the values a parent must have (`product.active`, an order whose
 * total the payment equals) and the records a reaction acts on (the product's inventory, with stock to
 * reserve). Solved at generation time by evaluating the parsed rules over the request the test sends;
 * a rule these simple solutions do not cover leaves the test as it was (it then fails and shows it).
 */
import { evaluate, fieldsOf, type Expression } from '../../model/domain/expression.js';
import type { DomainModel, Entity, Field } from '../../model/domain/types.js';
import { patternTester } from '../../model/pattern.js';
import { fitLength, STRING_CANDIDATES } from '../domain-samples.js';
import { repositoryProperty } from '../persistence-view.js';
import type { Code } from '../request-values.js';
import { describeReaction } from './domain-rules.js';

/** The request as the test sends it, by entity field (the shape api-tests.ts builds). */
export interface SentValues {
  fields: Map<string, Code>;
  children: Map<string, { sent: SentValues }>;
}

export interface CreateSetup {
  /** Parent variable -> `property: value` entries for its sample. */
  overrides: Map<string, string[]>;
  /** Records to store once the parents exist: `sampleInventoryItem(api.repositories, { productId: product.id, onHand: 100 })`. */
  companions: Companion[];
  /** Per check part solved through a parent: the parent's value that breaks it, for a test that the check refuses. */
  breaks: { parent: string; property: string; entry: string; check: string; code: string; status: 409 | 422 }[];
}

/** A record a reaction acts on, stored for the test, and what the reaction leaves in it. */
export interface Companion {
  parent: string;
  sample: string;
  entries: string[];
  /** How the test finds it again: its repository and its reference to the parent. */
  repository: string;
  reference: string;
  /** The fields the reaction changes, as they are after it (`reserved: 1`). */
  expected: string[];
  /** The reaction, as the report describes it. */
  description: string;
}

export function createSetup(domain: DomainModel | undefined, root: Entity, sent: SentValues): CreateSetup {
  const setup: CreateSetup = { overrides: new Map(), companions: [], breaks: [] };
  if (!domain) return setup;
  const entities = new Map(domain.entities.map((e) => [e.names.original, e]));
  const solve = (entity: Entity, values: SentValues, rootValues: SentValues | undefined) => {
    for (const check of entity.checks) {
      const assign = (parent: string, field: Field, value: unknown, allowed?: readonly unknown[]) => {
        if (value === undefined || (typeof value === 'object' && value !== null)) return;
        const entries = setup.overrides.get(parent) ?? [];
        if (entries.some((e) => e.startsWith(`${field.names.camel}:`))) return;
        entries.push(`${field.names.camel}: ${JSON.stringify(value)}`);
        setup.overrides.set(parent, entries);
        const broken = otherValue(field, allowed ?? [value]);
        if (broken !== undefined) setup.breaks.push({ parent, property: field.names.camel, entry: `${field.names.camel}: ${JSON.stringify(broken)}`, check: check.name, code: check.code, status: check.status });
      };
      for (const part of conjuncts(check.expression)) solvePart(part, entity, values, rootValues, entities, assign);
    }
  };
  solve(root, sent, undefined);
  for (const [relationName, child] of sent.children) {
    const relation = root.relations.find((r) => r.names.camel === relationName || r.names.original === relationName);
    const childEntity = relation && entities.get(relation.target);
    if (childEntity) solve(childEntity, child.sent, sent);
  }
  for (const reaction of domain.reactions) {
    const action = reaction.action;
    if (reaction.trigger.entity !== root.names.original || reaction.trigger.on !== 'created' || action.kind !== 'call') continue;
    const subject = reaction.forEach ? childSent(sent, reaction.forEach.relation) : sent;
    const subjectEntity = entities.get(reaction.forEach?.entity ?? root.names.original);
    const [toParent, toTarget, ...rest] = action.hops;
    if (!subject || !subjectEntity || rest.length > 0 || toParent?.kind !== 'many-to-one' || toTarget?.kind !== 'one-to-many' || !toTarget.unique) continue;
    const parent = referencedParent(subject, toParent.property);
    const target = entities.get(toTarget.to);
    const method = target?.methods.find((m) => m.names.original === action.member);
    if (!parent || !target || !method) continue;
    const args = Object.fromEntries(action.arguments.map((a) => [a.parameter, evaluate(a.expression, valuesOf(subject, subjectEntity))]));
    const change = (state: Record<string, unknown>) => method.assignments.map((a) => [a.property, evaluate(a.expression, { ...state, ...args })] as const);
    const values = roomyValues(target, change);
    if (!values) continue;
    const before = Object.fromEntries(target.fields.map((f) => [f.names.original, values[f.names.camel]]));
    setup.companions.push({
      parent,
      sample: `sample${target.names.pascal}`,
      entries: [`${toTarget.reference}: ${parent}.id`, ...Object.entries(values).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)],
      repository: repositoryProperty(target),
      reference: toTarget.reference,
      expected: change(before).map(([property, value]) => `${property}: ${JSON.stringify(value)}`),
      description: describeReaction(reaction),
    });
  }
  return setup;
}

function childSent(sent: SentValues, relation: string): SentValues | undefined {
  for (const [name, child] of sent.children) if (name === relation) return child.sent;
  return undefined;
}

/** The parent variable a reference field of the request names (`productId` -> `product`). */
function referencedParent(sent: SentValues, property: string): string | undefined {
  const code = sent.fields.get(property);
  return code?.kind === 'reference' ? code.parent : undefined;
}

/** The values the request gives an entity's fields, as the rules see them. */
function valuesOf(sent: SentValues, entity: Entity): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of entity.fields) {
    const code = sent.fields.get(field.names.camel);
    if (code?.kind === 'literal') values[field.names.original] = code.value;
    else if (code?.kind === 'expression') values[field.names.original] = code.sample;
  }
  return values;
}

function conjuncts(expression: Expression): Expression[] {
  return expression.kind === 'binary' && expression.operator === 'and' ? [...conjuncts(expression.left), ...conjuncts(expression.right)] : [expression];
}

/** One part of a check: a parent's boolean field, or a parent's field equal to something the request decides. */
function solvePart(
  part: Expression,
  entity: Entity,
  sent: SentValues,
  rootSent: SentValues | undefined,
  entities: ReadonlyMap<string, Entity>,
  assign: (parent: string, field: Field, value: unknown, allowed?: readonly unknown[]) => void,
): void {
  /** A relation path to a sampled parent: its variable and field. */
  const parentField = (e: Expression): { parent: string; field: Field } | undefined => {
    if (e.kind !== 'field' || !e.name.includes('.')) return undefined;
    const [relationName, fieldName] = e.name.split('.') as [string, string];
    const relation = entity.relations.find((r) => r.names.original === relationName && r.column !== undefined);
    const target = relation && entities.get(relation.target);
    const field = target?.fields.find((f) => f.names.original === fieldName);
    const parent = relation && referencedParent(sent, `${relation.names.camel}Id`);
    return parent && field ? { parent, field } : undefined;
  };
  /** What the request decides for a name: a literal, a field it sends, or a field of the root it is created with. */
  const valueOf = (e: Expression): unknown => {
    if (e.kind === 'literal') return e.value;
    if (e.kind !== 'field') return undefined;
    if (!e.name.includes('.')) return valuesOf(sent, entity)[e.name];
    const [relationName, fieldName] = e.name.split('.') as [string, string];
    const relation = entity.relations.find((r) => r.names.original === relationName && r.column !== undefined);
    const root = relation && entities.get(relation.target);
    if (!rootSent || !root || referencedParent(sent, `${relation.names.camel}Id`) !== undefined) return undefined;
    return valuesOf(rootSent, root)[fieldName];
  };
  const own = parentField(part);
  if (own) return assign(own.parent, own.field, true);
  if (part.kind !== 'binary') return;
  if (part.operator === '==') {
    const left = parentField(part.left);
    const right = parentField(part.right);
    if (left) assign(left.parent, left.field, valueOf(part.right));
    else if (right) assign(right.parent, right.field, valueOf(part.left));
  } else if (part.operator === 'in' && part.right.kind === 'list') {
    const left = parentField(part.left);
    const values = part.right.items.flatMap((item) => (item.kind === 'literal' ? [item.value] : []));
    if (left && values.length > 0) assign(left.parent, left.field, values[0], values);
  }
}

/** A value of the field its own constraints allow that is none of `excluded` (to break a check), if one is found. */
function otherValue(field: Field, excluded: readonly unknown[]): unknown {
  const c = field.constraints;
  const fits = (value: unknown) => !excluded.includes(value);
  switch (field.type) {
    case 'boolean':
      return [true, false].find(fits);
    case 'enum':
      return field.values.find(fits);
    case 'integer':
    case 'number': {
      const candidates = [...excluded.filter((v): v is number => typeof v === 'number').map((v) => v + 1), c.min ?? 0, (c.min ?? 0) + 1];
      return candidates.find((v) => fits(v) && (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max));
    }
    case 'string':
    case 'text':
      return STRING_CANDIDATES.map((word) => fitLength(word, c.minLength, c.maxLength)).find((word) => fits(word) && (c.pattern === undefined || patternTester(c.pattern)?.test(word) === true));
    default:
      return undefined;
  }
}

/**
 * Values of the target's numeric fields under which its rules hold before and after the reaction's
 * change: its defaults first, then roomier amounts (stock to reserve). Undefined when none is found.
 */
export function roomyValues(target: Entity, change: (state: Record<string, unknown>) => (readonly [string, unknown])[]): Record<string, number> | undefined {
  const numeric = target.fields.filter((f) => (f.type === 'integer' || f.type === 'number') && f.required).slice(0, 3);
  const candidates = numeric.map((f) => [...new Set([typeof f.default === 'number' ? f.default : (f.constraints.min ?? 0), 100, 10, 1])]);
  const holds = (state: Record<string, unknown>) =>
    numeric.every((f) => {
      const value = state[f.names.original] as number;
      return (f.constraints.min === undefined || value >= f.constraints.min) && (f.constraints.max === undefined || value <= f.constraints.max);
    }) && target.invariants.every((i) => evaluate(i.expression, state) === true);
  const combine = (index: number, state: Record<string, number>): Record<string, number> | undefined => {
    if (index === numeric.length) {
      const after = { ...state, ...Object.fromEntries(change(state).map(([property, value]) => [target.fields.find((f) => f.names.camel === property)?.names.original ?? property, value])) };
      return holds(state) && holds(after) ? state : undefined;
    }
    const field = numeric[index] as (typeof numeric)[number];
    for (const value of candidates[index] ?? []) {
      const found = combine(index + 1, { ...state, [field.names.original]: value });
      if (found) return found;
    }
    return undefined;
  };
  const found = combine(0, {});
  if (!found) return undefined;
  return Object.fromEntries(numeric.map((f) => [f.names.camel, found[f.names.original] as number]));
}

/**
 * Values of a record under which `condition` holds and its own rules too (a delete refusal's `where`:
 * an order `status in ['pending', ...]`, stock `reserved > 0`): the literals the condition compares its
 * fields with, then its numeric fields tried at small and roomy amounts. Undefined when none is found.
 */
export function holdingValues(target: Entity, condition: Expression | undefined): Record<string, unknown> | undefined {
  const fixed: Record<string, unknown> = {};
  for (const part of condition ? conjuncts(condition) : []) {
    if (part.kind !== 'binary' || part.left.kind !== 'field' || part.left.name.includes('.')) continue;
    if (part.operator === '==' && part.right.kind === 'literal') fixed[part.left.name] = part.right.value;
    if (part.operator === 'in' && part.right.kind === 'list' && part.right.items[0]?.kind === 'literal') fixed[part.left.name] = part.right.items[0].value;
  }
  // The numbers the condition reads, and those its invariants tie to them (`reserved <= onHand`).
  const named = new Set(condition ? fieldsOf(condition) : []);
  for (const invariant of target.invariants) {
    const fields = fieldsOf(invariant.expression);
    if ([...fields].some((name) => named.has(name))) for (const name of fields) named.add(name);
  }
  const numeric = target.fields.filter((f) => (f.type === 'integer' || f.type === 'number') && named.has(f.names.original) && !(f.names.original in fixed)).slice(0, 3);
  const candidates = numeric.map((f) => [...new Set([typeof f.default === 'number' ? f.default : (f.constraints.min ?? 0), 1, 10, 100])]);
  const holds = (state: Record<string, unknown>) =>
    (condition === undefined || evaluate(condition, state) === true) && target.invariants.every((i) => fieldsOf(i.expression).size === 0 || [...fieldsOf(i.expression)].some((name) => !(name in state)) || evaluate(i.expression, state) === true);
  const combine = (index: number, state: Record<string, unknown>): Record<string, unknown> | undefined => {
    if (index === numeric.length) return holds(state) ? state : undefined;
    const field = numeric[index] as (typeof numeric)[number];
    for (const value of candidates[index] ?? []) {
      const found = combine(index + 1, { ...state, [field.names.original]: value });
      if (found) return found;
    }
    return undefined;
  };
  const found = combine(0, fixed);
  if (!found) return undefined;
  return Object.fromEntries(Object.entries(found).map(([name, value]) => [target.fields.find((f) => f.names.original === name)?.names.camel ?? name, value]));
}
