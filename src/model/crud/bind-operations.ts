import { plural } from '../domain/build-domain.js';
import type { DomainModel, Entity } from '../domain/types.js';
import { camelCase, kebabCase } from '../naming.js';
import type { ApiModel, JsonSchema, Operation, Parameter, Resource, ResponseDefinition } from '../types.js';
import { bindInput, bindList, bindOutput, listItems, MappingError, type Binder } from './bind-bodies.js';
import { conversionBetween, entityMembers } from './entity-fields.js';
import { createSchemaReader } from './schema-shape.js';
import type { CrudKind, CrudModel, CrudOperation, ImplementationEntry, OutputShape } from './types.js';

/**
 * Recognizes the resource-shaped operations of a spec and binds each to an entity of the domain
 * model: a collection path (`/books`: list, create), an item path (`/books/{id}`: get, replace,
 * update, delete), a nested collection (`/authors/{id}/books`), a singleton child
 * (`/products/{id}/inventory`) and actions named after state-machine transitions
 * (`POST /orders/{id}/cancel`). Whatever does not fit stays a stub, and the report says why.
 */
export function bindOperations(model: ApiModel, domain: DomainModel): CrudModel {
  const reader = createSchemaReader(model.schemas);
  const entities = new Map(domain.entities.map((e) => [e.names.original, e]));
  const shapes = new Map<string, OutputShape>();
  const operations = new Map<string, ImplementationEntry>();
  const unmapped: CrudModel['unmapped'] = [];
  const itemPaths = findItemPaths(model, domain);
  const paths = new Map<string, Set<string>>();
  for (const operation of model.resources.flatMap((r) => r.operations)) paths.set(operation.path, new Set([...(paths.get(operation.path) ?? []), operation.method]));

  for (const resource of model.resources) {
    const resourceEntity = entityOfResource(resource, domain);
    if (!resourceEntity.entity && !resource.operations.some((o) => o.entityHint)) unmapped.push({ resource: resource.names.original, reason: resourceEntity.reason });
    for (const operation of resource.operations) {
      const signature = `${operation.method.toUpperCase()} ${operation.path}`;
      const entry = (entity: string | undefined, implementation: ImplementationEntry['implementation'], notes: string[] = []): ImplementationEntry => ({
        operationId: operation.operationId,
        methodName: operation.methodName,
        signature,
        resource: resource.names.original,
        entity,
        implementation,
        notes,
      });
      const entityName = operation.entityHint ?? resourceEntity.entity;
      const entity = entityName === undefined ? undefined : entities.get(entityName);
      if (!entity) {
        const reason = operation.entityHint ? `x-scaffold-entity names "${operation.entityHint}", which the domain model does not have` : resourceEntity.reason;
        operations.set(operation.operationId, entry(undefined, { kind: 'stub', reason }));
        continue;
      }
      const aliases = domain.mapping[resource.names.original]?.fields ?? {};
      const binder: Binder = { reader, domain, entities, shapes, aliases, paths, itemPaths };
      try {
        const bound = bindOperation(operation, entity, binder);
        // The mapping's auditReason is no field: it goes to the audit record of the write.
        const auditReason = domain.mapping[resource.names.original]?.auditReason;
        if (auditReason !== undefined && entity.audited && bound.unusedInput.includes(auditReason)) {
          bound.unusedInput = bound.unusedInput.filter((p) => p !== auditReason);
          bound.auditReason = auditReason;
        }
        const notes = [
          ...bound.unusedInput.map((p) => `request property "${p}" is accepted but not stored (no field of ${entity.names.original})`),
          ...(bound.list?.unsupported ?? []).map((p) => `query parameter "${p}" has no field to filter on: a request using it answers 501 until implemented`),
          ...(bound.list?.ignored ?? []).map((p) => `query parameter "${p}" is accepted without effect (the response schema requires every field)`),
          ...bound.textBodies.map((m) => `a ${m} request body answers 501 until implemented (JSON works)`),
        ];
        operations.set(operation.operationId, entry(entity.names.original, { kind: bound.kind === 'action' ? 'domain' : 'crud', operation: bound }, notes));
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        operations.set(operation.operationId, entry(entity.names.original, { kind: 'stub', reason: error.message }));
      }
    }
  }
  return { operations, shapes: [...shapes.values()], unmapped, itemPaths };
}

