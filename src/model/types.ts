/**
 * The intermediate model: everything later stages need, with names already resolved and
 * free of raw OpenAPI types. Schemas here are plain JSON Schema 2020-12 (3.0 idioms rewritten).
 */
export type JsonSchema = { [key: string]: unknown } | boolean;

export interface ApiModel {
  title: string;
  version: string;
  description: string;
  openapiVersion: '3.0' | '3.1';
  /** Route prefix taken from the first server URL, e.g. `/api/v1`; `''` when the API sits at the root. */
  basePath: string;
  /** Component schemas, each registered once under a stable `$id` and referenced from routes. */
  schemas: SchemaDefinition[];
  resources: Resource[];
  securitySchemes: SecurityScheme[];
  /** True when any success response of the spec has the house envelope `{ success, data, meta?, error? }`. */
  usesEnvelope: boolean;
}

export interface SchemaDefinition {
  /** `$id` under which the schema is registered (also its identifier in generated code). */
  id: string;
  /** The component name as written in the spec. */
  specName: string;
  schema: JsonSchema;
}

export interface Names {
  /** As the spec wrote it. */
  original: string;
  camel: string;
  pascal: string;
  kebab: string;
}

export interface Resource {
  names: Names;
  description: string;
  operations: Operation[];
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export interface Operation {
  /** operationId as written, or a synthesized one when the spec has none. */
  operationId: string;
  /** The method name on the controller and service: a valid, unique identifier. */
  methodName: string;
  /** PascalCase stem for the operation's type names (`UpdatePetInput`). */
  typeName: string;
  method: HttpMethod;
  /** The path as the spec writes it, without the base path: `/pets/{petId}`. */
  path: string;
  /** The router's URL: base path plus the path with `{name}` turned into `:p0`-style safe names. */
  routeUrl: string;
  summary: string;
  description: string;
  deprecated: boolean;
  parameters: Parameter[];
  requestBody: RequestBody | undefined;
  responses: ResponseDefinition[];
  /** Alternatives (OR) of requirements (AND). Empty array: open. A requirement with no schemes: auth optional. */
  security: SecurityRequirement[];
  /** The domain entity named by `x-scaffold-entity` on the operation or its path, if any. */
  entityHint: string | undefined;
  /**
   * Set when the operation declares an `Idempotency-Key` header parameter (any case): the server keeps
   * each key's response and replays it to retries. `ttlSeconds`: the operation's `x-idempotency-ttl`;
   * undefined: the project's default (IDEMPOTENCY_TTL_SECONDS).
   */
  idempotency?: Idempotency | undefined;
}

export interface Idempotency {
  ttlSeconds: number | undefined;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type ParameterStyle = 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
/** How a raw parameter string becomes a value before it is validated against the schema. */
export type ParameterShape = 'primitive' | 'array' | 'object' | 'json';

export interface Parameter {
  name: string;
  /** Name used in the router URL for path parameters (a safe identifier). */
  routeName: string;
  in: ParameterLocation;
  required: boolean;
  style: ParameterStyle;
  explode: boolean;
  shape: ParameterShape;
  schema: JsonSchema;
  description: string;
}

export type MediaKind = 'json' | 'form' | 'multipart' | 'text' | 'binary';

export interface MediaBody {
  mediaType: string;
  kind: MediaKind;
  schema: JsonSchema | undefined;
}

export interface RequestBody {
  required: boolean;
  description: string;
  contents: MediaBody[];
}

export interface ResponseDefinition {
  /** `200`, `4XX` or `default`, as written. */
  status: string;
  description: string;
  contents: MediaBody[];
  headers: { name: string; required: boolean; description: string; schema: JsonSchema }[];
  /** The JSON body has the house envelope: the service returns `data` and the controller wraps it. */
  envelope: boolean;
  /** The error codes the spec documents for this status (src/model/error-codes.ts). */
  codes: DocumentedCodes;
}

export interface DocumentedCodes {
  /** Named for this status: in the operation's or the response's description (`409 VERSION_CONFLICT`), in its examples. */
  stated: string[];
  /** Listed by the error schema's code property (`enum`, `const`, `examples`): the whole API's codes. */
  catalogue: string[];
}

export type SecuritySchemeKind = 'bearer' | 'basic' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'custom';

export interface SecurityScheme {
  /** The key under components.securitySchemes. */
  key: string;
  names: Names;
  kind: SecuritySchemeKind;
  /** For apiKey: where the key travels and under which name. */
  in?: 'header' | 'query' | 'cookie';
  parameterName?: string;
  /** `x-roles-claim`: the JWT claim (or dotted path) that holds the caller's roles. */
  rolesClaim?: string;
  description: string;
}

export interface SecurityRequirement {
  /** `scopes`: the names the requirement lists; roles for schemes other than OAuth2 and OpenID Connect. */
  schemes: { key: string; scopes: string[] }[];
}
