/**
 * The model's effects (docs/domain-model.md, "Effects"): entity methods (`reserve(quantity)`), checks
 * across relations on creation, and reactions that change other aggregates in the unit of work of the
 * change that triggers them. Each is checked here against the entities (every name resolves, every
 * expression parses and reads only what it may), so the plan compiles them without guessing.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { CheckDocument, MethodDocument, ReactionDocument } from '../../load/domain-model-types.js';
import { names } from '../naming.js';
import { ExpressionError, fieldsOf, parseExpression, readsCaller, type Expression } from './expression.js';
import { resolvePath } from './policies.js';
import type { CrossCheck, Entity, EntityMethod, PolicyRule, Reaction, ReactionTrigger, RelationHop } from './types.js';

export type Report = (message: string, path: (string | number)[]) => void;

/** Parses an expression of the model, or reports why it cannot be parsed. */
export function parsed(source: string, what: string, path: (string | number)[], report: Report): Expression | undefined {
  try {
    const expression = parseExpression(source);
    if (readsCaller(expression)) {
      report(`${what} reads the caller (auth, hasRole()); effects happen for every caller alike, and who may act is a policy`, path);
      return undefined;
    }
    return expression;
  } catch (cause) {
    if (!(cause instanceof ExpressionError)) throw cause;
    report(`${what}: ${cause.message} at column ${cause.offset + 1} of "${source}"`, path);
    return undefined;
  }
}

/** The names an expression over an entity's own row may read: fields, computed values, id, references, timestamps. */
export function rowNames(entity: Entity): Set<string> {
  return new Set([
    'id',
    ...entity.fields.map((f) => f.names.original),
    // A value relative to the caller (computed per response) is nothing an effect can read.
    ...entity.computed.filter((c) => !c.readsCaller).map((c) => c.names.original),
    ...entity.relations.filter((r) => r.column !== undefined).map((r) => r.names.original),
    ...(entity.timestamps ? ['createdAt', 'updatedAt'] : []),
  ]);
}

/** Reports the names of an expression outside `known`; true when there are none. */
export function namesKnown(expression: Expression, known: ReadonlySet<string>, what: string, path: (string | number)[], report: Report): boolean {
  const unknown = [...fieldsOf(expression)].filter((name) => !known.has(name));
  for (const name of unknown) report(`${what} names "${name}", which is not known there${didYouMean(name, known)}`, path);
  return unknown.length === 0;
}

/** Checks and attaches every entity's `methods`. */
export function attachMethods(entities: Entity[], documents: Readonly<Record<string, { methods?: Record<string, MethodDocument> }>>, report: Report): void {
  for (const entity of entities) {
    const declared = documents[entity.names.original]?.methods ?? {};
    entity.methods = Object.entries(declared).flatMap(([name, method]): EntityMethod[] => {
      const path = ['entities', entity.names.original, 'methods', name];
      const fields = new Set(entity.fields.map((f) => f.names.original));
      const parameters = Object.entries(method.params ?? {}).map(([parameter, type]) => ({ names: names(parameter, 'value'), type }));
      let valid = true;
      for (const parameter of parameters) {
        if (rowNames(entity).has(parameter.names.original)) {
          report(`parameter "${parameter.names.original}" of method ${name} has the name of a field of ${entity.names.original}; rename it`, [...path, 'params', parameter.names.original]);
          valid = false;
        }
      }
      const known = new Set([...rowNames(entity), ...parameters.map((p) => p.names.original)]);
      const assignments: EntityMethod['assignments'] = [];
      for (const [field, source] of Object.entries(method.set)) {
        const target = entity.fields.find((f) => f.names.original === field);
        const where = [...path, 'set', field];
        if (!target || typeof target.type !== 'string') {
          report(`method ${name} sets "${field}", which is no field of ${entity.names.original} with a scalar type${didYouMean(field, fields)}`, where);
          valid = false;
          continue;
        }
        if (entity.stateMachine?.field === field) {
          report(`method ${name} sets the state field "${field}"; the state changes only through the transitions`, where);
          valid = false;
          continue;
        }
        const expression = parsed(source, `method ${name}, "${field}"`, where, report);
        // `now` alone stamps a datetime field with the time of the change (`revokedAt: now`).
        const stamp = expression?.kind === 'field' && expression.name === 'now' && target.type === 'datetime' && !known.has('now');
        if (!expression || (!stamp && !namesKnown(expression, known, `method ${name}, "${field}"`, where, report))) {
          valid = false;
          continue;
        }
        assignments.push({ property: target.names.camel, expression, source });
      }
      return valid ? [{ names: names(name, 'method'), parameters, assignments, description: method.description ?? '' }] : [];
    });
  }
}

