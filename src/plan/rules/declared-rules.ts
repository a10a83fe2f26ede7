/**
 * What the design declares for one operation, and so what the generated code enforces: the one
 * record a prose rule is compared with (src/plan/rules/rule-coverage.ts). Built from the model in one
 * function, `buildDeclaredRules`; every new kind of declaration is wired here and nowhere else.
 */
import type { CrudOperation, ImplementationEntry, SignInRules } from '../../model/crud/types.js';
import { changeRefusalsOf, rolesIn, ruleFor } from '../../model/domain/policies.js';
import { fieldsOf, type Expression } from '../../model/domain/expression.js';
import type { DomainModel, Entity, PolicyRule, Reaction } from '../../model/domain/types.js';
import { describeGatewayCall, describeReaction } from '../effects/domain-rules.js';
import type { Operation } from '../../model/types.js';

export interface DeclaredRules {
  /** Role or scope names the operation's security requires (any of its alternatives); empty: none. */
  roles: string[];
  /** The row policy (ownership, visibility) of the operation's entity for its action, when declared. */
  rowPolicy: string | undefined;
  /** The roles that row policy admits (`or hasRole('admin')`). */
  policyRoles: string[];
  /** The transition the operation performs and the states it starts from (anything else: 409). */
  transition: { name: string; from: string[] } | undefined;
  /** The states an update or delete is allowed in (`updatableIn`, `deletableIn`; anything else: 409). */
  stateGuard: string[] | undefined;
  /** A delete's refusals while related records hold the entity: `orders (CUSTOMER_HAS_OPEN_ORDERS)`. */
  deleteRefusals: string[];
  /** An update's or delete's refusals while a condition on the row holds: `builtIn (BUILT_IN_ROLE)`. */
  changeRefusals: string[];
  /** The entity's unique fields, for an operation that writes them (a duplicate: 409). */
  unique: string[];
  /** The operation checks a new password against sign-in's password policy. */
  passwordPolicy: boolean;
  /** The model's sign-in step the operation performs, and what it enforces. */
  signIn: SignInRules | undefined;
  /** The operation declares an `Idempotency-Key` header and the project's database keeps the keys (retries replay, another body: 409). */
  /** The operation changes an audited entity: each change leaves an audit record (who, when, before and after). */
  audited: boolean;
  idempotency: boolean;
  /** The model's reactions the operation triggers (`Order.created: each of items: product.inventory.reserve(quantity)`). */
  effects: string[];
  /** The model's checks of what the operation creates, and invariants with codes of what it changes (`amount-matches-total (PAYMENT_AMOUNT_MISMATCH)`). */
  checks: string[];
  /** Fields and relations those checks, invariants and reactions read: what a sentence about them is covered by. */
  ruleWords: string[];
  /** Whether a check reads the state of what the operation refers to (`order.status == 'pending'`). */
  stateCheck: boolean;
  /** Fields and relations of the entity the request body cannot set (a sentence that they "cannot be set" is the spec's schema). */
  notInRequest: string[];
  /** The statuses the generated server answers for this operation, each with its error code. */
  answers: { status: number; code: string }[];
}

/** The inputs beside the operation itself. */
export interface DeclaredRulesInput {
  operation: Operation;
  /** The operation's report entry (undefined: no entity at all). */
  entry: ImplementationEntry | undefined;
  /** The operation's entity in the domain model. */
  entity: Entity | undefined;
  /**
   * Error codes from the spec the generated server answers for the operation, with their status
   * (none today: the house codes below are the only ones).
   */
  specErrorCodes?: readonly { status: number; code: string }[];
  /** The whole model, for the effects and checks an operation sets off. */
  domain?: DomainModel;
  /** The project has a database (a domain model, given or inferred): where idempotency keys are kept. */
  database?: boolean;
}

/**
 * The entity's row policy for an action (`read`, `list`, `create`, `update`, `delete`, a
 * transition's name), as the model states it: the one place that wires row policies into the report.
 */
export function declaredRowPolicy(entity: Entity, action: string): PolicyRule | undefined {
  const transition = entity.stateMachine?.transitions.find((t) => t.names.original === action || t.names.camel === action);
  return ruleFor(entity.policies, transition ? transition.names.original : action, transition !== undefined);
}

/** The action a row policy is declared for, from the operation's CRUD kind. */
export function policyAction(operation: CrudOperation): string {
  if (operation.kind === 'action') return operation.transition ?? 'action';
  if (operation.kind === 'get') return 'read';
  if (operation.kind === 'replace') return 'update';
  return operation.kind;
}

