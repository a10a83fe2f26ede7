import { isRecord } from '../model/json-schema.js';
import type { JsonSchema } from '../model/types.js';

/**
 * Builds the runtime template of an error body from the schema the spec declares for it, so that
 * every error the server sends validates against that schema. Properties are matched to what an error
 * can say by name (`message`, `code`, `requestId`, ...) and type; required properties nothing matches
 * get a neutral value of their type. Placeholders look like `{ $fill: 'message' }` (see the generated
 * src/utils/error-body.ts).
 */
export type SchemaLookup = (id: string) => JsonSchema | undefined;

const MESSAGE = /^(message|msg|detail|error_?description|error_?message|description|reason|issue|problem)$/i;
const LOCATION = /^(field|path|pointer|location|loc|param|parameter|name|property|source|instance_?path)$/i;
const CODE = /^(code|error_?code|type_?code|errorType)$/i;
const STATUS = /^(status|status_?code|http_?status|http_?code)$/i;
const DETAILS = /^(details|errors|issues|violations|fields|field_?errors|validation_?errors|invalid_?params)$/i;
const REQUEST_ID = /^(request_?id|trace_?id|correlation_?id)$/i;
const TIMESTAMP = /^(timestamp|time|occurred_?at)$/i;
const TITLE = /^(title|error)$/i;
const PATH = /^(path|instance|url)$/i;

export function errorTemplate(schema: JsonSchema | undefined, lookup: SchemaLookup, depth = 0): unknown {
  const resolved = flatten(schema, lookup, 0);
  if (depth > 4 || !resolved) return { $fill: 'message' };
  const type = primaryType(resolved);
  if (type === 'string') return stringValue(resolved, { $fill: 'message' });
  if (type === 'integer' || type === 'number') return { $fill: 'status' };
  if (type !== 'object') return neutral(resolved, lookup);

  const properties = isRecord(resolved.properties) ? resolved.properties : {};
  const required = new Set(Array.isArray(resolved.required) ? resolved.required.map(String) : []);
  const template: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = flatten(raw as JsonSchema, lookup, 0);
    if (!property) continue;
    const value = propertyTemplate(name, property, lookup, depth);
    // An empty list is only worth sending where the schema requires the field; otherwise it is left out.
    if (isRecord(value) && 'fallback' in value && !required.has(name)) delete value.fallback;
    if (value !== undefined) template[name] = value;
    else if (required.has(name)) template[name] = neutral(property, lookup);
  }
  for (const name of required) if (!(name in template)) template[name] = 'error';
  return template;
}

function propertyTemplate(name: string, property: Record<string, unknown>, lookup: SchemaLookup, depth: number): unknown {
  const type = primaryType(property);
  if (name === 'success' && type === 'boolean') return false;
  if (name === 'error' && type === 'object') return errorTemplate(property, lookup, depth + 1);
  // RFC 9457 problem `type`: a URI; without a `format` it is often a code, so the error's code fits either way.
  if (name === 'type' && type === 'string' && property.const === undefined && property.enum === undefined) {
    return String(property.format ?? '').startsWith('uri') ? 'about:blank' : { $fill: 'code' };
  }
  if (STATUS.test(name)) return type === 'string' ? stringValue(property, { $fill: 'statusText' }) : { $fill: 'status' };
  if (CODE.test(name)) return type === 'integer' || type === 'number' ? { $fill: 'status' } : stringValue(property, { $fill: 'code' });
  if (MESSAGE.test(name)) return type === 'string' ? stringValue(property, { $fill: 'message' }) : undefined;
  if (TITLE.test(name) && type === 'string') return stringValue(property, { $fill: 'statusText' });
  if (REQUEST_ID.test(name) && type === 'string') return { $fill: 'requestId' };
  if (TIMESTAMP.test(name) && type === 'string') return { $fill: 'timestamp' };
  if (PATH.test(name) && type === 'string') return { $fill: 'path' };
  if (DETAILS.test(name)) {
    // Details that may also be an object (`type: [array, object]`) carry an error's facts as is: `{ state, allowed }`.
    const objects = allowsType(property, 'object') && isFreeForm(property) ? { objects: true } : {};
    if (type === 'array') {
      const items = flatten(property.items as JsonSchema, lookup, 0);
      if (items && primaryType(items) === 'string') return { $fill: 'detailMessages', fallback: [] };
      if (items && primaryType(items) === 'object') return { $each: 'details', item: detailTemplate(items, lookup), fallback: [], ...objects };
      return { $fill: 'details', fallback: [] };
    }
    if (type === 'object' && isFreeForm(property)) return { $fill: 'detailObject' };
    return undefined; // details with a shape of their own: left out rather than guessed
  }
  return undefined;
}