/** Checks and attaches every entity's `checks`: own fields, and fields of required many-to-one relations. */
export function attachChecks(entities: Entity[], documents: Readonly<Record<string, { checks?: CheckDocument[] }>>, report: Report): void {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  for (const entity of entities) {
    entity.checks = (documents[entity.names.original]?.checks ?? []).flatMap((check, index): CrossCheck[] => {
      const path = ['entities', entity.names.original, 'checks', index, 'check'];
      const what = `check "${check.name}" of ${entity.names.original}`;
      const expression = parsed(check.check, what, path, report);
      if (!expression) return [];
      const relations: string[] = [];
      let valid = true;
      for (const name of fieldsOf(expression)) {
        if (!name.includes('.') && entity.computed.some((c) => c.names.original === name && !c.readsCaller)) continue;
        const resolved = resolvePath(name, entity, byName);
        if (typeof resolved === 'string') {
          report(`${what}: ${resolved}`, path);
          valid = false;
          continue;
        }
        if (resolved.hops.length > 1) {
          report(`${what}: "${name}" follows more than one relation; a check reads the entities the new row refers to directly`, path);
          valid = false;
          continue;
        }
        const hop = resolved.hops[0];
        if (!hop) continue;
        if (!hop.relation.required) {
          report(`${what}: "${name}" follows the optional relation "${hop.relation.names.original}", which a new row may not have`, path);
          valid = false;
          continue;
        }
        if (!relations.includes(hop.relation.names.original)) relations.push(hop.relation.names.original);
      }
      if (!valid) return [];
      return [{ name: check.name, expression, source: check.check, relations, code: check.code, status: check.status ?? 422, message: check.message ?? `${check.name}: ${check.check} must hold` }];
    });
  }
}

/**
 * Checks the model's `reactions` and resolves each: its trigger, the records it runs over, the path to
 * what it acts on, and the method, transition or creation it performs. A chain of reactions that would
 * trigger itself is reported (it would never end).
 */