export function buildDeclaredRules(input: DeclaredRulesInput): DeclaredRules {
  const { operation, entry, entity } = input;
  const implementation = entry?.implementation;
  const bound = implementation && 'operation' in implementation ? implementation.operation : undefined;
  const roles = [...new Set(operation.security.flatMap((r) => r.schemes.flatMap((s) => s.scopes)))];
  const transitionName = bound?.transition;
  const transition = transitionName && entity?.stateMachine?.transitions.find((t) => t.names.original === transitionName || t.names.camel === transitionName);
  const unique = bound && ['create', 'replace', 'update'].includes(bound.kind) ? uniqueFields(entity) : [];
  const policy = bound && entity ? declaredRowPolicy(entity, policyAction(bound)) : undefined;
  const effects = bound && entity && input.domain ? declaredEffects(input.domain, entity, bound) : undefined;
  const idempotency = input.database === true && operation.idempotency !== undefined;
  // An update (PUT, PATCH) or delete the model refuses while a condition on the row holds answers 409 with the design's code.
  const refusals = bound?.kind === 'delete' ? changeRefusalsOf(entity, 'delete') : bound?.kind === 'update' || bound?.kind === 'replace' ? changeRefusalsOf(entity, 'update') : [];
  return {
    roles,
    rowPolicy: policy?.source,
    policyRoles: policy ? [...new Set(rolesIn(policy.expression))] : [],
    transition: transition ? { name: transition.names.original, from: [...transition.from] } : undefined,
    deleteRefusals: bound?.kind === 'delete' ? (entity?.deleteRefusals ?? []).map((r) => `${r.relation}${r.where ? ` where ${r.where.source}` : ''} (${r.code})`) : [],
    changeRefusals: refusals.map((r) => `${r.when.source} (${r.code})`),
    stateGuard: bound?.kind === 'delete' ? entity?.stateMachine?.deletableIn : bound && ['update', 'replace'].includes(bound.kind) ? entity?.stateMachine?.updatableIn : undefined,
    unique,
    effects: effects?.reactions ?? [],
    checks: effects?.checks ?? [],
    ruleWords: effects?.words ?? [],
    stateCheck: effects?.stateCheck ?? false,
    notInRequest: bound && entity && ['update', 'replace', 'create'].includes(bound.kind) ? notInRequest(entity, bound) : [],
    idempotency,
    signIn: implementation?.kind === 'sign-in' ? implementation.rules : undefined,
    passwordPolicy: entry?.passwordPolicy !== undefined,
    audited: bound !== undefined && entity?.audited === true && ['create', 'replace', 'update', 'delete', 'action'].includes(bound.kind),
    // A delete the model refuses while related records hold the entity answers the design's code.
    answers: answeredStatuses(operation, bound, implementation?.kind === 'sign-in', unique.length > 0, [
      ...(input.specErrorCodes ?? []),
      ...(bound?.kind === 'delete' ? (entity?.deleteRefusals ?? []).map((refusal) => ({ status: 409, code: refusal.code })) : []),
      ...refusals.map((refusal) => ({ status: 409, code: refusal.code })),
      ...(effects?.answers ?? []),
      ...(idempotency ? IDEMPOTENCY_ANSWERS : []),
      ...(implementation?.kind === 'sign-in' ? implementation.rules.answers : []),
      ...(entry?.passwordPolicy ? [entry.passwordPolicy] : []),
    ]),
  };
}

/**
 * The model's effects an operation sets off: the reactions to what it does (a create, a transition),
 * followed through the transitions they perform; the checks of the entities it creates; the coded
 * invariants of everything it changes, each an answer with the design's code.
 */
