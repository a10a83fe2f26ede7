import { isRecord } from '../model/json-schema.js';

/**
 * What of a schema decides which values a client may send or gets back: the API snapshot hashes this,
 * so that a change elsewhere is not an API change. Left out: annotations (description, title,
 * examples, `$comment`, `deprecated`: a deprecated property still takes and returns the same values,
 * and an operation's own deprecation is reported on its own), `x-` extensions, and any keyword JSON
 * Schema does not define (`unique: true` copied from a domain model), which validators ignore.
 * `readOnly`, `writeOnly` and `default` stay: they change what a request may hold or what it means.
 */
export function schemaAssertions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(schemaAssertions);
  if (!isRecord(schema)) return schema;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.has(key) && isRecord(value)) kept[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, schemaAssertions(sub)]));
    else if (SUBSCHEMAS.has(key)) kept[key] = schemaAssertions(value);
    else if (VALUES.has(key)) kept[key] = value;
  }
  // An allOf of one schema and nothing else is that schema: what a $ref with annotations beside it becomes.
  const only = Object.keys(kept).length === 1 && Array.isArray(kept.allOf) && kept.allOf.length === 1;
  return only ? (kept.allOf as unknown[])[0] : kept;
}

/** Whether a keyword of a schema decides which values are valid (see schemaAssertions). */
export function isAssertionKeyword(key: string): boolean {
  return SCHEMA_MAPS.has(key) || SUBSCHEMAS.has(key) || VALUES.has(key);
}

/** Keywords whose value is a map of schemas by name. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Keywords whose value is a schema or a list of them. */
const SUBSCHEMAS = new Set([
  'items', 'prefixItems', 'additionalItems', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'propertyNames',
  'contains', 'not', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'contentSchema',
]);

/** Keywords whose value is kept as written. */
const VALUES = new Set([
  '$ref', '$dynamicRef', '$recursiveRef', 'type', 'enum', 'const', 'format', 'default', 'required', 'dependentRequired',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'minContains', 'maxContains', 'minProperties', 'maxProperties',
  'readOnly', 'writeOnly', 'nullable', 'discriminator', 'contentMediaType', 'contentEncoding',
]);