export function buildReactions(entities: Entity[], documents: readonly ReactionDocument[], report: Report): Reaction[] {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  const reactions = documents.flatMap((document, index): Reaction[] => {
    // A call of an external service runs after the change commits: src/model/domain/gateways.ts.
    if (document.gateway !== undefined) return [];
    const path = ['reactions', index];
    const trigger = resolveTrigger(document.on, entities);
    if (typeof trigger === 'string') {
      report(trigger, [...path, 'on']);
      return [];
    }
    const source = byName.get(trigger.entity) as Entity;
    let when: PolicyRule | undefined;
    if (document.when !== undefined) {
      if (trigger.on !== 'updated') {
        report(`"when" says which updates of ${source.names.original} a reaction follows; the reaction to ${document.on} has no update`, [...path, 'when']);
        return [];
      }
      const expression = parsed(document.when, `"when" of the reaction to ${document.on}`, [...path, 'when'], report);
      const own = new Set([...rowNames(source)].filter((name) => !source.computed.some((c) => c.names.original === name)));
      if (!expression || !namesKnown(expression, own, `"when" of the reaction to ${document.on}`, [...path, 'when'], report)) return [];
      when = { expression, source: document.when };
    }
    let forEach: Reaction['forEach'];
    let subject = source;
    if (document.forEach !== undefined) {
      const hop = oneToMany(source, document.forEach, byName);
      if (typeof hop === 'string') {
        report(hop, [...path, 'forEach']);
        return [];
      }
      subject = byName.get(hop.to) as Entity;
      let where: PolicyRule | undefined;
      if (document.where !== undefined) {
        const expression = parsed(document.where, `"where" of the reaction to ${document.on}`, [...path, 'where'], report);
        if (!expression || !namesKnown(expression, rowNames(subject), `"where" of the reaction to ${document.on}`, [...path, 'where'], report)) return [];
        where = { expression, source: document.where };
      }
      forEach = { relation: hop.relation, entity: hop.to, reference: hop.reference, where };
    } else if (document.where !== undefined) {
      report('"where" chooses among the records of "forEach"; this reaction has none', [...path, 'where']);
      return [];
    }
    const known = rowNames(subject);
    const values = (record: Record<string, string | number | boolean> | undefined, key: string): { name: string; expression: Expression; source: string }[] | undefined => {
      const result: { name: string; expression: Expression; source: string }[] = [];
      for (const [name, value] of Object.entries(record ?? {})) {
        const text = String(value);
        const where = [...path, key, name];
        const expression = parsed(text, `"${name}" of the reaction to ${document.on}`, where, report);
        if (!expression || !namesKnown(expression, known, `"${name}" of the reaction to ${document.on}`, where, report)) return undefined;
        result.push({ name, expression, source: text });
      }
      return result;
    };
    if ((document.call === undefined) === (document.create === undefined)) {
      report(`a reaction either calls a method or transition ("call") or creates an entity ("create")`, path);
      return [];
    }
    if (document.create !== undefined) {
      const created = byName.get(document.create);
      if (!created) {
        report(`the reaction to ${document.on} creates "${document.create}", which is no entity${didYouMean(document.create, byName.keys())}`, [...path, 'create']);
        return [];
      }
      if (document.target !== undefined || document.with !== undefined) {
        report(`a reaction that creates takes "values", not "target" or "with"`, path);
        return [];
      }
      const given = values(document.values, 'values');
      if (!given) return [];
      const resolved = createdValues(created, given, document.on, [...path, 'values'], report);
      return resolved ? [{ source: document.on, trigger, when, forEach, action: { kind: 'create', entity: created.names.original, values: resolved } }] : [];
    }
    const hops = document.target === undefined ? [] : targetHops(subject, document.target, byName);
    if (typeof hops === 'string') {
      report(hops, [...path, 'target']);
      return [];
    }
    const target = byName.get(hops.at(-1)?.to ?? subject.names.original) as Entity;
    const call = document.call as string;
    const method = target.methods.find((m) => m.names.original === call);
    const transition = target.stateMachine?.transitions.find((t) => t.names.original === call);
    if (!method && !transition) {
      const members = [...target.methods.map((m) => m.names.original), ...(target.stateMachine?.transitions.map((t) => t.names.original) ?? [])];
      report(`the reaction to ${document.on} calls "${call}", which is no method or transition of ${target.names.original}${didYouMean(call, members)}`, [...path, 'call']);
      return [];
    }
    const given = values(document.with, 'with');
    if (!given) return [];
    const expected = method ? method.parameters.map((p) => p.names.original) : [];
    const missing = expected.filter((p) => !given.some((g) => g.name === p));
    const extra = given.filter((g) => !expected.includes(g.name)).map((g) => g.name);
    if (missing.length > 0 || extra.length > 0) {
      const parts = [...(missing.length > 0 ? [`misses ${missing.join(', ')}`] : []), ...(extra.length > 0 ? [`has no parameter ${extra.join(', ')}`] : [])];
      report(`"with" of the reaction to ${document.on}: ${call}(${expected.join(', ')}) ${parts.join(' and ')}`, [...path, 'with']);
      return [];
    }
    const args = expected.map((parameter) => {
      const value = given.find((g) => g.name === parameter) as (typeof given)[number];
      return { parameter, expression: value.expression, source: value.source };
    });
    return [{ source: document.on, trigger, when, forEach, action: { kind: 'call', hops, entity: target.names.original, member: call, memberKind: method ? 'method' : 'transition', arguments: args } }];
  });
  reportCycles(reactions, report);
  return reactions;
}

/** `Order.created`, `Order.cancel`, or a transition's event (`OrderCancelled`). */
export function resolveTrigger(on: string, entities: Entity[]): ReactionTrigger | string {
  const [entityName, member, ...rest] = on.split('.');
  if (member !== undefined && rest.length === 0) {
    const entity = entities.find((e) => e.names.original === entityName);
    if (!entity) return `the reaction's "on" names "${entityName}", which is no entity${didYouMean(entityName ?? '', entities.map((e) => e.names.original))}`;
    const transitions = entity.stateMachine?.transitions.map((t) => t.names.original) ?? [];
    if (member === 'created' || member === 'updated' || transitions.includes(member)) return { entity: entity.names.original, on: member };
    return `"on: ${on}": ${entity.names.original} has no transition "${member}" (created, updated, ${transitions.join(', ') || 'no transitions'})${didYouMean(member, ['created', 'updated', ...transitions])}`;
  }
  for (const entity of entities) {
    const transition = entity.stateMachine?.transitions.find((t) => t.event === on);
    if (transition) return { entity: entity.names.original, on: transition.names.original };
  }
  const events = entities.flatMap((e) => e.stateMachine?.transitions.flatMap((t) => (t.event ? [t.event] : [])) ?? []);
  return `"on: ${on}" names no event a transition raises, and is not <Entity>.created, <Entity>.updated or <Entity>.<transition>${didYouMean(on, events)}`;
}

