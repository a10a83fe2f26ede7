/**
 * The model's external services (docs/domain-model.md, "External services"): `gateways` declare each
 * service's operations in the domain's terms, and reactions with `gateway:` call one once a change has
 * committed, moving the changed record on by the outcome. Checked here so that the generated port,
 * adapter and calls compile without guessing: every name resolves, every outcome leads somewhere the
 * record can go, and an input never receives a value that may be missing.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { GatewayDocument, ReactionDocument } from '../../load/domain-model-types.js';
import { names } from '../naming.js';
import { namesKnown, parsed, resolveTrigger, rowNames, type Report } from './effects.js';
import type { Expression } from './expression.js';
import type { Entity, Gateway, GatewayCall, Reaction, ReactionTrigger } from './types.js';

/** What every operation can answer besides its declared outcomes: the service could not be reached in time. */
export const UNAVAILABLE = 'unavailable';

/** Checks the model's `gateways`. */
export function buildGateways(documents: Readonly<Record<string, GatewayDocument>>, report: Report): Gateway[] {
  return Object.entries(documents).flatMap(([name, document]): Gateway[] => {
    const path = ['gateways', name];
    let valid = true;
    const operations = Object.entries(document.operations).map(([operation, declared]) => {
      if (declared.outcomes.includes(UNAVAILABLE)) {
        report(`outcome "${UNAVAILABLE}" of ${name}.${operation} is implied (every call can find the service unreachable); remove it`, [...path, 'operations', operation, 'outcomes']);
        valid = false;
      }
      return {
        names: names(operation, 'operation'),
        description: declared.description ?? '',
        input: Object.entries(declared.input).map(([input, type]) => ({ names: names(input, 'value'), type })),
        outcomes: declared.outcomes,
      };
    });
    const gatewayNames = names(name, 'gateway');
    const envPrefix = gatewayNames.kebab.replaceAll('-', '_').toUpperCase();
    return valid ? [{ names: gatewayNames, description: document.description ?? '', envPrefix, operations }] : [];
  });
}

/**
 * Checks and resolves the reactions that call a gateway. The call happens after the change commits,
 * so it can follow only a change a service makes itself: a change another reaction makes happens
 * inside that reaction's transaction, where no call to another service belongs.
 */
export function buildGatewayCalls(entities: Entity[], gateways: Gateway[], declared: ReadonlySet<string>, documents: readonly ReactionDocument[], reactions: readonly Reaction[], report: Report): GatewayCall[] {
  const calls = documents.flatMap((document, index): (GatewayCall & { index: number })[] => {
    if (document.gateway === undefined) return [];
    const path = ['reactions', index];
    const what = `the reaction to ${document.on} calling ${document.gateway}`;
    const trigger = resolveTrigger(document.on, entities);
    if (typeof trigger === 'string') {
      report(trigger, [...path, 'on']);
      return [];
    }
    const entity = entities.find((e) => e.names.original === trigger.entity) as Entity;
    if (trigger.on === 'updated') {
      report(`${what}: a gateway call follows a creation or a transition, whose outcome moves the record on; an update has none`, [...path, 'on']);
      return [];
    }
    for (const key of ['forEach', 'target', 'call', 'create', 'values', 'when'] as const) {
      if (document[key] !== undefined) {
        report(`${what} takes "${key}"; a gateway call acts on the changed ${entity.names.original} itself, with "with", "where", "outcomes" and "reason"`, [...path, key]);
        return [];
      }
    }
    const [gatewayName = '', operationName = ''] = document.gateway.split('.');
    const gateway = gateways.find((g) => g.names.original === gatewayName);
    // A gateway declared with errors has been reported already.
    if (!gateway && declared.has(gatewayName)) return [];
    if (!gateway) {
      report(`${what}: "${gatewayName}" is no gateway of the model${didYouMean(gatewayName, gateways.map((g) => g.names.original))}`, [...path, 'gateway']);
      return [];
    }
    const operation = gateway.operations.find((o) => o.names.original === operationName);
    if (!operation) {
      report(`${what}: ${gatewayName} has no operation "${operationName}"${didYouMean(operationName, gateway.operations.map((o) => o.names.original))}`, [...path, 'gateway']);
      return [];
    }
    const madeByReaction = reactions.find((r) => producesTrigger(r, trigger));
    if (madeByReaction) {
      report(`${what}: ${document.on} also happens inside the reaction to ${madeByReaction.source}, in a transaction, where no external service may be called; call it from a change a service makes`, [...path, 'on']);
      return [];
    }
    const known = rowNames(entity);
    let where: GatewayCall['where'];
    if (document.where !== undefined) {
      const expression = parsed(document.where, `"where" of ${what}`, [...path, 'where'], report);
      if (!expression || !namesKnown(expression, known, `"where" of ${what}`, [...path, 'where'], report)) return [];
      where = { expression, source: document.where };
    }
    const args = callArguments(entity, operation.input, document.with ?? {}, where?.expression, what, [...path, 'with'], report);
    const outcomes = outcomeTransitions(entity, trigger, [...operation.outcomes, UNAVAILABLE], document.outcomes ?? {}, what, [...path, 'outcomes'], report);
    const reasonProperty = document.reason === undefined ? undefined : reasonField(entity, document.reason, what, [...path, 'reason'], report);
    if (!args || !outcomes || reasonProperty === null) return [];
    return [{ source: document.on, trigger, where, gateway: gateway.names.original, operation: operation.names.original, arguments: args, outcomes, reasonProperty, index }];
  });
  return calls.filter((call) => {
    const key = `${call.trigger.entity}.${call.trigger.on}`;
    const what = `the reaction to ${call.source} calling ${call.gateway}.${call.operation}`;
    // One call per change: a second would start from where the first one's outcome left the record.
    const first = calls.find((other) => `${other.trigger.entity}.${other.trigger.on}` === key);
    if (first !== call) {
      report(`${what}: ${call.source} already calls ${first?.gateway}.${first?.operation}; one change calls one service (its outcome moves the record on)`, ['reactions', call.index, 'gateway']);
      return false;
    }
    // An outcome's transition happens inside the unit of work of that outcome, where no service is called.
    const chained = calls.find((other) => other.trigger.entity === call.trigger.entity && other.outcomes.some((o) => o.transition === call.trigger.on));
    if (chained) {
      report(`${what}: ${call.source} is also an outcome of ${chained.gateway}.${chained.operation}, applied in a transaction, where no external service may be called`, ['reactions', call.index, 'on']);
      return false;
    }
    return true;
  }).map(({ index: _index, ...call }) => call);
}

