/**
 * What the design declares for one operation, and so what the generated code enforces: the one
 * record a prose rule is compared with (src/plan/rules/rule-coverage.ts). Built from the model in one
 * function, `buildDeclaredRules`; every new kind of declaration is wired here and nowhere else.
 */
import type { CrudOperation, ImplementationEntry } from '../../model/crud/types.js';
import { rolesIn, ruleFor } from '../../model/domain/policies.js';
import type { Entity, PolicyRule } from '../../model/domain/types.js';
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
  /** The entity's unique fields, for an operation that writes them (a duplicate: 409). */
  unique: string[];
  /** The operation changes an audited entity: each change leaves an audit record (who, when, before and after). */
  audited: boolean;
  /** Where the operation declares idempotency keys; never yet. */
  idempotency: boolean;
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
  const bound = implementation && implementation.kind !== 'stub' ? implementation.operation : undefined;
  const roles = [...new Set(operation.security.flatMap((r) => r.schemes.flatMap((s) => s.scopes)))];
  const transitionName = bound?.transition;
  const transition = transitionName && entity?.stateMachine?.transitions.find((t) => t.names.original === transitionName || t.names.camel === transitionName);
  const unique = bound && ['create', 'replace', 'update'].includes(bound.kind) ? uniqueFields(entity) : [];
  const policy = bound && entity ? declaredRowPolicy(entity, policyAction(bound)) : undefined;
  return {
    roles,
    rowPolicy: policy?.source,
    policyRoles: policy ? [...new Set(rolesIn(policy.expression))] : [],
    transition: transition ? { name: transition.names.original, from: [...transition.from] } : undefined,
    deleteRefusals: bound?.kind === 'delete' ? (entity?.deleteRefusals ?? []).map((r) => `${r.relation}${r.where ? ` where ${r.where.source}` : ''} (${r.code})`) : [],
    stateGuard: bound?.kind === 'delete' ? entity?.stateMachine?.deletableIn : bound && ['update', 'replace'].includes(bound.kind) ? entity?.stateMachine?.updatableIn : undefined,
    unique,
    audited: bound !== undefined && entity?.audited === true && ['create', 'replace', 'update', 'delete', 'action'].includes(bound.kind),
    idempotency: false,
    // A delete the model refuses while related records hold the entity answers the design's code.
    answers: answeredStatuses(operation, bound, unique.length > 0, [
      ...(input.specErrorCodes ?? []),
      ...(bound?.kind === 'delete' ? (entity?.deleteRefusals ?? []).map((refusal) => ({ status: 409, code: refusal.code })) : []),
    ]),
  };
}

function uniqueFields(entity: Entity | undefined): string[] {
  if (!entity) return [];
  return [
    ...entity.fields.filter((f) => f.unique).map((f) => `${f.names.original}${f.ignoreCase ? ' (ignoring case)' : ''}`),
    ...entity.indexes.filter((i) => i.unique).map((i) => `${i.fields.join(' + ')}${i.ignoreCase ? ' (ignoring case)' : ''}`),
  ];
}

/** The house error codes the generated code answers for the operation (src/errors/app-error.ts of a project). */
function answeredStatuses(operation: Operation, bound: CrudOperation | undefined, unique: boolean, spec: readonly { status: number; code: string }[]): { status: number; code: string }[] {
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
    { status: 501, code: 'NOT_IMPLEMENTED', when: bound === undefined },
  ];
  return [...answers.filter((a) => a.when).map(({ status, code }) => ({ status, code })), ...spec];
}
