import { specCodeTable } from '../model/error-codes.js';
import { isRecord } from '../model/json-schema.js';
import type { JsonSchema, MediaBody, Operation, Parameter, ResponseDefinition } from '../model/types.js';
import { errorTemplate, type SchemaLookup } from './error-template.js';

/** The data of one route-table entry; rendered as an object literal (see src/controllers/operation-route.ts). */
export interface RouteEntry {
  operationId: string;
  method: string;
  url: string;
  summary: string;
  parameters: { name: string; routeName: string; in: string; style: string; explode: boolean; shape: string }[];
  schema: Record<string, unknown>;
  cookies: JsonSchema | undefined;
  requestMediaTypes: string[];
  bodyRequired: boolean;
  successes: { status: number; mediaTypes: string[]; envelope: boolean; xml?: { root: string; item: string } }[];
  errorBodies: Record<string, { mediaType: string; template: unknown }>;
  /** Every error status the spec declares (`404`, `4XX`, `default`), with or without a body. */
  errorStatuses: string[];
  /** The spec's code for each house code it names otherwise (src/model/error-codes.ts); absent when none. */
  errorCodes?: Record<string, string>;
  security: { schemes: { key: string; scopes: string[] }[] }[];
  /** The operation keeps `Idempotency-Key`s (src/middlewares/idempotency.ts), for its `x-idempotency-ttl` or the project's default. */
  idempotency?: { ttlSeconds?: number };
}

export interface SuccessView {
  status: number;
  /** The key of this response in openapi-typescript's `responses` (`200`, `"2XX"`, `"default"`). */
  specKey: string;
  response: ResponseDefinition;
}

/** Success responses: every 2xx; a `2XX` range as 200; with neither, `default` as 200. */
export function successesOf(operation: Operation): SuccessView[] {
  const exact = operation.responses
    .filter((r) => /^2\d\d$/.test(r.status))
    .map((r) => ({ status: Number(r.status), specKey: r.status, response: r }));
  if (exact.length > 0) return exact.sort((a, b) => a.status - b.status);
  const fallback = operation.responses.find((r) => r.status === '2XX') ?? operation.responses.find((r) => r.status === 'default');
  return fallback ? [{ status: 200, specKey: fallback.status, response: fallback }] : [];
}

/**
 * Element names for an XML rendering of a JSON-described body (`application/xml` beside
 * `application/json`): the component's name for an object, `items` around the component's name for a list.
 */
function xmlNames(contents: MediaBody[], specNameOf: (id: string) => string | undefined): { root: string; item: string } | undefined {
  if (!contents.some((c) => /xml/.test(c.mediaType))) return undefined;
  const schema = jsonContent(contents)?.schema;
  if (!isRecord(schema)) return { root: 'response', item: 'item' };
  const nameOf = (s: unknown) => (isRecord(s) && typeof s.$ref === 'string' ? xmlName(specNameOf(s.$ref.split('#')[0] ?? '') ?? '') : undefined);
  if (schema.type === 'array') return { root: 'items', item: nameOf(schema.items) ?? 'item' };
  return { root: nameOf(schema) ?? 'response', item: 'item' };
}

function xmlName(name: string): string | undefined {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : undefined;
}

