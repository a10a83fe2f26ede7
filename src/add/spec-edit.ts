import { fail } from '../diagnostics/diagnostic.js';
import { kebabCase, pascalCase } from '../model/naming.js';
import { cloneList, findConventions, operationKind, singularOf, specOperations, type Conventions } from './conventions.js';
import { fieldSchema, type FieldSpec } from './fields.js';
import type { DesignSource } from './yaml-splice.js';

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const isHttpMethod = (value: string): value is HttpMethod => (HTTP_METHODS as readonly string[]).includes(value);

/**
 * What the spec already does, so that added operations look like their neighbours: the envelope
 * schemas of its responses (cloned with the new entity), its shared id and paging parameters, the
 * shared error responses it refers to per status, its id schema, whether operations carry tags.
 */
interface HouseStyle {
  /** An existing single-item envelope and list envelope, and the entity schema each wraps. */
  envelope?: { item: [string, Json]; list?: [string, Json] };
  idParameter?: string;
  pageParameters: string[];
  errorResponses: Map<string, unknown>;
  idSchema: Json;
  tags: boolean;
  secured: boolean;
  /** What the existing operations do: their list response, security and error responses. */
  conventions: Conventions;
}

const ref = (target: string) => ({ $ref: target });
const schemaRef = (name: string) => ref(`#/components/schemas/${name}`);

function houseStyle(source: DesignSource): HouseStyle {
  const schemas = (source.get(['components', 'schemas']) ?? {}) as Record<string, Json>;
  const parameters = (source.get(['components', 'parameters']) ?? {}) as Record<string, Json>;
  const paths = (source.get(['paths']) ?? {}) as Record<string, Json>;
  const dataRef = (schema: Json, list: boolean): string | undefined => {
    const parts = Array.isArray(schema.allOf) ? (schema.allOf as Json[]) : [];
    const data = parts.map((part) => (part.properties as Record<string, Json> | undefined)?.data).find(Boolean);
    const target = list ? (data?.items as Json | undefined)?.$ref : data?.$ref;
    return typeof target === 'string' && target.startsWith('#/components/schemas/') ? target : undefined;
  };
  const item = Object.entries(schemas).find(([, schema]) => dataRef(schema, false));
  const list = Object.entries(schemas).find(([, schema]) => dataRef(schema, true));
  const operations = Object.entries(paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item?.[m]).map((m) => ({ path, method: m, operation: item[m] as Json })));
  const errorResponses = new Map<string, unknown>();
  for (const { operation } of operations) {
    for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
      if (/^[45]/.test(status) && typeof response?.$ref === 'string' && !errorResponses.has(status)) errorResponses.set(status, response);
    }
  }
  const idParameter = Object.entries(parameters).find(([, p]) => p.in === 'path' && p.name === 'id')?.[0];
  const pageParameters = Object.entries(parameters)
    .filter(([, p]) => p.in === 'query' && /^(page|pageSize|page_size|limit|offset|perPage|per_page|cursor)$/.test(String(p.name)))
    .map(([name]) => name);
  const entityId = Object.values(schemas).map((schema) => (schema.properties as Record<string, Json> | undefined)?.id).find((id) => id && typeof id.type === 'string');
  const idSchema = (idParameter ? parameters[idParameter]!.schema : undefined) ?? (entityId ? { type: entityId.type, ...(entityId.format ? { format: entityId.format } : {}) } : { type: 'string', format: 'uuid' });
  return {
    ...(item && { envelope: { item: [item[0], item[1]], ...(list && { list: [list[0], list[1]] as [string, Json] }) } }),
    idParameter,
    pageParameters,
    errorResponses,
    idSchema: idSchema as Json,
    tags: operations.some(({ operation }) => Array.isArray(operation.tags)),
    secured: Array.isArray(source.get(['security'])) && (source.get(['security']) as unknown[]).length > 0,
    conventions: findConventions(specOperations(paths, HTTP_METHODS), schemas),
  };
}

/** The envelope `example` wraps, cloned to wrap `entity` instead. */
function rewrap(envelope: [string, Json], entity: string): Json {
  const [, schema] = envelope;
  const wrapped = JSON.stringify(schema).replace(/"#\/components\/schemas\/[^"]+"/g, (target) => {
    const original = JSON.parse(target) as string;
    return isEnvelopeData(schema, original) ? JSON.stringify(`#/components/schemas/${entity}`) : target;
  });
  return JSON.parse(wrapped) as Json;
}

