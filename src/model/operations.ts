import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  HTTP_METHODS,
  type HeaderObject,
  type MediaTypeObject,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type PathItem,
  type RequestBodyObject,
  type ResponseObject,
} from '../load/openapi-types.js';
import { isEnvelope } from './envelope.js';
import { documentedCodes } from './error-codes.js';
import type { SchemaConverter, SchemaView } from './json-schema.js';
import { mediaKind } from './media.js';
import { camelCase, NameRegistry } from './naming.js';
import { buildParameter, isIgnoredParameter } from './parameters.js';
import { deref } from './resolve-ref.js';
import { buildRequirements } from './security.js';
import type { ApiModel, Idempotency, MediaBody, Operation, Parameter, RequestBody, ResponseDefinition } from './types.js';

/** An operation before names are assigned (names depend on the whole set, so they come last). */
export type DraftOperation = Omit<Operation, 'methodName' | 'typeName'> & { tags: string[] };

export function buildOperations(
  document: OpenApiDocument,
  basePath: string,
  converter: SchemaConverter,
  diagnostics: Diagnostic[],
): DraftOperation[] {
  const operations: DraftOperation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = deref<PathItem>(document, rawItem);
    const unroutable = unroutableLiteral(path);
    if (unroutable) diagnostics.push(error('SCF010', `${path}: ${unroutable}`, { pointer: `/paths/${escapePointer(path)}` }, 'rename the path; a literal `:` or `(` is served as written'));
    for (const method of HTTP_METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const pointer = `/paths/${escapePointer(path)}/${method}`;
      operations.push(buildOperation(document, basePath, path, method, item, raw, converter, pointer, diagnostics));
    }
  }
  reportRouteCollisions(operations, diagnostics);
  return operations;
}

function buildOperation(
  document: OpenApiDocument,
  basePath: string,
  path: string,
  method: (typeof HTTP_METHODS)[number],
  item: PathItem,
  raw: OperationObject,
  converter: SchemaConverter,
  pointer: string,
  diagnostics: Diagnostic[],
): DraftOperation {
  const operationId = raw.operationId ?? synthesizeOperationId(method, path);
  if (raw.operationId === undefined) {
    diagnostics.push(warning('SCF101', `${method.toUpperCase()} ${path} has no operationId; named "${operationId}"`, { pointer }));
  }
  const { routePath, routeNames } = toRoutePath(path);
  const parameters = mergeParameters(document, item.parameters, raw.parameters)
    .filter((p) => !isIgnoredParameter(p))
    .map((p, i) => buildParameter(p, routeNames.get(p.name) ?? p.name, converter, `${pointer}/parameters/${i}`, (schema) => deref(document, schema)));
  for (const name of routeNames.keys()) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      // A template variable without a declaration: still a string segment, so accept it as one.
      parameters.push({ name, routeName: routeNames.get(name) ?? name, in: 'path', required: true, style: 'simple', explode: false, shape: 'primitive', schema: { type: 'string' }, description: '' });
      diagnostics.push(warning('SCF105', `path parameter {${name}} of ${method.toUpperCase()} ${path} is not declared; treated as a string`, { pointer }));
    }
  }
  const droppedPathParameters = parameters.filter((p) => p.in === 'path' && !routeNames.has(p.name));
  for (const p of droppedPathParameters) {
    diagnostics.push(warning('SCF105', `path parameter "${p.name}" of ${method.toUpperCase()} ${path} does not occur in the path; ignored`, { pointer }));
  }
  const kept = parameters.filter((p) => !droppedPathParameters.includes(p));
  const idempotency = idempotencyOf(raw, kept, method, path, pointer, diagnostics);
  return {
    operationId,
    tags: raw.tags ?? [],
    method,
    path,
    routeUrl: `${basePath}${routePath}` || '/',
    summary: raw.summary ?? '',
    description: raw.description ?? '',
    deprecated: raw.deprecated === true,
    parameters: kept,
    requestBody: buildRequestBody(document, raw.requestBody, converter, `${pointer}/requestBody`),
    responses: buildResponses(document, raw.responses ?? {}, converter, `${pointer}/responses`, raw.description ?? ''),
    security: buildRequirements(raw.security ?? document.security),
    entityHint: entityHint(raw) ?? entityHint(item),
    ...(idempotency && { idempotency }),
  };
}