function declaredEffects(domain: DomainModel, entity: Entity, bound: CrudOperation): { reactions: string[]; checks: string[]; words: string[]; stateCheck: boolean; answers: { status: number; code: string }[] } {
  const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
  const transition = bound.kind === 'action' ? entity.stateMachine?.transitions.find((t) => t.names.original === bound.transition || t.names.camel === bound.transition) : undefined;
  const start = bound.kind === 'create' ? 'created' : bound.kind === 'update' || (bound.kind === 'replace' && !bound.singleton) ? 'updated' : transition?.names.original;
  const changed = new Set<string>(['create', 'replace', 'update', 'action'].includes(bound.kind) ? [entity.names.original] : []);
  const created = bound.kind === 'create' ? [entity, ...bound.childInputs.flatMap((c) => byName.get(c.entity) ?? [])] : [];
  const reactions: Reaction[] = [];
  const queue = start === undefined ? [] : [{ entity: entity.names.original, on: start }];
  // A gateway call follows the service's own change; each outcome's transition sets off its reactions in turn.
  const calls = start === undefined ? [] : domain.gatewayCalls.filter((c) => c.trigger.entity === entity.names.original && c.trigger.on === start);
  for (const call of calls) queue.push(...call.outcomes.map((o) => ({ entity: call.trigger.entity, on: o.transition })));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const trigger = queue.shift() as { entity: string; on: string };
    const key = `${trigger.entity}.${trigger.on}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const reaction of domain.reactions.filter((r) => r.trigger.entity === trigger.entity && r.trigger.on === trigger.on)) {
      reactions.push(reaction);
      changed.add(reaction.action.entity);
      if (reaction.action.kind === 'create') queue.push({ entity: reaction.action.entity, on: 'created' });
      else if (reaction.action.memberKind === 'transition') queue.push({ entity: reaction.action.entity, on: reaction.action.member });
    }
  }
  const checks = created.flatMap((e) => e.checks);
  const invariants = [...changed].flatMap((name) => (byName.get(name)?.invariants ?? []).filter((i) => i.violation));
  const words = new Set<string>();
  const addWords = (expression: Expression) => {
    for (const name of fieldsOf(expression)) for (const part of name.split('.')) words.add(part);
  };
  for (const check of checks) addWords(check.expression);
  for (const invariant of invariants) addWords(invariant.expression);
  for (const call of calls) if (call.where) addWords(call.where.expression);
  for (const reaction of reactions) {
    if (reaction.forEach) words.add(reaction.forEach.relation);
    if (reaction.action.kind === 'call') for (const hop of reaction.action.hops) words.add(hop.relation);
  }
  const stateCheck = checks.some((check) =>
    [...fieldsOf(check.expression)].some((name) => {
      const [relationName, field] = name.split('.');
      const relation = entity.relations.find((r) => r.names.original === relationName) ?? created.flatMap((e) => e.relations).find((r) => r.names.original === relationName);
      return field !== undefined && byName.get(relation?.target ?? '')?.stateMachine?.field === field;
    }),
  );
  return {
    reactions: [...calls.map(describeGatewayCall), ...reactions.map(describeReaction)],
    checks: [...checks.map((c) => `${c.name} (${c.code})`), ...invariants.map((i) => `${i.name} (${i.violation?.code ?? ''})`)],
    words: [...words],
    stateCheck,
    answers: [...checks.map((c) => ({ status: c.status, code: c.code })), ...invariants.flatMap((i) => (i.violation ? [{ status: i.violation.status, code: i.violation.code }] : []))],
  };
}

/** The entity's fields and relations a write's request body does not carry. */
function notInRequest(entity: Entity, bound: CrudOperation): string[] {
  const sent = new Set(bound.input.map((i) => i.field));
  return [
    ...entity.fields.filter((f) => !sent.has(f.names.camel)).map((f) => f.names.original),
    ...entity.relations.filter((r) => !sent.has(`${r.names.camel}Id`) && !bound.childInputs.some((c) => c.relation === r.names.camel)).map((r) => r.names.original),
  ];
}
/** What src/middlewares/idempotency.ts of a project answers besides the operation's own statuses. */
const IDEMPOTENCY_ANSWERS = [
  { status: 409, code: 'IDEMPOTENCY_KEY_REUSED' },
  { status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' },
];

function uniqueFields(entity: Entity | undefined): string[] {
  if (!entity) return [];
  return [
    ...entity.fields.filter((f) => f.unique).map((f) => `${f.names.original}${f.ignoreCase ? ' (ignoring case)' : ''}`),
    ...entity.indexes.filter((i) => i.unique).map((i) => `${i.fields.join(' + ')}${i.ignoreCase ? ' (ignoring case)' : ''}`),
  ];
}

/** The house error codes the generated code answers for the operation (src/errors/app-error.ts of a project). */
function answeredStatuses(operation: Operation, bound: CrudOperation | undefined, signIn: boolean, unique: boolean, spec: readonly { status: number; code: string }[]): { status: number; code: string }[] {
  const secured = operation.security.some((r) => r.schemes.length > 0);
  const scoped = operation.security.some((r) => r.schemes.some((s) => s.scopes.length > 0));
  const writes = bound !== undefined && ['create', 'replace', 'update', 'action'].includes(bound.kind);
  const item = bound !== undefined && (bound.idParameter !== undefined || bound.singleton || bound.scope !== undefined);
  const conflict = bound !== undefined && (bound.transition !== undefined || bound.versionProperty !== undefined || unique || bound.kind === 'delete');
  const answers = [
    { status: 400, code: 'VALIDATION_FAILED', when: true },
    { status: 401, code: 'AUTHENTICATION_REQUIRED', when: secured },
    { status: 403, code: 'FORBIDDEN', when: scoped },
    { status: 404, code: 'NOT_FOUND', when: item },
    { status: 409, code: 'CONFLICT', when: conflict },
    { status: 412, code: 'PRECONDITION_FAILED', when: bound?.ifMatch !== undefined },
    { status: 422, code: 'UNPROCESSABLE_ENTITY', when: writes },
    { status: 501, code: 'NOT_IMPLEMENTED', when: bound === undefined && !signIn },
  ];
  return [...answers.filter((a) => a.when).map(({ status, code }) => ({ status, code })), ...spec];
}