function isEnvelopeData(schema: Json, target: string): boolean {
  const data = ((schema.allOf ?? []) as Json[]).map((part) => (part.properties as Record<string, Json> | undefined)?.data).find(Boolean);
  return data?.$ref === target || (data?.items as Json | undefined)?.$ref === target;
}

/**
 * The error responses of a new operation: the shared ones for `statuses` (and 401 when the spec is
 * secured), and those the existing operations of its kind declare.
 */
function errors(style: HouseStyle, statuses: string[], declared: Map<string, unknown> = new Map()): Json {
  const shared = [...statuses, ...(style.secured ? ['401'] : [])].filter((status) => style.errorResponses.has(status));
  const wanted = [...new Set([...shared, ...declared.keys()])].sort();
  return Object.fromEntries(wanted.map((status) => [status, declared.get(status) ?? style.errorResponses.get(status)]));
}

function jsonBody(schema: unknown): Json {
  return { 'application/json': { schema } };
}

export interface ResourceNames {
  /** The resource as the API names it: `reviews` (URL segment), `Reviews` (tag). */
  resource: string;
  /** The entity: `Review`. */
  entity: string;
}

/**
 * Adds the CRUD operations of a new resource and its schemas, in the spec's own style. Returns the
 * conventions of the existing operations it copied, for the command to say.
 */