/** Whether some operation of the API declares an `Idempotency-Key` header. */
export function declaresIdempotency(model: ApiModel): boolean {
  return model.resources.some((r) => r.operations.some((o) => o.idempotency !== undefined));
}

/** The header that makes an operation idempotent (RFC draft-ietf-httpapi-idempotency-key-header), in any case. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * An operation that declares an `Idempotency-Key` header keeps each key's response for its retries;
 * `x-idempotency-ttl` (a positive whole number of seconds) says for how long, else the project's default.
 */
function idempotencyOf(raw: OperationObject, parameters: Parameter[], method: string, path: string, pointer: string, diagnostics: Diagnostic[]): Idempotency | undefined {
  const declared = parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
  const ttl: unknown = (raw as Record<string, unknown>)['x-idempotency-ttl'];
  const ttlPointer = { pointer: `${pointer}/x-idempotency-ttl` };
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl > 0)) {
    diagnostics.push(error('SCF085', `x-idempotency-ttl of ${method.toUpperCase()} ${path} is ${JSON.stringify(ttl)}, not a positive whole number of seconds`, ttlPointer, 'write the retention in seconds: 86400 for 24 hours'));
    return undefined;
  }
  if (!declared) {
    if (ttl !== undefined) diagnostics.push(warning('SCF106', `${method.toUpperCase()} ${path} has x-idempotency-ttl but no Idempotency-Key header parameter; ignored`, ttlPointer, 'declare the header (a parameter `in: header` named Idempotency-Key) or remove the extension'));
    return undefined;
  }
  return { ttlSeconds: ttl as number | undefined };
}

/** `x-scaffold-entity: Order` on an operation or path item names the entity it serves. */
function entityHint(object: object): string | undefined {
  const value = (object as Record<string, unknown>)['x-scaffold-entity'];
  return typeof value === 'string' ? value : undefined;
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeParameters(
  document: OpenApiDocument,
  pathLevel: PathItem['parameters'],
  operationLevel: OperationObject['parameters'],
): ParameterObject[] {
  const merged = new Map<string, ParameterObject>();
  for (const raw of [...(pathLevel ?? []), ...(operationLevel ?? [])]) {
    const parameter = deref<ParameterObject>(document, raw);
    merged.set(`${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`, parameter);
  }
  return [...merged.values()];
}

function buildRequestBody(document: OpenApiDocument, raw: OperationObject['requestBody'], converter: SchemaConverter, pointer: string): RequestBody | undefined {
  if (raw === undefined) return undefined;
  const body = deref<RequestBodyObject>(document, raw);
  const contents = buildContents(body.content, converter, 'request', `${pointer}/content`);
  if (contents.length === 0) return undefined;
  return { required: body.required === true, description: body.description ?? '', contents };
}

function buildResponses(document: OpenApiDocument, raw: Record<string, unknown>, converter: SchemaConverter, pointer: string, operationDescription: string): ResponseDefinition[] {
  return Object.entries(raw).map(([status, value]) => {
    const response = deref<ResponseObject>(document, value as ResponseObject);
    const responsePointer = `${pointer}/${status}`;
    const contents = buildContents(response.content, converter, 'response', `${responsePointer}/content`);
    const jsonSchema = Object.entries(response.content ?? {}).find(([type]) => mediaKind(type) === 'json')?.[1].schema;
    const key = status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase();
    return {
      status: key,
      description: response.description ?? '',
      contents,
      headers: Object.entries(response.headers ?? {}).map(([name, header]) => {
        const resolved = deref<HeaderObject>(document, header);
        return {
          name,
          required: resolved.required === true,
          description: resolved.description ?? '',
          schema: resolved.schema === undefined ? {} : converter.convert(resolved.schema, 'response', `${responsePointer}/headers/${name}`),
        };
      }),
      envelope: /^2/.test(status) && jsonSchema !== undefined && isEnvelope(document, jsonSchema),
      codes: documentedCodes(document, operationDescription, key, response),
    };
  });
}

function buildContents(content: Record<string, MediaTypeObject> | undefined, converter: SchemaConverter, view: SchemaView, pointer: string): MediaBody[] {
  return Object.entries(content ?? {}).map(([mediaType, media]) => ({
    mediaType,
    kind: mediaKind(mediaType),
    schema: media.schema === undefined ? undefined : converter.convert(media.schema, view, `${pointer}/${escapePointer(mediaType)}/schema`),
  }));
}

/**
 * Why Fastify's router (find-my-way) cannot serve the path's literal text as written, if it cannot. It
 * reads `*` as a wildcard, which must end a route and then matches anything, and has no escape for it.
 * (`:` is escaped as `::` by toRoutePath; `(` is a pattern only right after a parameter's name, and
 * every parameter followed by other text gets an explicit pattern, so a literal `(` stays literal.)
 */
export function unroutableLiteral(path: string): string | undefined {
  const literal = path.replace(/\{[^}]*\}/g, '');
  return literal.includes('*') ? 'a `*` in the path is a wildcard to the router of the generated server (it would match any text, or refuse to start), and it cannot be escaped' : undefined;
}