/** The entity of a resource: the model's mapping, else the resource's name in the singular. */
function entityOfResource(resource: Resource, domain: DomainModel): { entity: string | undefined; reason: string } {
  const mapped = domain.mapping[resource.names.original]?.entity;
  if (mapped) return { entity: mapped, reason: '' };
  const candidates = new Set([resource.names.pascal, ...singulars(resource.names.pascal)]);
  const found = domain.entities.find((e) => candidates.has(e.names.pascal));
  if (found) return { entity: found.names.original, reason: '' };
  return {
    entity: undefined,
    reason: `no entity for resource "${resource.names.original}": name one in the model's mapping (${resource.names.original}: <Entity>) or with x-scaffold-entity`,
  };
}

function singulars(name: string): string[] {
  const out: string[] = [];
  if (/ies$/.test(name)) out.push(`${name.slice(0, -3)}y`);
  if (/(s|x|z|ch|sh)es$/.test(name)) out.push(name.slice(0, -2));
  if (/s$/.test(name)) out.push(name.slice(0, -1));
  return out;
}

interface Segment {
  literal: string | undefined;
  parameter: string | undefined;
}

function segmentsOf(path: string): Segment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const match = /^\{([^{}]+)\}$/.exec(s);
      return match ? { literal: undefined, parameter: match[1] } : { literal: s, parameter: undefined };
    });
}

/** Whether a path segment names an entity's collection (`orders`, `order-items`, its table, ...). */
function namesCollection(segment: string | undefined, entity: Entity): boolean {
  if (segment === undefined) return false;
  const key = kebabCase(segment);
  const name = entity.names.original;
  return [plural(kebabCase(name)), kebabCase(plural(name)), kebabCase(name), kebabCase(entity.table)].includes(key);
}

/** What the path and method decide, before the bodies are bound. */
type ShapedOperation = Pick<CrudOperation, 'operationId' | 'entity' | 'kind' | 'idParameter' | 'idField' | 'scope' | 'singleton' | 'transition'>;

function bindOperation(operation: Operation, entity: Entity, binder: Binder): CrudOperation {
  const segments = segmentsOf(operation.path);
  const last = segments.at(-1);
  const previous = segments.at(-2);
  const method = operation.method;
  const base: Omit<ShapedOperation, 'kind'> = {
    operationId: operation.operationId,
    entity: entity.names.original,
    idParameter: undefined,
    idField: 'id',
    scope: undefined,
    singleton: false,
    transition: undefined,
  };
  let shaped: typeof base & { kind: CrudKind };
  if (!last) throw new MappingError('the root path is not a resource');
  if (last.parameter !== undefined) {
    // An item: /things/{id}, possibly below a parent: /parents/{parentId}/things/{id}.
    const kind = ({ get: 'get', put: 'replace', patch: 'update', delete: 'delete' } as const)[method as 'get'];
    if (!kind) throw new MappingError(`${method.toUpperCase()} on an item is not a CRUD operation`);
    if (previous?.literal === undefined) throw new MappingError('two path parameters in a row do not name an item');
    shaped = { ...base, kind, idParameter: last.parameter, idField: keyOf(entity, last.parameter, operation, binder), scope: scopeOf(entity, segments.slice(0, -2), binder) };
  } else if (previous?.parameter !== undefined) {
    const parentSegments = segments.slice(0, -1);
    const transition = entity.stateMachine?.transitions.find((t) => kebabCase(t.names.original) === kebabCase(last.literal as string));
    if (transition && namesCollection(segments.at(-3)?.literal, entity) && (method === 'post' || method === 'put' || method === 'patch')) {
      shaped = { ...base, kind: 'action', idParameter: previous.parameter, idField: keyOf(entity, previous.parameter, operation, binder), transition: transition.names.camel };
    } else {
      const scope = scopeOf(entity, parentSegments, binder);
      if (!scope) throw new MappingError(`${operation.path} is neither an action of ${entity.names.original} nor reached through one of its relations`);
      const singleton = isSingleton(entity, scope.relation);
      const kinds: Partial<Record<string, CrudKind>> = singleton ? { get: 'get', put: 'replace', patch: 'update' } : { get: 'list', post: 'create' };
      const kind = kinds[method];
      if (!kind) throw new MappingError(`${method.toUpperCase()} on ${singleton ? 'a singleton child' : 'a nested collection'} is not a CRUD operation`);
      shaped = { ...base, kind, scope, singleton };
    }
  } else {
    const kind = ({ get: 'list', post: 'create' } as const)[method as 'get'];
    if (!kind) throw new MappingError(`${method.toUpperCase()} on a collection is not a CRUD operation`);
    shaped = { ...base, kind };
  }
  return bindBodies(operation, entity, shaped, binder);
}

/**
 * What an item path's parameter holds: the id (`{id}`, `{orderId}` for an Order) when its type fits
 * the identity, or a unique field of that name (`{username}`). Anything else is not guessed.
 */
