import type { Names } from '../types.js';
import type { Expression } from './expression.js';

/** The domain model, checked and with every default applied: what the persistence layers are built from. */
export interface DomainModel {
  entities: Entity[];
  valueObjects: ValueObject[];
  /** API resource name -> entity (and API names of its fields), as declared in the model's `mapping`. */
  mapping: Record<string, ResourceMapping>;
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
  default: string | number | boolean | undefined;
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
  description: string;
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
}

export interface ValueObject {
  names: Names;
  fields: Field[];
  invariants: Invariant[];
  description: string;
}