/** Whether a reaction's own change is the trigger (it creates the entity, or performs the transition). */
function producesTrigger(reaction: Reaction, trigger: ReactionTrigger): boolean {
  const action = reaction.action;
  if (action.entity !== trigger.entity) return false;
  return action.kind === 'create' ? trigger.on === 'created' : action.memberKind === 'transition' && action.member === trigger.on;
}

/** The operation's input from expressions over the changed record: every input given, none unknown, none possibly missing. */
function callArguments(
  entity: Entity,
  inputs: Gateway['operations'][number]['input'],
  given: Readonly<Record<string, string | number | boolean>>,
  where: Expression | undefined,
  what: string,
  path: (string | number)[],
  report: Report,
): GatewayCall['arguments'] | undefined {
  const expected = inputs.map((i) => i.names.original);
  const missing = expected.filter((name) => !Object.hasOwn(given, name));
  const extra = Object.keys(given).filter((name) => !expected.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [...(missing.length > 0 ? [`misses ${missing.join(', ')}`] : []), ...(extra.length > 0 ? [`has no input ${extra.join(', ')}`] : [])];
    report(`"with" of ${what}: the input (${expected.join(', ')}) ${parts.join(' and ')}`, path);
    return undefined;
  }
  const guarded = notNullIn(where);
  const result: GatewayCall['arguments'] = [];
  for (const input of inputs) {
    const text = String(given[input.names.original]);
    const at = [...path, input.names.original];
    const expression = parsed(text, `"${input.names.original}" of ${what}`, at, report);
    if (!expression || !namesKnown(expression, rowNames(entity), `"${input.names.original}" of ${what}`, at, report)) return undefined;
    if (expression.kind === 'field') {
      const implicit = implicitType(entity, expression.name);
      if (implicit !== undefined && typeMismatch(implicit, input.type)) {
        report(`"${input.names.original}" of ${what}: ${expression.name} is ${typeMismatch(implicit, input.type)}, the input is ${input.type}`, at);
        return undefined;
      }
      const field = entity.fields.find((f) => f.names.original === expression.name);
      if (field && !field.required && !guarded.has(field.names.original)) {
        report(`"${input.names.original}" of ${what}: ${field.names.original} may be empty, and ${input.names.original} is required; add "${field.names.original} != null" to "where"`, at);
        return undefined;
      }
      const mismatch = field && typeof field.type === 'string' ? typeMismatch(field.type, input.type) : undefined;
      if (mismatch) {
        report(`"${input.names.original}" of ${what}: ${field?.names.original} is ${mismatch}, the input is ${input.type}`, at);
        return undefined;
      }
    }
    result.push({ parameter: input.names.original, expression, source: text });
  }
  return result;
}