export function addResourceToSpec(source: DesignSource, names: ResourceNames, fields: readonly FieldSpec[], file?: string): string[] {
  const style = houseStyle(source);
  const { entity } = names;
  const tag = pascalCase(names.resource);
  const collection = `/${kebabCase(names.resource)}`;
  const paths = (source.get(['paths']) ?? {}) as Record<string, Json>;
  const schemas = (source.get(['components', 'schemas']) ?? {}) as Record<string, Json>;
  if (paths[collection] || paths[`${collection}/{id}`]) fail('SCF080', `the spec already has the path ${collection}`, { file, pointer: `/paths/${collection.replace(/\//g, '~1')}` }, 'use `scaffold add endpoint` to add an operation to an existing resource');
  const listTemplate = style.envelope?.list ? undefined : style.conventions.list;
  const pageSchema = listTemplate && cloneList(listTemplate, entity);
  const names_ = [entity, `${entity}Create`, `${entity}Update`, ...(style.envelope ? [`${entity}Envelope`, `${entity}ListEnvelope`] : []), ...(pageSchema?.name ? [pageSchema.name] : [])];
  const taken = names_.filter((name) => schemas[name]);
  if (taken.length > 0) fail('SCF080', `the spec already has the schema${taken.length > 1 ? 's' : ''} ${taken.join(', ')}`, { file, pointer: '/components/schemas' }, 'choose another resource name');

  const properties = Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field.type)]));
  const required = fields.filter((field) => field.required).map((field) => field.name);
  const timestamp = { type: 'string', format: 'date-time', readOnly: true };
  const newSchemas: Record<string, Json> = {
    [entity]: { type: 'object', required: ['id', ...required, 'createdAt', 'updatedAt'], properties: { id: { ...style.idSchema, readOnly: true }, ...properties, createdAt: timestamp, updatedAt: timestamp } },
    [`${entity}Create`]: { type: 'object', additionalProperties: false, ...(required.length > 0 && { required }), properties },
    [`${entity}Update`]: { type: 'object', additionalProperties: false, minProperties: 1, properties },
  };
  let itemSchema: unknown = schemaRef(entity);
  let listSchema: unknown = { type: 'array', items: schemaRef(entity) };
  if (style.envelope) {
    newSchemas[`${entity}Envelope`] = rewrap(style.envelope.item, entity);
    itemSchema = schemaRef(`${entity}Envelope`);
    if (style.envelope.list) {
      newSchemas[`${entity}ListEnvelope`] = rewrap(style.envelope.list, entity);
      listSchema = schemaRef(`${entity}ListEnvelope`);
    }
  }
  const copied: string[] = [];
  if (style.envelope) copied.push(`envelopes: ${entity}Envelope${style.envelope.list ? ` and ${entity}ListEnvelope` : ''}, shaped like ${[style.envelope.item[0], ...(style.envelope.list ? [style.envelope.list[0]] : [])].join(' and ')}`);
  if (listTemplate && pageSchema) {
    if (pageSchema.name) newSchemas[pageSchema.name] = pageSchema.schema;
    listSchema = pageSchema.name ? schemaRef(pageSchema.name) : pageSchema.schema;
    copied.push(pageSchema.name ? `list response: ${pageSchema.name}, shaped like ${listTemplate.component}` : 'list response: shaped like the existing lists');
  }
  // What the existing operations of the same kind declare: their security (scopes renamed for this resource) and error responses.
  const resource = kebabCase(names.resource);
  const schemes = new Set<string>();
  const scopes = new Set<unknown>();
  const securityOf = (path: string, method: string): Json => {
    const security = style.conventions.security(operationKind(path, method), method, resource);
    for (const requirement of (security ?? []) as Record<string, unknown[]>[]) {
      for (const [scheme, required] of Object.entries(requirement)) {
        schemes.add(scheme);
        for (const scope of required) scopes.add(scope);
      }
    }
    return security === undefined ? {} : { security };
  };
  const copiedStatuses = new Set<string>();
  const errorsOf = (path: string, method: string, statuses: string[]): Json => {
    const declared = style.conventions.errors(operationKind(path, method), method, resource);
    for (const status of declared.keys()) copiedStatuses.add(status);
    return errors(style, statuses, declared);
  };
  const item = `${collection}/{id}`;
  const tags = style.tags ? { tags: [tag] } : {};
  const idParameter = style.idParameter ? ref(`#/components/parameters/${style.idParameter}`) : { name: 'id', in: 'path', required: true, schema: style.idSchema };
  const body = (schema: string) => ({ requestBody: { required: true, content: jsonBody(schemaRef(schema)) } });
  const pascalResources = pascalCase(names.resource);
  source.appendToMap(['paths'], {
    [collection]: {
      get: {
        operationId: `list${pascalResources}`,
        ...tags,
        summary: `List ${names.resource}`,
        ...securityOf(collection, 'get'),
        ...(style.pageParameters.length > 0 && { parameters: style.pageParameters.map((name) => ref(`#/components/parameters/${name}`)) }),
        responses: { '200': { description: `A page of ${names.resource}.`, content: jsonBody(listSchema) }, ...errorsOf(collection, 'get', ['400']) },
      },
      post: {
        operationId: `create${entity}`,
        ...tags,
        summary: `Create a ${lowerWords(entity)}`,
        ...securityOf(collection, 'post'),
        ...body(`${entity}Create`),
        responses: { '201': { description: `The ${lowerWords(entity)} was created.`, content: jsonBody(itemSchema) }, ...errorsOf(collection, 'post', ['400']) },
      },
    },
    [item]: {
      parameters: [idParameter],
      get: {
        operationId: `get${entity}`,
        ...tags,
        summary: `Get a ${lowerWords(entity)}`,
        ...securityOf(item, 'get'),
        responses: { '200': { description: `The ${lowerWords(entity)}.`, content: jsonBody(itemSchema) }, ...errorsOf(item, 'get', ['400', '404']) },
      },
      patch: {
        operationId: `update${entity}`,
        ...tags,
        summary: `Update a ${lowerWords(entity)}`,
        ...securityOf(item, 'patch'),
        ...body(`${entity}Update`),
        responses: { '200': { description: `The updated ${lowerWords(entity)}.`, content: jsonBody(itemSchema) }, ...errorsOf(item, 'patch', ['400', '404']) },
      },
      delete: {
        operationId: `delete${entity}`,
        ...tags,
        summary: `Delete a ${lowerWords(entity)}`,
        ...securityOf(item, 'delete'),
        responses: { '204': { description: `The ${lowerWords(entity)} was deleted.` }, ...errorsOf(item, 'delete', ['404']) },
      },
    },
  });
  source.appendToMap(['components', 'schemas'], newSchemas);
  const declaredTags = source.get(['tags']) as { name?: string }[] | undefined;
  if (Array.isArray(declaredTags) && !declaredTags.some((t) => t.name === tag)) source.appendToSeq(['tags'], [{ name: tag }]);
  if (schemes.size > 0) {
    const renames = style.conventions.scopeRenames(resource).filter(([, renamed]) => scopes.has(renamed));
    const scopeNames = renames.map(([scope, renamed]) => `${scope} -> ${renamed}`).join(', ');
    copied.push(`security: ${[...schemes].join(', ')}${renames.length > 0 ? ` with the resource's scopes (${scopeNames})` : ' as the existing operations ask'}`);
  }
  if (copiedStatuses.size > 0) copied.push(`error responses: ${[...copiedStatuses].sort().join(', ')} as the existing operations declare them`);
  return copied;
}

