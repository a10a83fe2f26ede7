/** The domain model file as written (docs/domain-model.md; schemas/domain-model.schema.json). */
export interface DomainModelDocument {
  schemaVersion: 1;
  entities: Record<string, EntityDocument>;
  valueObjects?: Record<string, ValueObjectDocument>;
  mapping?: Record<string, string | MappingDocument>;
  reactions?: ReactionDocument[];
  gateways?: Record<string, GatewayDocument>;
  signIn?: SignInDocument;
}

/**
 * An external service the model's actions call (docs/domain-model.md, "External services"): its
 * operations in the domain's terms, each with its input and the outcomes it answers.
 */
export interface GatewayDocument {
  description?: string;
  operations: Record<string, GatewayOperationDocument>;
}

export interface GatewayOperationDocument {
  description?: string;
  input: Record<string, 'integer' | 'number' | 'string' | 'boolean'>;
  /** What the service answers (`succeeded`, `declined`); `unavailable` is added for a service that cannot be reached. */
  outcomes: string[];
}

/**
 * What one change does to other aggregates, in the same unit of work (docs/domain-model.md, "Effects"):
 * `{ on: Order.created, forEach: items, target: product.inventory, call: reserve, with: { quantity: quantity } }`.
 */
export interface ReactionDocument {
  /** `<Entity>.created`, `<Entity>.updated`, `<Entity>.<transition>`, or the event a transition raises (`PaymentSucceeded`). */
  on: string;
  /** For `<Entity>.updated`: the condition on the changed entity the update makes hold (`status == 'suspended'`). */
  when?: string;
  /** A one-to-many relation of the changed entity: the reaction runs once per related record. */
  forEach?: string;
  /** Which of those records (a condition over the record, without the caller). */
  where?: string;
  /** Relations followed from the record (or the changed entity) to what is acted on (`product.inventory`, `order`). */
  target?: string;
  /** A method or transition of the target. */
  call?: string;
  /** The method's arguments: parameter -> expression over the record (or the changed entity). */
  with?: Record<string, string | number | boolean>;
  /** Creates an entity instead of calling one: its name, and its fields and references from expressions. */
  create?: string;
  values?: Record<string, string | number | boolean>;
  /** Calls an external service's operation (`PaymentGateway.charge`) once the change has committed; `with` gives its input. */
  gateway?: string;
  /** Outcome of the gateway's operation -> the transition of the changed entity it leads to. */
  outcomes?: Record<string, string>;
  /** A field of the changed entity that keeps the gateway's reason for an outcome (`failureReason`). */
  reason?: string;
}

/** A named change of an entity's fields with parameters (`reserve(quantity)`); the invariants decide whether it may happen. */
export interface MethodDocument {
  description?: string;
  params?: Record<string, 'integer' | 'number' | 'string' | 'boolean'>;
  /** Field -> its new value, an expression over the fields and the parameters (`reserved: reserved + quantity`). */
  set: Record<string, string>;
}

/** A rule over the entity and the entities it refers to, checked when one is created (`product.active`). */
export interface CheckDocument {
  name: string;
  check: string;
  /** The error code a broken check answers with (the spec's, e.g. PAYMENT_AMOUNT_MISMATCH). */
  code: string;
  /** 422 (the default: the request cannot be carried out as sent) or 409 (the state of what it refers to forbids it). */
  status?: 409 | 422;
  message?: string;
}

/**
 * Sign-in from declarations (docs/security.md, "Sign-in"): the credentials entity and its fields, the
 * session entity that holds the refresh tokens, the token lifetimes, the lockout, and which operations
 * of the spec log in, refresh, log out, return the caller and change the password.
 */
export interface SignInDocument {
  entity: string;
  identifier: string;
  password: string;
  roles?: string;
  activeWhen?: string;
  sessions: string;
  accessTokenMinutes?: number;
  refreshTokenDays?: number;
  lockout?: { attempts?: number; minutes?: number; addressAttempts?: number };
  /** What a new password must satisfy (password change, creating a user). */
  passwordPolicy?: { minLength?: number; requireUppercase?: boolean; requireLowercase?: boolean; requireDigit?: boolean; requireSymbol?: boolean };
  /** Where the permissions the current user gets come from: the roles' entity, its name field and its permissions field. */
  rolePermissions?: { entity: string; name: string; permissions: string };
  operations: Partial<Record<'login' | 'refresh' | 'logout' | 'me' | 'changePassword', string>>;
}

/** A resource mapped to an entity, with API names that differ from the entity's field names. */
export interface MappingDocument {
  entity: string;
  /** API property or parameter name -> entity field name (`price: priceCents`). */
  fields?: Record<string, string>;
  /** The request body property whose value is the audit record's reason (an audited entity's writes). */
  auditReason?: string;
}

export interface EntityDocument {
  description?: string;
  table?: string;
  /** The entity's previous name, so the next migration renames its table instead of dropping it. */
  renamedFrom?: string;
  aggregate?: string;
  identity?: 'uuid' | 'serial';
  timestamps?: boolean;
  softDelete?: boolean;
  versioned?: boolean;
  /** Every change of a row is recorded in audit_log. */
  audited?: boolean;
  fields: Record<string, FieldDocument>;
  relations?: Record<string, RelationDocument>;
  indexes?: { name?: string; fields: string[]; unique?: boolean | 'ignore-case' }[];
  invariants?: InvariantDocument[];
  stateMachine?: StateMachineDocument;
  computed?: Record<string, ComputedDocument>;
  policies?: PoliciesDocument;
  deleteRefusedWhile?: DeleteRefusalDocument[];
  changesRefusedWhile?: ChangeRefusalDocument[];
  methods?: Record<string, MethodDocument>;
  checks?: CheckDocument[];
}