/** The names a condition proves present: `x != null` joined by `and`. */
function notNullIn(expression: Expression | undefined): Set<string> {
  if (!expression || expression.kind !== 'binary') return new Set();
  if (expression.operator === 'and') return new Set([...notNullIn(expression.left), ...notNullIn(expression.right)]);
  if (expression.operator !== '!=') return new Set();
  const [field, other] = expression.left.kind === 'field' ? [expression.left, expression.right] : [expression.right, expression.left];
  return field.kind === 'field' && other.kind === 'literal' && other.value === null ? new Set([field.name]) : new Set();
}

/** The type of a name every record has: its id, and its timestamps. */
function implicitType(entity: Entity, name: string): string | undefined {
  if (name === 'id') return entity.identity === 'serial' ? 'integer' : 'uuid';
  return entity.timestamps && (name === 'createdAt' || name === 'updatedAt') ? 'datetime' : undefined;
}

/** A field's type that cannot be sent as the input's: its kind, for the message. */
function typeMismatch(field: string, input: 'integer' | 'number' | 'string' | 'boolean'): string | undefined {
  const kinds: Record<string, string> = { integer: 'integer', bigint: 'integer', number: 'number', decimal: 'number', boolean: 'boolean', json: 'json', date: 'date', datetime: 'date' };
  const kind = kinds[field] ?? 'string';
  if (kind === input || (kind === 'integer' && input === 'number')) return undefined;
  const a = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
  return field === kind ? a(kind) : `${a(field)} (${a(kind)})`;
}

/** Each outcome's transition: declared for every outcome, a transition of the entity, allowed from the state the change leaves it in. */
function outcomeTransitions(
  entity: Entity,
  trigger: ReactionTrigger,
  outcomes: readonly string[],
  declared: Readonly<Record<string, string>>,
  what: string,
  path: (string | number)[],
  report: Report,
): GatewayCall['outcomes'] | undefined {
  const machine = entity.stateMachine;
  if (!machine) {
    report(`${what}: ${entity.names.original} has no state machine, so no outcome can move it on`, path);
    return undefined;
  }
  const state = trigger.on === 'created' ? machine.initial : machine.transitions.find((t) => t.names.original === trigger.on)?.to;
  let valid = true;
  for (const outcome of Object.keys(declared)) {
    if (!outcomes.includes(outcome)) {
      report(`${what}: "${outcome}" is no outcome of the operation (${outcomes.join(', ')})${didYouMean(outcome, outcomes)}`, [...path, outcome]);
      valid = false;
    }
  }
  const result: GatewayCall['outcomes'] = [];
  for (const outcome of outcomes) {
    const name = declared[outcome];
    if (name === undefined) {
      report(`${what}: say which transition of ${entity.names.original} the outcome "${outcome}" leads to`, path);
      valid = false;
      continue;
    }
    const transition = machine.transitions.find((t) => t.names.original === name);
    if (!transition) {
      report(`${what}: "${name}" is no transition of ${entity.names.original}${didYouMean(name, machine.transitions.map((t) => t.names.original))}`, [...path, outcome]);
      valid = false;
      continue;
    }
    if (state !== undefined && !transition.from.includes(state)) {
      report(`${what}: ${entity.names.original} is "${state}" after ${trigger.on}, and ${name} starts from ${transition.from.join(' or ')}`, [...path, outcome]);
      valid = false;
      continue;
    }
    result.push({ outcome, transition: name });
  }
  return valid ? result : undefined;
}

/** The reason's property: an optional string field the transitions may set. Null when it is not one. */
function reasonField(entity: Entity, name: string, what: string, path: (string | number)[], report: Report): string | null {
  const field = entity.fields.find((f) => f.names.original === name);
  if (!field || !['string', 'text'].includes(field.type as string) || field.required || entity.stateMachine?.field === field.names.camel) {
    const candidates = entity.fields.filter((f) => !f.required && (f.type === 'string' || f.type === 'text')).map((f) => f.names.original);
    report(`${what}: "reason" names "${name}", which is no optional string field of ${entity.names.original}${didYouMean(name, candidates)}`, path);
    return null;
  }
  return field.names.camel;
}
