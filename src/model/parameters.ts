import type { ParameterObject } from '../load/openapi-types.js';
import { isRecord, type SchemaConverter } from './json-schema.js';
import type { JsonSchema, Parameter, ParameterShape, ParameterStyle } from './types.js';

const DEFAULT_STYLE: Record<Parameter['in'], ParameterStyle> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

/** Headers OpenAPI says to ignore when declared as parameters: they are governed by other fields. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function isIgnoredParameter(parameter: ParameterObject): boolean {
  return parameter.in === 'header' && IGNORED_HEADERS.has(parameter.name.toLowerCase());
}

/** Follows a raw schema's `$ref` (to decide the parameter's shape from what it refers to). */
export type RawSchemaResolver = (schema: unknown) => unknown;

export function buildParameter(raw: ParameterObject, routeName: string, converter: SchemaConverter, pointer: string, resolveRaw: RawSchemaResolver): Parameter {
  const contentEntry = raw.content ? Object.entries(raw.content)[0] : undefined;
  const rawSchema = contentEntry ? contentEntry[1].schema : raw.schema;
  const schema: JsonSchema = rawSchema === undefined ? {} : converter.convert(rawSchema, 'request', `${pointer}/schema`);
  const style = (raw.style as ParameterStyle | undefined) ?? DEFAULT_STYLE[raw.in];
  return {
    name: raw.in === 'header' ? raw.name.toLowerCase() : raw.name,
    routeName,
    in: raw.in,
    required: raw.in === 'path' ? true : raw.required === true,
    style,
    explode: raw.explode ?? style === 'form',
    shape: contentEntry ? 'json' : shapeOf(rawSchema, resolveRaw),
    schema,
    description: raw.description ?? '',
  };
}

/**
 * The value's outer type decides how its serialized string is split. References are followed (a
 * `$ref` to a string enum is a primitive); compositions take the shape of their first member.
 */
function shapeOf(raw: unknown, resolveRaw: RawSchemaResolver, depth = 0): ParameterShape {
  const schema = resolveRaw(raw);
  if (!isRecord(schema) || depth > 8) return 'primitive';
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array')) return 'array';
  if (types.includes('object') || isRecord(schema.properties)) return 'object';
  const composed = [schema.allOf, schema.oneOf, schema.anyOf].find((members) => Array.isArray(members) && members.length > 0) as unknown[] | undefined;
  if (composed && schema.type === undefined) return shapeOf(composed[0], resolveRaw, depth + 1);
  return 'primitive';
}
