import type { CrudOperation, InputProperty } from '../model/crud/types.js';
import type { DomainModel, Entity, Field } from '../model/domain/types.js';
import { isRecord } from '../model/json-schema.js';
import type { JsonSchema, Operation, Parameter } from '../model/types.js';
import type { RouteEntry } from './route-entry.js';

/**
 * What a column can hold, as JSON Schema keywords for the request values stored in it: an `integer`
 * column takes int4, a `varchar(n)` n characters, no text or jsonb the NUL character
 * (`noNulCharacters`, a keyword of the generated validation), a uuid column a UUID. Added to the
 * route's request schemas of implemented operations, so that a value the database would refuse is a
 * 400 from validation, not a database error. The served spec (/openapi.json) keeps what it says.
 */
export type Bounds = Record<string, unknown>;

const INT4 = { minimum: -2147483648, maximum: 2147483647 };
/** int8 holds more, but a JSON number beyond this is no longer exact. */
const INT8 = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
const NO_NUL = { noNulCharacters: true };

export function withStorageBounds(route: RouteEntry, operation: CrudOperation, domain: DomainModel): RouteEntry {
  const entity = domain.entities.find((e) => e.names.original === operation.entity);
  if (!entity) return route;
  const schema = { ...route.schema };
  const params: Record<string, Bounds> = {};
  if (operation.idParameter) setIf(params, operation.idParameter, memberBounds(entity, operation.idField, domain));
  if (operation.scope) {
    const parent = domain.entities.find((e) => e.names.original === operation.scope?.parentEntity);
    if (parent) setIf(params, operation.scope.parameter, identityBounds(parent));
  }
  const query: Record<string, Bounds> = {};
  for (const filter of operation.list?.filters ?? []) {
    if (filter.operator === 'search') {
      query[filter.parameter] = NO_NUL;
      continue;
    }
    const bounds = filter.fields[0] === undefined ? undefined : memberBounds(entity, filter.fields[0], domain);
    if (!bounds) continue;
    query[filter.parameter] = filter.operator === 'in' ? { items: bounds } : filter.operator === 'range' ? { properties: { gte: bounds, lte: bounds } } : bounds;
  }
  if (Object.keys(params).length > 0) schema.params = withBounds(schema.params, { properties: params });
  if (Object.keys(query).length > 0) schema.querystring = withBounds(schema.querystring, { properties: query });
  const body = bodyBounds(operation, entity, domain);
  if (body && isRecord(schema.body) && isRecord(schema.body.content)) {
    const content = Object.fromEntries(Object.entries(schema.body.content).map(([mediaType, media]) => [mediaType, isRecord(media) ? { ...media, schema: withBounds(media.schema, body) } : media]));
    schema.body = { ...schema.body, content };
  }
  return { ...route, schema };
}

function bodyBounds(operation: CrudOperation, entity: Entity, domain: DomainModel): Bounds | undefined {
  const properties: Record<string, Bounds> = {};
  const own = inputBounds(operation.input, (field) => memberBounds(entity, field, domain), domain);
  if (own) Object.assign(properties, own.properties);
  for (const child of operation.childInputs) {
    const childEntity = domain.entities.find((e) => e.names.original === child.entity);
    const items = childEntity && inputBounds(child.input, (field) => memberBounds(childEntity, field, domain), domain);
    if (items) properties[child.property] = { items };
  }
  return Object.keys(properties).length > 0 ? { properties } : undefined;
}

function inputBounds(inputs: InputProperty[], boundsOf: (field: string) => Bounds | undefined, domain: DomainModel): { properties: Record<string, Bounds> } | undefined {
  const properties: Record<string, Bounds> = {};
  for (const input of inputs) {
    if (input.kind === 'field') {
      setIf(properties, input.property, boundsOf(input.field));
    } else {
      const valueObject = domain.valueObjects.find((v) => v.names.original === input.valueObject);
      const inner = valueObject && inputBounds(input.properties, (field) => fieldBoundsByName(valueObject.fields, field), domain);
      setIf(properties, input.property, inner);
    }
  }
  return Object.keys(properties).length > 0 ? { properties } : undefined;
}

/** The bounds of an entity's member as the mappers name it: a field, its id, a reference's key, its version. */
function memberBounds(entity: Entity, member: string, domain: DomainModel): Bounds | undefined {
  if (member === 'id') return identityBounds(entity);
  if (member === 'version' && entity.versioned) return INT4;
  const relation = entity.relations.find((r) => r.column !== undefined && `${r.names.camel}Id` === member);
  if (relation) {
    const target = domain.entities.find((e) => e.names.original === relation.target);
    return target && identityBounds(target);
  }
  return fieldBoundsByName(entity.fields, member);
}