/** A path parameter followed by more text in its segment: the shortest run of characters other than `/`. */
const PARAMETER_IN_SEGMENT = '[^/]+?';

/** `/pets/{pet-id}/photos/{name}.jpg` -> `/pets/:petId/photos/:name.jpg`, and the spec->router name map. */
export function toRoutePath(path: string): { routePath: string; routeNames: Map<string, string> } {
  const registry = new NameRegistry();
  const routeNames = new Map<string, string>();
  const parts = path.split(/(\{[^}]*\})/);
  const routePath = parts
    .map((part, index) => {
      const name = /^\{([^}]*)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/:/g, '::'); // a literal colon, escaped for the router
      const routeName = routeNames.get(name) ?? registry.claim(camelCase(name, 'param'));
      routeNames.set(name, routeName);
      // The router ends a parameter name only at `/`, `-` or `.`: before any other text in the same
      // segment (`{id},{step}`, `{page}{ext}`), an explicit pattern has to end it.
      const following = parts[index + 1] === '' ? (parts[index + 2] ?? '') : (parts[index + 1] ?? '');
      return following === '' || /^[/.-]/.test(following) ? `:${routeName}` : `:${routeName}(${PARAMETER_IN_SEGMENT})`;
    })
    .join('')
    .replace(/\/+$/, '');
  return { routePath, routeNames };
}

function synthesizeOperationId(method: string, path: string): string {
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/\{([^}]*)\}/g, 'by $1'));
  return camelCase(`${method} ${segments.join(' ')}`, method);
}

function reportRouteCollisions(operations: DraftOperation[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, DraftOperation>();
  for (const operation of operations) {
    const shape = `${operation.method} ${operation.routeUrl.replace(/:[A-Za-z0-9_]+/g, ':')}`;
    const first = seen.get(shape);
    if (first) {
      diagnostics.push(
        error('SCF011', `${operation.method.toUpperCase()} ${operation.path} and ${first.method.toUpperCase()} ${first.path} are the same route`, {
          pointer: `/paths/${escapePointer(operation.path)}/${operation.method}`,
        }, 'OpenAPI forbids templated paths that differ only in parameter names; rename or merge one of them'),
      );
    } else seen.set(shape, operation);
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export type { Parameter };