function keyOf(entity: Entity, parameterName: string, operation: Operation, binder: Binder): string {
  const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === parameterName);
  const api = binder.reader.valueType(parameter?.schema);
  const named = entityMembers(entity, binder.domain).get(binder.aliases[parameterName] ?? parameterName);
  const namesId = parameterName === 'id' || camelCase(parameterName) === `${entity.names.camel}Id`;
  if (!namesId && named && named.name !== 'id') {
    const unique = entity.fields.some((f) => f.names.camel === named.name && f.unique);
    if (!unique) throw new MappingError(`path parameter {${parameterName}} names ${entity.names.original}.${named.name}, which is not unique`);
    if (conversionBetween(named, api, 'input') !== 'none') throw new MappingError(`path parameter {${parameterName}} does not fit ${entity.names.original}.${named.name}`);
    return named.name;
  }
  if (!namesId) throw new MappingError(`path parameter {${parameterName}} names neither the id nor a unique field of ${entity.names.original}`);
  const fits = entity.identity === 'serial' ? api.types.has('integer') || api.types.has('number') : api.types.has('string') || api.types.size === 0;
  if (!fits || api.types.size > 1) throw new MappingError(`path parameter {${parameterName}} does not fit ${entity.names.original}'s ${entity.identity} id`);
  return 'id';
}

/** The many-to-one relation that the parent part of a path (`/customers/{customerId}`) stands for. */
function scopeOf(entity: Entity, parentSegments: Segment[], binder: Binder): CrudOperation['scope'] {
  const parameter = parentSegments.at(-1)?.parameter;
  const collection = parentSegments.at(-2)?.literal;
  if (parameter === undefined || collection === undefined) return undefined;
  for (const relation of entity.relations) {
    if (relation.column === undefined) continue;
    const target = binder.entities.get(relation.target);
    if (target && (namesCollection(collection, target) || kebabCase(relation.names.original) === kebabCase(collection))) {
      return { relation: relation.names.camel, parameter, parentEntity: target.names.original };
    }
  }
  return undefined;
}

function isSingleton(entity: Entity, relation: string): boolean {
  const declared = entity.relations.find((r) => r.names.camel === relation);
  return declared?.kind === 'one-to-one' || entity.indexes.some((i) => i.unique && i.fields.length === 1 && camelCase(i.fields[0] ?? '') === relation);
}

