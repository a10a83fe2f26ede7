import type { FastifySchema, HTTPMethods } from 'fastify';
import type { RequestContext } from '../dto/operation-types.js';

/**
 * One entry of the route table (src/controllers/routes.gen.ts): everything the server needs to
 * serve an operation exactly as the spec declares it.
 */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterSpec {
  /** The name as the spec writes it; the key under which the controller receives the value. */
  name: string;
  /** For path parameters: the router's name for it (spec names may not be valid router names). */
  routeName: string;
  in: ParameterLocation;
  style: 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  explode: boolean;
  /** How the raw string becomes a value before validation. */
  shape: 'primitive' | 'array' | 'object' | 'json';
}

export interface SecurityRequirement {
  schemes: ReadonlyArray<{ key: string; scopes: readonly string[] }>;
}

export interface SuccessResponse {
  status: number;
  /** The first media type is the default; an empty list means no body. */
  mediaTypes: readonly string[];
  /** The service returns `data` and the reply wraps it in `{ success, data, meta }`. */
  envelope: boolean;
  /** Element names when the spec also offers the body as XML. */
  xml?: { root: string; item: string };
}

/** A JSON body with `{ $fill: name }` placeholders, filled from the error when it is sent. */
export type ErrorBodyTemplate = unknown;

export interface OperationInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
  body: unknown;
}

export interface OperationRoute<Controllers> {
  operationId: string;
  method: HTTPMethods;
  url: string;
  summary: string;
  parameters: readonly ParameterSpec[];
  /** Validation (params, querystring, headers, body per media type) and response serialization. */
  schema: FastifySchema;
  /** Cookie parameters, validated with the other parameters. */
  cookies?: JsonSchema;
  requestMediaTypes: readonly string[];
  bodyRequired: boolean;
  /** Declared success responses; when there are several the service returns `{ status, body }`. */
  successes: readonly SuccessResponse[];
  /** Error bodies the operation declares, by status key (`404`, `4XX`, `default`), with their media type. */
  errorBodies: Readonly<Record<string, { mediaType: string; template: ErrorBodyTemplate }>>;
  /** Every error status the spec declares (`404`, `4XX`, `default`), with or without a body. */
  errorStatuses: readonly string[];
  /** The spec's own error codes, in place of house codes (`VALIDATION_FAILED` -> `VALIDATION_ERROR`). */
  errorCodes?: Readonly<Record<string, string>>;
  /** Alternatives (OR) of requirements (AND); empty: open; a requirement with no schemes: optional. */
  security: readonly SecurityRequirement[];
  /** The operation declares an `Idempotency-Key` header: its keys are kept for `ttlSeconds`, else IDEMPOTENCY_TTL_SECONDS (src/middlewares/idempotency.ts). */
  idempotency?: { ttlSeconds?: number };
  handle(controllers: Controllers, input: OperationInput, context: RequestContext): Promise<unknown>;
}
