import type { Names } from '../types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Expression } from './expression.js';

/** The domain model, checked and with every default applied: what the persistence layers are built from. */
export interface DomainModel {
  entities: Entity[];
  valueObjects: ValueObject[];
  /** API resource name -> entity (and API names of its fields), as declared in the model's `mapping`. */
  mapping: Record<string, ResourceMapping>;
  /** Effects between aggregates (`reactions`), in declaration order. */
  reactions: Reaction[];
  /** External services (`gateways`), and the calls of their operations once a change has committed. */
  gateways: Gateway[];
  gatewayCalls: GatewayCall[];
  /** Sign-in from declarations (`signIn` in the model), when declared. */
  signIn?: SignIn;
}

/** A step of sign-in, each performed by one operation of the spec. */
export type SignInStep = 'login' | 'refresh' | 'logout' | 'me' | 'changePassword';

/**
 * Sign-in as the model declares it (docs/security.md, "Sign-in"): who signs in with what, where the
 * sessions and their refresh tokens live, how long tokens last and when an account locks.
 */
export interface SignIn {
  /** The credentials entity and its fields (field names as declared). */
  entity: string;
  identifier: string;
  password: string;
  roles: string | undefined;
  /** A user for whom this does not hold cannot log in (403). */
  activeWhen: Expression | undefined;
  /** The credentials entity's datetime field set on each login (`lastLoginAt`), when it has one. */
  lastLogin: string | undefined;
  /** The session entity, its many-to-one to the credentials entity, and which optional fields it has. */
  sessions: { entity: string; relation: string; lastSeenAt: boolean; ipAddress: boolean; userAgent: boolean };
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  lockout: { attempts: number; seconds: number; addressAttempts: number };
  /** What a new password must satisfy; undefined: only what the spec's schemas say. */
  passwordPolicy: { minLength: number | undefined; requireUppercase: boolean; requireLowercase: boolean; requireDigit: boolean; requireSymbol: boolean } | undefined;
  /** Where the current user's permissions come from: the roles' entity, its name and permissions fields. */
  rolePermissions: { entity: string; name: string; permissions: string } | undefined;
  /** Step -> the operationId that performs it. */
  operations: Partial<Record<SignInStep, string>>;
  /** Where each step's operation is named in the model, for errors found against the spec. */
  operationLocations: Partial<Record<SignInStep, SourceLocation>>;
}

export interface ResourceMapping {
  entity: string;
  /** API property or parameter name -> entity field name. */
  fields: Record<string, string>;
  /** The request body property that is the audit record's reason (`audited` entities). */
  auditReason: string | undefined;
}

export type ScalarType = 'string' | 'text' | 'integer' | 'bigint' | 'decimal' | 'number' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'json' | 'enum';

export interface Field {
  names: Names;
  column: string;
  /** A scalar, or the name of a value object. */
  type: ScalarType | { valueObject: string };
  required: boolean;
  unique: boolean;
  /** `unique: ignore-case`: values that differ only in case are duplicates, and filters compare ignoring case. */
  ignoreCase: boolean;
  /** A list or an object only for a json field. */
  default: string | number | boolean | unknown[] | Record<string, unknown> | undefined;
  values: string[];
  constraints: { min?: number; max?: number; minLength?: number; maxLength?: number; pattern?: string; precision?: number; scale?: number };
  renamedFrom: string | undefined;
  /** A credential or other secret (`secret: true`, a write-only API property, or a name such as `passwordHash`): never searched. */
  secret: boolean;
  /** Set on creation from a referenced entity's field, or the sum of the children's. */
  derivedFrom: { kind: 'copy' | 'sum'; relation: string; field: string } | undefined;
  description: string;
}

export interface Relation {
  names: Names;
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: string;
  required: boolean;
  inverse: string | undefined;
  onDelete: 'cascade' | 'restrict' | 'set-null';
  /** many-to-one / one-to-one: the foreign key column on this entity's table. */
  column: string | undefined;
  /** many-to-many: the join table. */
  joinTable: string | undefined;
}

export interface Invariant {
  name: string;
  expression: Expression;
  source: string;
  message: string;
  /** The design's error code for a change that breaks it, and its status; undefined: a validation error (400). */
  violation: { code: string; status: 409 | 422 } | undefined;
}

export interface StateMachine {
  field: string;
  initial: string;
  states: string[];
  transitions: { names: Names; from: string[]; to: string; event: string | undefined }[];
  /** The states in which updates are allowed (undefined: all). */
  updatableIn: string[] | undefined;
  /** The states in which deletes are allowed (undefined: all). */
  deletableIn: string[] | undefined;
}

export interface Entity {
  names: Names;
  table: string;
  /** The entity's previous name (`renamedFrom`), so a migration renames its table. */
  renamedFrom: string | undefined;
  /** The aggregate root's name (the entity's own name when it is a root). */
  aggregate: string;
  identity: 'uuid' | 'serial';
  timestamps: boolean;
  softDelete: boolean;
  versioned: boolean;
  /** Every change of a row writes an append-only record to audit_log, in the change's transaction. */
  audited: boolean;
  fields: Field[];
  relations: Relation[];
  /** `ignoreCase`: a unique index that compares its string and text fields in lower case. */
  indexes: { name: string; fields: string[]; unique: boolean; ignoreCase: boolean }[];
  invariants: Invariant[];
  stateMachine: StateMachine | undefined;
  /** Read-only values derived from the fields. */
  computed: Computed[];
  /** Who may do what with the rows; undefined: the spec's security requirements alone decide. */
  policies: Policies | undefined;
  /** Deletes refused while related records match (`deleteRefusedWhile`), each with the design's code. */
  deleteRefusals: DeleteRefusal[];
  /** Updates and deletes refused while a condition on the row holds (`changesRefusedWhile`), each with the design's code. */
  changeRefusals: ChangeRefusal[];
  /** Named changes of fields with parameters (`reserve(quantity)`), for reactions and hand-written code. */
  methods: EntityMethod[];
  /** Rules over a new row and the rows it refers to, checked in the transaction that creates it. */
  checks: CrossCheck[];
  description: string;
}