/** One entry of a validation error's details: where (`/body/price`) and what is wrong. */
function detailTemplate(item: Record<string, unknown>, lookup: SchemaLookup): unknown {
  const properties = isRecord(item.properties) ? item.properties : {};
  const required = new Set(Array.isArray(item.required) ? item.required.map(String) : []);
  const template: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = flatten(raw as JsonSchema, lookup, 0);
    const isString = property !== undefined && primaryType(property) === 'string';
    if (isString && LOCATION.test(name)) template[name] = { $fill: 'detail.location' };
    else if (isString && MESSAGE.test(name)) template[name] = { $fill: 'detail.message' };
    else if (required.has(name) && property) template[name] = neutral(property, lookup);
  }
  for (const name of required) if (!(name in template)) template[name] = 'error';
  return template;
}

/** A string field can only carry our value when the schema does not restrict it to a fixed set. */
function stringValue(property: Record<string, unknown>, fill: unknown): unknown {
  if (property.const !== undefined) return property.const;
  if (Array.isArray(property.enum)) return property.enum.find((v) => typeof v === 'string') ?? property.enum[0];
  if (property.format === 'uri' || property.format === 'uri-reference') return 'about:blank';
  return fill;
}

function neutral(schema: Record<string, unknown>, lookup: SchemaLookup): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (primaryType(schema)) {
    case 'string':
      return 'error';
    case 'integer':
    case 'number':
      return { $fill: 'status' };
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object':
      return errorTemplate(schema, lookup, 5);
    default:
      return null;
  }
}

/** An object schema that declares no members: any object is valid there. */
function isFreeForm(schema: Record<string, unknown>): boolean {
  return !isRecord(schema.properties) && !isRecord(schema.patternProperties) && (schema.additionalProperties === undefined || schema.additionalProperties === true);
}

function allowsType(schema: Record<string, unknown>, type: string): boolean {
  return Array.isArray(schema.type) && schema.type.includes(type);
}

function primaryType(schema: Record<string, unknown>): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  if (isRecord(schema.properties)) return 'object';
  if (schema.const !== undefined) return typeof schema.const;
  return undefined;
}

/** Follows `$ref`s and merges `allOf` parts, so the template sees one object with all its properties. */
export function flatten(schema: JsonSchema | undefined, lookup: SchemaLookup, depth: number): Record<string, unknown> | undefined {
  if (!isRecord(schema) || depth > 16) return undefined;
  let result: Record<string, unknown> = { ...schema };
  if (typeof schema.$ref === 'string') {
    const [id, fragment] = schema.$ref.split('#');
    let target = id === undefined ? undefined : lookup(id);
    for (const segment of (fragment ?? '').split('/').filter(Boolean)) target = isRecord(target) ? (target[segment] as JsonSchema) : undefined;
    const resolved = flatten(target, lookup, depth + 1);
    delete result.$ref;
    result = { ...resolved, ...result };
  }
  if (Array.isArray(schema.allOf)) {
    delete result.allOf;
    for (const part of schema.allOf) {
      const flat = flatten(part as JsonSchema, lookup, depth + 1);
      if (!flat) continue;
      result = {
        ...flat,
        ...result,
        properties: { ...(isRecord(flat.properties) ? flat.properties : {}), ...(isRecord(result.properties) ? result.properties : {}) },
        required: [...new Set([...(Array.isArray(flat.required) ? flat.required : []), ...(Array.isArray(result.required) ? result.required : [])])],
      };
    }
  }
  if (!result.type && Array.isArray(schema.anyOf ?? schema.oneOf)) {
    // Pick the first object alternative: a body valid against one alternative is valid against anyOf/oneOf
    // as long as it is not also valid against another, which an error body with its fields rarely is.
    const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[];
    const objectAlternative = alternatives.map((alt) => flatten(alt, lookup, depth + 1)).find((alt) => alt && primaryType(alt) === 'object');
    if (objectAlternative) result = { ...objectAlternative, ...result, anyOf: undefined, oneOf: undefined };
  }
  return result;
}