export function buildRouteEntry(operation: Operation, lookup: SchemaLookup, specNameOf: (id: string) => string | undefined = () => undefined): RouteEntry {
  const byLocation = (location: Parameter['in']): Parameter[] => operation.parameters.filter((p) => p.in === location);
  const successes = successesOf(operation);
  const schema: Record<string, unknown> = {};
  const params = objectSchema(byLocation('path'), (p) => p.name);
  const querystring = objectSchema(byLocation('query'), (p) => p.name);
  const headers = objectSchema(byLocation('header'), (p) => p.name.toLowerCase());
  if (params) schema.params = params;
  if (querystring) schema.querystring = querystring;
  if (headers) schema.headers = headers;

  const bodies = (operation.requestBody?.contents ?? []).filter((c) => c.schema !== undefined && ['json', 'form', 'multipart'].includes(c.kind));
  if (bodies.length > 0) {
    schema.body = {
      content: Object.fromEntries(bodies.map((c) => [c.mediaType.toLowerCase(), { schema: c.kind === 'multipart' ? relaxBinaryFields(c.schema as JsonSchema) : c.schema }])),
    };
  }

  const errorBodies: RouteEntry['errorBodies'] = {};
  for (const declared of operation.responses) {
    if (/^2/.test(declared.status)) continue;
    const json = jsonContent(declared.contents);
    if (json?.schema === undefined) continue;
    errorBodies[declared.status] = { mediaType: json.mediaType, template: errorTemplate(json.schema, lookup) };
  }
  const serialized = Object.entries(serializedResponses(operation));
  if (serialized.length > 0) schema.response = Object.fromEntries(serialized.map(([key, body]) => [key, body.schema]));
  const errorCodes = specCodeTable(operation);

  return {
    operationId: operation.operationId,
    method: operation.method.toUpperCase(),
    url: operation.routeUrl,
    summary: operation.summary,
    parameters: operation.parameters.map(({ name, routeName, in: location, style, explode, shape }) => ({ name, routeName, in: location, style, explode, shape })),
    schema,
    cookies: objectSchema(byLocation('cookie'), (p) => p.name),
    requestMediaTypes: (operation.requestBody?.contents ?? []).map((c) => c.mediaType.toLowerCase()),
    bodyRequired: operation.requestBody?.required === true,
    successes: successes.map((s) => {
      const xml = xmlNames(s.response.contents, specNameOf);
      return { status: s.status, mediaTypes: s.response.contents.map((c) => c.mediaType), envelope: s.response.envelope, ...(xml && { xml }) };
    }),
    errorBodies,
    errorStatuses: operation.responses.filter((r) => !/^2/.test(r.status)).map((r) => r.status),
    ...(Object.keys(errorCodes).length > 0 && { errorCodes }),
    security: operation.security.map((r) => ({ schemes: r.schemes.map((s) => ({ key: s.key, scopes: s.scopes })) })),
    ...(operation.idempotency && { idempotency: operation.idempotency.ttlSeconds === undefined ? {} : { ttlSeconds: operation.idempotency.ttlSeconds } }),
  };
}

/** A JSON body the route serializes: the response's status and media type as the spec declares them. */
export interface SerializedResponse {
  status: string;
  mediaType: string;
  schema: JsonSchema;
}

/**
 * The JSON bodies of an operation's responses by their key in the route's `schema.response`, which
 * is what Fastify compiles a serializer for: successes under their status (`2XX` or `default` alone
 * as 200), then errors under theirs in lower case (`404`, `4xx`, `default`).
 */
export function serializedResponses(operation: Operation): Record<string, SerializedResponse> {
  const bodies: Record<string, SerializedResponse> = {};
  for (const success of successesOf(operation)) {
    const json = jsonContent(success.response.contents);
    if (json?.schema !== undefined) bodies[String(success.status)] = { status: success.specKey, mediaType: json.mediaType, schema: json.schema };
  }
  for (const declared of operation.responses) {
    if (/^2/.test(declared.status)) continue;
    const json = jsonContent(declared.contents);
    if (json?.schema !== undefined) bodies[declared.status.toLowerCase()] = { status: declared.status, mediaType: json.mediaType, schema: json.schema };
  }
  return bodies;
}

export function jsonContent(contents: MediaBody[]): MediaBody | undefined {
  return contents.find((c) => c.kind === 'json');
}

function objectSchema(parameters: Parameter[], key: (p: Parameter) => string): JsonSchema | undefined {
  if (parameters.length === 0) return undefined;
  const required = parameters.filter((p) => p.required).map(key);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [key(p), p.schema])),
    ...(required.length > 0 && { required }),
  };
}

/** Multipart files arrive as Buffers, which a `type: string, format: binary` schema would reject. */
function relaxBinaryFields(schema: JsonSchema): JsonSchema {
  if (!isRecord(schema) || !isRecord(schema.properties)) return schema;
  const isBinary = (s: unknown): boolean => isRecord(s) && (s.format === 'binary' || s.format === 'byte' || s.contentMediaType !== undefined);
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => {
      if (isBinary(property)) return [name, {}];
      if (isRecord(property) && isBinary(property.items)) return [name, { ...property, items: {} }];
      return [name, property];
    }),
  );
  return { ...schema, properties };
}