/** A one-to-many relation of the entity whose target refers back to it. */
function oneToMany(entity: Entity, relationName: string, byName: ReadonlyMap<string, Entity>): Extract<RelationHop, { kind: 'one-to-many' }> | string {
  const candidates = entity.relations.filter((r) => r.kind === 'one-to-many');
  const relation = candidates.find((r) => r.names.original === relationName);
  const target = relation && byName.get(relation.target);
  const back = target?.relations.find((r) => r.column !== undefined && r.target === entity.names.original && (relation?.inverse === undefined || r.names.original === relation.inverse));
  if (!relation || !target || !back) return `"${relationName}" is no one-to-many relation of ${entity.names.original} with a reference back${didYouMean(relationName, candidates.map((r) => r.names.original))}`;
  const unique = target.fields.some((f) => f.unique && f.names.original === back.names.original) || target.indexes.some((i) => i.unique && i.fields.length === 1 && i.fields[0] === back.names.original);
  return { kind: 'one-to-many', relation: relation.names.original, from: entity.names.original, to: target.names.original, reference: `${back.names.camel}Id`, unique };
}

/** The relations of a target path (`product.inventory`): required many-to-one references, one-to-many relations back. */
function targetHops(start: Entity, target: string, byName: ReadonlyMap<string, Entity>): RelationHop[] | string {
  const hops: RelationHop[] = [];
  let current = start;
  for (const segment of target.split('.')) {
    const relation = current.relations.find((r) => r.names.original === segment);
    if (relation?.column !== undefined) {
      if (!relation.required) return `target "${target}" follows the optional relation "${segment}" of ${current.names.original}; a reaction follows references every record has`;
      hops.push({ kind: 'many-to-one', relation: segment, from: current.names.original, to: relation.target, property: `${relation.names.camel}Id` });
      current = byName.get(relation.target) as Entity;
      continue;
    }
    const hop = oneToMany(current, segment, byName);
    if (typeof hop === 'string') return `target "${target}": ${hop}`;
    hops.push(hop);
    current = byName.get(hop.to) as Entity;
  }
  return hops;
}

/** The created entity's values by property: fields and references, and every required field without a default given. */
function createdValues(created: Entity, given: { name: string; expression: Expression; source: string }[], on: string, path: (string | number)[], report: Report): Extract<Reaction['action'], { kind: 'create' }>['values'] | undefined {
  const values: Extract<Reaction['action'], { kind: 'create' }>['values'] = [];
  let valid = true;
  for (const value of given) {
    const field = created.fields.find((f) => f.names.original === value.name);
    const relation = created.relations.find((r) => r.names.original === value.name && r.column !== undefined);
    if (!field && !relation) {
      const known = [...created.fields.map((f) => f.names.original), ...created.relations.filter((r) => r.column !== undefined).map((r) => r.names.original)];
      report(`the reaction to ${on} sets "${value.name}", which is no field or reference of ${created.names.original}${didYouMean(value.name, known)}`, [...path, value.name]);
      valid = false;
      continue;
    }
    values.push({ property: field ? field.names.camel : `${(relation as Entity['relations'][number]).names.camel}Id`, expression: value.expression, source: value.source });
  }
  const missing = [
    ...created.fields.filter((f) => f.required && f.default === undefined && !f.derivedFrom && created.stateMachine?.field !== f.names.camel).map((f) => f.names.original),
    ...created.relations.filter((r) => r.column !== undefined && r.required).map((r) => r.names.original),
  ].filter((name) => !given.some((g) => g.name === name));
  if (missing.length > 0) {
    report(`the reaction to ${on} creates ${created.names.original} without ${missing.join(', ')}, which it requires`, path);
    valid = false;
  }
  return valid ? values : undefined;
}

/** Reactions whose effects trigger themselves again (a transition or creation that leads back to its start). */
function reportCycles(reactions: Reaction[], report: Report): void {
  const key = (trigger: ReactionTrigger) => `${trigger.entity}.${trigger.on}`;
  const next = (trigger: ReactionTrigger): string[] =>
    reactions
      .filter((r) => key(r.trigger) === key(trigger))
      .flatMap((r) => (r.action.kind === 'create' ? [`${r.action.entity}.created`] : r.action.memberKind === 'transition' ? [`${r.action.entity}.${r.action.member}`] : []));
  for (const [index, reaction] of reactions.entries()) {
    const start = key(reaction.trigger);
    const seen = new Set<string>();
    const queue = next(reaction.trigger);
    while (queue.length > 0) {
      const current = queue.shift() as string;
      if (current === start) {
        report(`the reaction to ${reaction.source} triggers itself again through other reactions; it would never end`, ['reactions', index]);
        break;
      }
      if (seen.has(current)) continue;
      seen.add(current);
      const [entity, on] = current.split('.') as [string, string];
      queue.push(...next({ entity, on }));
    }
  }
}