export type MethodParameterType = 'integer' | 'number' | 'string' | 'boolean';

export interface EntityMethod {
  names: Names;
  parameters: { names: Names; type: MethodParameterType }[];
  /** Field (its property name) -> new value over the fields and the parameters, in declaration order. */
  assignments: { property: string; expression: Expression; source: string }[];
  description: string;
}

export interface CrossCheck {
  name: string;
  expression: Expression;
  source: string;
  /** The many-to-one relations its names follow, in order of first use (`product`, `order`). */
  relations: string[];
  code: string;
  status: 409 | 422;
  message: string;
}

/** One step from an entity to related ones: by its reference (many-to-one) or by theirs back to it (one-to-many). */
export type RelationHop =
  | { kind: 'many-to-one'; relation: string; from: string; to: string; property: string }
  /** `unique`: the back-reference is unique, so there is exactly one (a missing one is a conflict). */
  | { kind: 'one-to-many'; relation: string; from: string; to: string; reference: string; unique: boolean };

/** What starts a reaction: an entity created, updated (PUT, PATCH), or one of its transitions. */
export interface ReactionTrigger {
  entity: string;
  /** `created`, `updated`, or a transition's name. */
  on: string;
}

export interface Reaction {
  /** As the model writes it (`Order.created`, `PaymentSucceeded`), for messages and comments. */
  source: string;
  trigger: ReactionTrigger;
  /** For an update: the condition on the changed entity the update makes hold (it did not before, it does after). */
  when: PolicyRule | undefined;
  /** A one-to-many relation of the changed entity the reaction runs over, and which of its records. */
  forEach: { relation: string; entity: string; reference: string; where: PolicyRule | undefined } | undefined;
  action:
    | { kind: 'call'; hops: RelationHop[]; entity: string; member: string; memberKind: 'method' | 'transition'; arguments: { parameter: string; expression: Expression; source: string }[] }
    | { kind: 'create'; entity: string; values: { property: string; expression: Expression; source: string }[] };
}

/** An external service in the domain's terms (`gateways` in the model). */
export interface Gateway {
  names: Names;
  description: string;
  /** The environment variables of its settings start with this (`PAYMENT_GATEWAY`: `_URL`, `_API_KEY`, `_TIMEOUT_MS`). */
  envPrefix: string;
  operations: GatewayOperation[];
}

export interface GatewayOperation {
  names: Names;
  description: string;
  input: { names: Names; type: 'integer' | 'number' | 'string' | 'boolean' }[];
  /** As declared, without `unavailable` (which every operation can answer). */
  outcomes: string[];
}

/**
 * A gateway operation called once a change has committed (never inside its transaction): its input
 * from the changed record, and the transition each outcome leads to, run in a unit of work of its own.
 */
export interface GatewayCall {
  source: string;
  trigger: ReactionTrigger;
  /** Which changes call it (a condition over the changed record). */
  where: PolicyRule | undefined;
  gateway: string;
  operation: string;
  arguments: { parameter: string; expression: Expression; source: string }[];
  /** Every declared outcome and `unavailable`, each with the transition of the changed entity it leads to. */
  outcomes: { outcome: string; transition: string }[];
  /** The property of the changed entity that keeps the gateway's reason, if declared. */
  reasonProperty: string | undefined;
}

/**
 * Row-level rules (`policies` in the model). Each compiles twice: to SQL (lists and single reads filter
 * in the database) and to TypeScript over a new entity (creates).
 */
export interface Policies {
  /** Action (`read`, `list`, `create`, `update`, `delete`, a transition's name) -> its rule. */
  rules: Map<string, PolicyRule>;
  /** How a row the caller may not read answers: 404 (existence does not leak) or 403. */
  onDenied: 'not-found' | 'forbidden';
}

export interface DeleteRefusal {
  /** The one-to-many relation whose records hold the entity (`orders`). */
  relation: string;
  /** The related entity, and the property of its reference back to this one (`customerId`). */
  target: string;
  reference: string;
  /** Which related records count (none: any). */
  where: PolicyRule | undefined;
  code: string;
  message: string;
}

export interface ChangeRefusal {
  /** The condition on the row as stored (the invariant language: its fields, `id`, timestamps). */
  when: PolicyRule;
  /** The changes refused while it holds. */
  refuses: ('update' | 'delete')[];
  code: string;
  message: string;
}

export interface PolicyRule {
  expression: Expression;
  source: string;
}

export interface Computed {
  names: Names;
  type: 'integer' | 'number' | 'boolean';
  expression: Expression;
  source: string;
  description: string;
  /**
   * The value reads the caller (`id == auth.claims.sid`): no getter of the entity, but a value of each
   * response, computed by its mapper with the request's caller (a condition of the policy language).
   */
  readsCaller: boolean;
}

export interface ValueObject {
  names: Names;
  fields: Field[];
  invariants: Invariant[];
  description: string;
}
