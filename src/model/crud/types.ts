import type { SignInStep } from '../domain/types.js';
/**
 * How the API's resource-shaped operations map onto the domain model: which entity each one
 * serves, what kind of CRUD it is, and how request and response bodies map to fields. The plan
 * turns this into working service code; what cannot be mapped stays a stub, with the reason.
 */

export type CrudKind = 'list' | 'get' | 'create' | 'replace' | 'update' | 'delete' | 'action';

/**
 * How a value changes type between the API (JSON) and the entity (`json-cast`: a JSON field read back as
 * the spec's type; `password-hash`: a password stored as sign-in's hash, docs/security.md "Sign-in").
 */
export type Conversion = 'none' | 'date-to-string' | 'string-to-date' | 'json-cast' | 'password-hash';

/** One property of a response body and where its value comes from. */
export type OutputProperty =
  | { property: string; kind: 'field'; field: string; conversion: Conversion; nullable: boolean; omitWhenNull: boolean }
  | { property: string; kind: 'links'; links: LinkSpec[] }
  | { property: string; kind: 'value-object'; field: string; shape: OutputShape; nullable: boolean }
  | { property: string; kind: 'children'; relation: string; shape: OutputShape }
  /** A computed value that reads the caller (`current: id == auth.claims.sid`), computed by the mapper with the request's caller. */
  | { property: string; kind: 'caller'; computed: string };

/**
 * A HATEOAS link: a path of the spec filled with the entity's id or one of its references. A link
 * to an action is only given while the entity's state allows it.
 */
export interface LinkSpec {
  name: string;
  /** The spec's path, `/orders/{id}/cancel`. */
  path: string;
  /** Path parameter -> entity property holding its value (`id`, `customerId`). */
  values: Record<string, string>;
  /** The transition that must be allowed for the link to appear. */
  whenAllowed: string | undefined;
}

/** A response object built from an entity (or value object): one mapper function in the project. */
export interface OutputShape {
  /** The mapper's stem: `Product` -> `toProduct`. Unique per project. */
  name: string;
  /** The component schema's name in the spec, for the mapper's return type (undefined: inline schema). */
  component: string | undefined;
  /** The entity or value object it is built from. */
  source: { kind: 'entity' | 'value-object'; name: string };
  properties: OutputProperty[];
}

/** One property of a request body and the field it sets (`nullable`: the API allows null; `fieldNullable`: the field may be empty). */
export type InputProperty =
  | { property: string; kind: 'field'; field: string; conversion: Conversion; optional: boolean; nullable: boolean; fieldNullable: boolean }
  | { property: string; kind: 'value-object'; field: string; valueObject: string; properties: InputProperty[]; optional: boolean; nullable: boolean; fieldNullable: boolean };

/** The parts of an aggregate created with it (`items` of an order), from an array in the request. */
export interface ChildInput {
  property: string;
  relation: string;
  entity: string;
  /** The child's many-to-one back to the root (`order`). */
  inverse: string;
  input: InputProperty[];
  unused: string[];
}

export type FilterOperator = 'eq' | 'in' | 'gte' | 'lte' | 'range' | 'search';

export interface FilterMapping {
  /** The query parameter. */
  parameter: string;
  operator: FilterOperator;
  /** The entity property compared (for `search`: the text fields searched). */
  fields: string[];
  conversion: Conversion;
}

/** How a list pages: page number and size, offset and limit, or an opaque cursor and a limit. */
export type Paging =
  | { style: 'page'; page: string; size: string; defaultSize: number }
  | { style: 'offset'; offset: string; limit: string; defaultSize: number }
  | { style: 'cursor'; cursor: string; limit: string; defaultSize: number };

/** What a member beside the listed items holds (in the envelope's `meta` or the list's wrapper object). */
export type PageValue = 'page' | 'size' | 'offset' | 'total' | 'totalPages' | 'nextCursor' | 'hasMore';

/**
 * One such member; a `nextCursor` that may not be null is left out on the last page. `parents` are
 * the objects it is nested in, outermost first (`meta` of `{ data, meta: { total } }`); none when absent.
 */
export interface PageMember {
  property: string;
  value: PageValue;
  nullable: boolean;
  parents?: string[];
}