function identityBounds(entity: Entity): Bounds {
  return entity.identity === 'serial' ? INT4 : { format: 'uuid' };
}

function fieldBoundsByName(fields: Field[], name: string): Bounds | undefined {
  const field = fields.find((f) => f.names.camel === name);
  return field && fieldBounds(field);
}

/** Follows the column types of src/model/domain/relational-schema.ts. */
export function fieldBounds(field: Field): Bounds | undefined {
  const { maxLength, precision, scale = 0 } = field.constraints;
  switch (field.type) {
    case 'integer':
      return INT4;
    case 'bigint':
      return INT8;
    case 'decimal':
      // numeric(p, s) holds less than 10^(p - s) in magnitude; a decimal sent as a string is checked by the database.
      return precision === undefined ? undefined : { exclusiveMinimum: -(10 ** (precision - scale)), exclusiveMaximum: 10 ** (precision - scale) };
    case 'string':
      return maxLength === undefined ? NO_NUL : { ...NO_NUL, maxLength };
    case 'text':
    case 'json':
      return NO_NUL;
    case 'uuid':
      return { format: 'uuid' };
    default:
      // An enum's values are the spec's own (the binding checks it), dates and booleans are checked by their format and type.
      return undefined;
  }
}

function setIf(target: Record<string, Bounds>, key: string, bounds: Bounds | undefined): void {
  if (bounds) target[key] = bounds;
}

const TIGHTER: Record<string, (a: number, b: number) => number> = {
  minimum: Math.max,
  exclusiveMinimum: Math.max,
  maximum: Math.min,
  exclusiveMaximum: Math.min,
  maxLength: Math.min,
};

/**
 * The schema with the bounds added: merged into an inline schema (the tighter of two limits), or
 * beside a reference or composition in an `allOf`, so that both hold and the spec's own schema is
 * left as it is. Never changes its arguments.
 */
export function withBounds(schema: unknown, bounds: Bounds): unknown {
  if (schema === false) return schema;
  if (!isRecord(schema) || schema.$ref !== undefined || schema.allOf !== undefined || schema.anyOf !== undefined || schema.oneOf !== undefined) return { allOf: [schema ?? {}, bounds] };
  const merged: Record<string, unknown> = { ...schema };
  for (const [keyword, value] of Object.entries(bounds)) {
    const own = schema[keyword];
    if (keyword === 'properties' && isRecord(value)) {
      if (!isRecord(own)) continue;
      merged.properties = Object.fromEntries(Object.entries(own).map(([name, property]) => [name, isRecord(value[name]) ? withBounds(property, value[name] as Bounds) : property]));
    } else if (keyword === 'items' && isRecord(value)) {
      if (own !== undefined) merged.items = withBounds(own, value);
    } else if (keyword in TIGHTER && typeof value === 'number') {
      merged[keyword] = typeof own === 'number' ? (TIGHTER[keyword] as (a: number, b: number) => number)(own, value) : value;
    } else if (keyword === 'format' && own !== undefined && own !== value) {
      // A format of the spec's own (an email kept in a uuid column cannot be): both must hold.
      return { allOf: [schema, bounds] };
    } else {
      merged[keyword] = value;
    }
  }
  return merged;
}

/**
 * The operation with the parameters whose bounded schema adds a format (a uuid for an id the spec
 * calls a string), so that the contract tests' samples pass the route's validation. Numeric bounds
 * leave the spec's sample as it is: it fits them, and a sample at a bound would read oddly.
 */
export function withRouteParameters(operation: Operation, route: RouteEntry): Operation {
  const bounded = (parameter: Parameter): JsonSchema | undefined => {
    const group = parameter.in === 'path' ? route.schema.params : parameter.in === 'query' ? route.schema.querystring : undefined;
    const schema = isRecord(group) && isRecord(group.properties) ? group.properties[parameter.name] : undefined;
    const addsFormat = isRecord(schema) && schema.format !== undefined && !(isRecord(parameter.schema) && parameter.schema.format !== undefined);
    return addsFormat ? (schema as JsonSchema) : undefined;
  };
  return { ...operation, parameters: operation.parameters.map((p) => ({ ...p, schema: bounded(p) ?? p.schema })) };
}