export interface EndpointRequest {
  resource: string;
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
}

/** The resources of the spec: its operations' first tags, or their first path segment when untagged. */
export function specResources(source: DesignSource): string[] {
  const paths = (source.get(['paths']) ?? {}) as Record<string, Json>;
  const found = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item?.[method] as Json | undefined;
      if (!operation) continue;
      const tag = Array.isArray(operation.tags) ? (operation.tags[0] as string | undefined) : undefined;
      const segment = path.split('/').filter(Boolean)[0];
      const name = tag ?? segment;
      if (name) found.add(kebabCase(name));
    }
  }
  return [...found].sort();
}

/** Adds one operation on an existing resource, answering what the resource's `get` answers. */
export function addEndpointToSpec(source: DesignSource, request: EndpointRequest, file?: string): string {
  const style = houseStyle(source);
  const paths = (source.get(['paths']) ?? {}) as Record<string, Json>;
  if (!request.path.startsWith('/')) fail('SCF080', `the path "${request.path}" must start with /`);
  const resource = kebabCase(request.resource);
  const ofResource = Object.entries(paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item?.[m]).map((method) => ({ path, item, method, operation: item[method] as Json })).filter(({ path: p, operation }) => {
      const tag = Array.isArray(operation.tags) ? (operation.tags[0] as string | undefined) : undefined;
      return tag ? kebabCase(tag) === resource : kebabCase(p.split('/').filter(Boolean)[0] ?? '') === resource;
    }),
  );
  if (ofResource.length === 0) fail('SCF080', `the spec has no resource "${request.resource}"`, { file, pointer: '/paths' }, `resources: ${specResources(source).join(', ')}`);
  const existing = paths[request.path]?.[request.method];
  if (existing) fail('SCF080', `the spec already has ${request.method.toUpperCase()} ${request.path}`, { file, pointer: `/paths/${request.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${request.method}` });

  // The resource's own `get` of one item (a path ending in a parameter) tells the response and the parameters.
  const single = ofResource.find(({ method, path }) => method === 'get' && /\/\{[^}]+\}$/.test(path)) ?? ofResource.find(({ method }) => method === 'get');
  const okResponse = single ? Object.entries((single.operation.responses ?? {}) as Record<string, Json>).find(([status]) => status.startsWith('2')) : undefined;
  const sharedParameters = ((single?.item.parameters ?? []) as Json[]).concat((single?.operation.parameters ?? []) as Json[]);
  const pathParameter = (name: string): unknown => {
    const shared = sharedParameters.find((p) => p.name === name || (typeof p.$ref === 'string' && (source.get(['components', 'parameters', p.$ref.split('/').pop()!]) as Json | undefined)?.name === name));
    return shared ?? { name, in: 'path', required: true, schema: name === 'id' ? style.idSchema : { type: 'string' } };
  };
  const parameterNames = [...request.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const tag = single && Array.isArray(single.operation.tags) ? { tags: [single.operation.tags[0]] } : {};
  const staticWords = request.path.split('/').filter((s) => s && !s.startsWith('{')).slice(1).join(' ');
  const operationId = request.operationId ?? `${request.method === 'get' ? 'get' : request.method}${pascalCase(single ? singularOf(request.resource) : request.resource)}${pascalCase(staticWords, '')}`;
  const success = request.method === 'delete' ? { '204': { description: 'Done.' } } : { [okResponse?.[0] === '201' ? '200' : (okResponse?.[0] ?? '200')]: okResponse?.[1] ?? { description: 'OK.' } };
  // A custom endpoint is like the spec's other reads (or writes): their security and error responses.
  const security = style.conventions.security('other', request.method, resource);
  const operation: Json = {
    operationId,
    ...tag,
    summary: request.summary ?? `${request.method.toUpperCase()} ${request.path}`,
    ...(security !== undefined && { security }),
    ...(parameterNames.length > 0 && !paths[request.path] && { parameters: parameterNames.map(pathParameter) }),
    responses: { ...success, ...errors(style, ['400', ...(parameterNames.length > 0 ? ['404'] : [])], style.conventions.errors('other', request.method, resource)) },
  };
  if (paths[request.path]) source.appendToMap(['paths', request.path], { [request.method]: operation });
  else source.appendToMap(['paths'], { [request.path]: { [request.method]: operation } });
  return operationId;
}

function lowerWords(name: string): string {
  return kebabCase(name).replace(/-/g, ' ');
}