export interface ListMapping {
  paging: Paging | undefined;
  sort: { parameter: string; fields: Record<string, string>; defaultValue: string | undefined } | undefined;
  filters: FilterMapping[];
  /** Query parameters with no meaning scaffold knows: a request using one answers 501 until implemented. */
  unsupported: string[];
  /** Accepted and knowingly without effect (sparse fieldsets: the response schema requires every field). */
  ignored: string[];
  /** Members of the envelope's `meta` and their values. */
  meta: PageMember[];
  /**
   * A pagination wrapper around the items (`{ items: [...], total, nextCursor }`, `{ data: [...],
   * meta: { page, total } }`), as the body or as the envelope's `data`: the array's property and the
   * members beside it, directly or in an object of their own.
   */
  wrapper: { items: string; members: PageMember[] } | undefined;
  /** Page links (`self`, `next`, ...) in the envelope's `links`, when the spec has them. */
  pageLinks: { property: string; nullable: boolean }[] | undefined;
}

export interface CrudOperation {
  operationId: string;
  entity: string;
  kind: CrudKind;
  /** The path parameter that identifies the entity (item operations). */
  idParameter: string | undefined;
  /** What that parameter holds: `id`, or a unique field (a natural key such as `username`). */
  idField: string;
  /** A parent in the path (`/customers/{customerId}/orders`): the relation that scopes the entity. */
  scope: { relation: string; parameter: string; parentEntity: string } | undefined;
  /** Addressed through its parent alone (`/products/{productId}/inventory`). */
  singleton: boolean;
  /** The state-machine transition an action performs. */
  transition: string | undefined;
  input: InputProperty[];
  /** Children created with the entity (create only). */
  childInputs: ChildInput[];
  /** The request body may be left out (an action whose body is optional). */
  bodyOptional: boolean;
  /** Request media types that arrive as text (XML, say): answered 501 until implemented. */
  textBodies: string[];
  /** Request properties with no field to go to: accepted and not stored. */
  unusedInput: string[];
  /** The request body property the model's mapping names `auditReason`: the audit record's reason. */
  auditReason?: string | undefined;
  /** A request property the entity's version must equal (optimistic locking). */
  versionProperty: string | undefined;
  /** The request schema requires the version; when optional, a request without it skips the check. */
  versionRequired: boolean;
  /** The `If-Match` header parameter as the spec names it, when it declares one (the ETag is the quoted version). */
  ifMatch: string | undefined;
  /** The success response declares an `ETag` header: it carries the quoted version. */
  etag: boolean;
  /** The success response: its status, whether it is enveloped, the shape of the data (none: no body). */
  response: { status: number; envelope: boolean; shape: OutputShape | undefined; list: boolean; location: boolean };
  list: ListMapping | undefined;
  /** Children loaded with the entity for the response (`items` of an order). */
  children: { relation: string; entity: string; inverse: string }[];
}

export type Implementation =
  | { kind: 'crud'; operation: CrudOperation }
  | { kind: 'domain'; operation: CrudOperation }
  | { kind: 'stub'; reason: string }
  /** A step of the model's sign-in (src/model/crud/bind-sign-in.ts). */
  | { kind: 'sign-in'; step: SignInStep; rules: SignInRules };

/** What a sign-in step enforces, for the report: the refusals it answers and whether it admits only the account itself. */
export interface SignInRules {
  answers: { status: number; code: string }[];
  /** The step throttles failed attempts, per account and per client address (login's lockout). */
  throttlesFailures: boolean;
  /** The step acts on the caller's own account only (a password change). */
  ownAccountOnly: boolean;
  /** How it reads in the report (`lockout after 5 failures for 15 min`). */
  summary: string;
}

/** One line of the generation report per operation. */
export interface ImplementationEntry {
  operationId: string;
  methodName: string;
  signature: string;
  resource: string;
  entity: string | undefined;
  implementation: Implementation;
  /** What the generated implementation leaves out (unused request properties, unsupported filters). */
  notes: string[];
  /** The operation stores a new password and checks it against sign-in's password policy, answering this. */
  passwordPolicy?: { status: number; code: string };
}

export interface CrudModel {
  /** Keyed by operationId. */
  operations: Map<string, ImplementationEntry>;
  /** Every response shape a mapper is generated for. */
  shapes: OutputShape[];
  /** Resources no entity was found for, with the reason. */
  unmapped: { resource: string; reason: string }[];
  /** Item URLs of each entity (`/products/{id}`) for links and Location, by entity name. */
  itemPaths: Map<string, { path: string; parameter: string; field: string }>;
}