/** Updates and deletes of a row refused while a condition on the row holds (`builtIn`), with the design's error code. */
export interface ChangeRefusalDocument {
  when: string;
  code: string;
  message?: string;
  /** Which changes are refused; default both. */
  refuses?: ('update' | 'delete')[];
}

/** A delete refused while related records match (`orders` with `status in ['pending', 'paid']`), with the design's error code. */
export interface DeleteRefusalDocument {
  relation: string;
  where?: string;
  code: string;
  message?: string;
}

/**
 * Who may do what with the entity's rows: an action (`read`, `list`, `create`, `update`, `delete`, or a
 * transition's name) -> a rule over the caller and the row; `onDenied` says how a row the caller may
 * not read answers (404 by default, so existence does not leak).
 */
export type PoliciesDocument = { onDenied?: 'not-found' | 'forbidden' } & Record<string, string>;

/** A read-only value derived from the entity's fields (`available: onHand - reserved`). */
export interface ComputedDocument {
  type: 'integer' | 'number' | 'boolean';
  value: string;
  description?: string;
}

export interface ValueObjectDocument {
  description?: string;
  fields: Record<string, FieldDocument>;
  invariants?: InvariantDocument[];
}

export interface FieldDocument {
  type: string;
  description?: string;
  required?: boolean;
  /** `ignore-case`: values that differ only in case count as the same. */
  unique?: boolean | 'ignore-case';
  /** A list or an object only for a json field. */
  default?: string | number | boolean | unknown[] | Record<string, unknown>;
  values?: string[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  precision?: number;
  scale?: number;
  column?: string;
  renamedFrom?: string;
  /** A credential or other secret: never searched by a list's free-text query. Default: whether the name looks like one. */
  secret?: boolean;
  /** Set on creation: `product.priceCents` (copied from a reference) or `sum(items.lineTotalCents)`. */
  from?: string;
}

export interface RelationDocument {
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: string;
  description?: string;
  required?: boolean;
  inverse?: string;
  onDelete?: 'cascade' | 'restrict' | 'set-null';
  joinTable?: string;
}

export interface InvariantDocument {
  name: string;
  check: string;
  message?: string;
  /** The design's error code for a change that would break it (INSUFFICIENT_STOCK); without one: a validation error. */
  code?: string;
  /** With `code`: 422 (default) or 409. */
  status?: 409 | 422;
}

export interface StateMachineDocument {
  field: string;
  initial: string;
  transitions: Record<string, { from: string | string[]; to: string; event?: string }>;
  /** The states in which the fields may be changed (PUT, PATCH); other states answer 409. Default: all. */
  updatableIn?: string[];
  /** The states in which the entity may be deleted; other states answer 409. Default: all. */
  deletableIn?: string[];
}

/**
 * An overlay: the behaviour of a domain model whose structure comes from DBML or PostgreSQL DDL
 * (`structure`, relative to the overlay). Same shape as the model file; entities and fields refine
 * what the structure gives (docs/domain-model.md, "Importing DBML and SQL").
 */
export interface OverlayDocument {
  schemaVersion: 1;
  structure: string;
  entities?: Record<string, OverlayEntityDocument>;
  valueObjects?: Record<string, ValueObjectDocument>;
  mapping?: Record<string, string | MappingDocument>;
  reactions?: ReactionDocument[];
  gateways?: Record<string, GatewayDocument>;
  signIn?: SignInDocument;
}

export interface OverlayEntityDocument {
  description?: string;
  table?: string;
  renamedFrom?: string;
  aggregate?: string;
  audited?: boolean;
  fields?: Record<string, OverlayFieldDocument>;
  relations?: Record<string, OverlayRelationDocument>;
  invariants?: InvariantDocument[];
  stateMachine?: StateMachineDocument;
  computed?: Record<string, ComputedDocument>;
  policies?: PoliciesDocument;
  deleteRefusedWhile?: DeleteRefusalDocument[];
  changesRefusedWhile?: ChangeRefusalDocument[];
  methods?: Record<string, MethodDocument>;
  checks?: CheckDocument[];
}

/** Without `type`, refines the column field of the same name; with a value object `type`, takes that value object's columns. */
export interface OverlayFieldDocument {
  type?: string;
  description?: string;
  min?: number;
  max?: number;
  minLength?: number;
  pattern?: string;
  /** The structure's unique column also refuses values that differ only in case. */
  unique?: 'ignore-case';
  column?: string;
  renamedFrom?: string;
  /** Set on creation, as in a model file: `product.priceCents` or `sum(items.lineTotalCents)`. */
  from?: string;
}

/** Without `kind`, describes the relation a foreign key gives; with `kind`, adds a one-to-many or many-to-many. */
export interface OverlayRelationDocument {
  kind?: 'one-to-many' | 'many-to-many';
  target?: string;
  description?: string;
  inverse?: string;
  joinTable?: string;
}
