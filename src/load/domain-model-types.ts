/** The domain model file as written (docs/domain-model.md; schemas/domain-model.schema.json). */
export interface DomainModelDocument {
  schemaVersion: 1;
  entities: Record<string, EntityDocument>;
  valueObjects?: Record<string, ValueObjectDocument>;
  mapping?: Record<string, string | MappingDocument>;
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
  default?: string | number | boolean;
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