function bindBodies(
  operation: Operation,
  entity: Entity,
  shaped: ShapedOperation,
  binder: Binder,
): CrudOperation {
  // A write whose spec declares no success response still does its work and answers an empty 200.
  const declared = successResponse(operation);
  if (!declared && (shaped.kind === 'get' || shaped.kind === 'list')) throw new MappingError('it declares no 2xx response to return the data in');
  const success: ResponseDefinition = declared ?? { status: '200', description: '', contents: [], headers: [], envelope: false, codes: { stated: [], catalogue: [] } };
  const status = Number(success.status.replace(/X/gi, '0'));
  const json = success.contents.find((c) => c.kind === 'json');
  if (success.contents.length > 0 && !json) throw new MappingError(`its ${success.status} response is not JSON`);
  const members = entityMembers(entity, binder.domain);

  let data: JsonSchema | undefined = json?.schema;
  if (json && success.envelope) data = binder.reader.objectShape(json.schema)?.properties.get('data');
  const isList = shaped.kind === 'list';
  let shape: OutputShape | undefined;
  let wrapper: string | undefined;
  if (json) {
    const listed = isList ? listItems(data, entity, binder) : undefined;
    if (isList && listed === undefined) throw new MappingError(`its ${success.status} response holds no array of ${entity.names.original}`);
    wrapper = listed?.wrapper;
    shape = bindOutput((listed?.items ?? data) as JsonSchema, { kind: 'entity', name: entity.names.original }, binder);
  } else if (shaped.kind === 'get' || shaped.kind === 'list') {
    throw new MappingError(`its ${success.status} response has no body to return the ${entity.names.original} in`);
  }

  const body = operation.requestBody?.contents.find((c) => c.kind === 'json');
  if (operation.requestBody && !body) throw new MappingError('its request body is not JSON');
  const others = operation.requestBody?.contents.filter((c) => c.kind !== 'json') ?? [];
  const structured = others.find((c) => c.kind !== 'text');
  if (structured) throw new MappingError(`its request body also comes as ${structured.mediaType}`);
  const takesInput = shaped.kind === 'create' || shaped.kind === 'replace' || shaped.kind === 'update' || shaped.kind === 'action';
  if (!takesInput && body) throw new MappingError(`a ${shaped.kind} operation with a request body`);
  if ((shaped.kind === 'create' || shaped.kind === 'replace' || shaped.kind === 'update') && !body) throw new MappingError(`a ${shaped.kind} operation without a JSON request body`);
  if ((shaped.kind === 'create' || shaped.kind === 'replace') && !operation.requestBody?.required) {
    throw new MappingError(`its request body is optional, and a ${shaped.kind} has nothing to go on without one`);
  }
  const input = body
    ? bindInput(body.schema, entity, members, shaped.kind, shaped.scope?.relation, binder)
    : { input: [], unused: [], versionProperty: undefined, versionRequired: false, children: [] };

  const pathParameters = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const known = new Set([shaped.idParameter, shaped.scope?.parameter].filter((p): p is string => p !== undefined));
  const strays = [...pathParameters].filter((p) => !known.has(p));
  if (strays.length > 0) throw new MappingError(`path parameter${strays.length > 1 ? 's' : ''} ${strays.join(', ')} would be ignored`);

  const children = (shape?.properties ?? []).flatMap((p) => {
    if (p.kind !== 'children') return [];
    const relation = entity.relations.find((r) => r.names.camel === p.relation);
    const target = relation && binder.entities.get(relation.target);
    const inverse = target?.relations.find((r) => r.target === entity.names.original && r.column !== undefined && (relation?.inverse === undefined || r.names.original === relation.inverse));
    if (!target || !inverse) throw new MappingError(`children "${p.relation}" have no relation back to ${entity.names.original}`);
    return [{ relation: p.relation, entity: target.names.original, inverse: inverse.names.camel }];
  });
  if (children.length > 0 && shaped.kind === 'replace') {
    throw new MappingError(`replacing ${entity.names.original} with its ${children.map((c) => c.relation).join(', ')} takes rules scaffold cannot infer (which parts to keep)`);
  }

  const query = operation.parameters.filter((p: Parameter) => p.in === 'query');
  const list = isList ? bindList(query, json?.schema, success.envelope, wrapper, members, binder) : undefined;
  const requiredUnsupported = list?.unsupported.filter((name) => query.some((p) => p.name === name && p.required)) ?? [];
  if (requiredUnsupported.length > 0) throw new MappingError(`its required query parameter "${requiredUnsupported[0]}" has no field to filter on`);
  return {
    ...shaped,
    input: input.input,
    childInputs: input.children,
    bodyOptional: operation.requestBody !== undefined && !operation.requestBody.required,
    textBodies: others.map((c) => c.mediaType),
    unusedInput: input.unused,
    versionProperty: input.versionProperty,
    versionRequired: input.versionRequired,
    ifMatch: entity.versioned && shaped.kind !== 'list' && shaped.kind !== 'create' ? operation.parameters.find((p) => p.in === 'header' && p.name === 'if-match')?.routeName : undefined,
    etag: entity.versioned && shaped.kind !== 'list' && shaped.kind !== 'delete' && success.headers.some((h) => h.name.toLowerCase() === 'etag'),
    response: {
      status,
      envelope: success.envelope,
      shape,
      list: isList,
      location: shaped.kind === 'create' && success.headers.some((h) => h.name.toLowerCase() === 'location'),
    },
    list,
    children,
  };
}

function successResponse(operation: Operation): ResponseDefinition | undefined {
  return operation.responses.filter((r) => /^2/.test(r.status)).sort((a, b) => a.status.localeCompare(b.status))[0];
}

/** Each entity's item path (`GET /orders/{id}`), for self links and `Location`. */
function findItemPaths(model: ApiModel, domain: DomainModel): CrudModel['itemPaths'] {
  const found: CrudModel['itemPaths'] = new Map();
  for (const resource of model.resources) {
    for (const operation of resource.operations) {
      if (operation.method !== 'get') continue;
      const segments = segmentsOf(operation.path);
      const parameter = segments.at(-1)?.parameter;
      const collection = segments.at(-2)?.literal;
      // `/orders/{id}`, `/store/order/{orderId}`: one parameter, at the end, after the collection.
      if (parameter === undefined || segments.filter((s) => s.parameter !== undefined).length !== 1) continue;
      const named = operation.entityHint ?? domain.mapping[resource.names.original]?.entity;
      const entity = domain.entities.find((e) => namesCollection(collection, e)) ?? domain.entities.find((e) => e.names.original === named);
      if (!entity || found.has(entity.names.original)) continue;
      const key = entity.fields.find((f) => f.unique && f.names.camel === (domain.mapping[resource.names.original]?.fields[parameter] ?? parameter));
      found.set(entity.names.original, { path: operation.path, parameter, field: key?.names.camel ?? 'id' });
    }
  }
  return found;
}
