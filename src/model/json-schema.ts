import { warning, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import type { JsonSchema } from './types.js';
import { compilePattern, isSuperLinearPattern } from './pattern.js';

/**
 * Rewrites an OpenAPI schema object into JSON Schema 2020-12 for Ajv2020 and fast-json-stringify:
 * 3.0's `nullable` and boolean `exclusiveMinimum`/`exclusiveMaximum` become their 2020-12 forms,
 * OpenAPI-only keywords go, and component `$ref`s point at the ids the schemas are registered under.
 * Views implement readOnly/writeOnly: a request never accepts a readOnly property, a response never
 * carries a writeOnly one.
 */
export type SchemaView = 'request' | 'response' | 'neutral';

export interface SchemaConverter {
  convert(schema: unknown, view: SchemaView, pointer: string): JsonSchema;
}

export interface ConverterOptions {
  version: '3.0' | '3.1';
  /** `#/components/schemas/X[/rest]` -> `{ name: X, rest }`; other refs resolve through `resolvePointer`. */
  componentIdFor(name: string, view: SchemaView): string | undefined;
  resolvePointer(ref: string): unknown;
  diagnostics: Diagnostic[];
}

/** Formats ajv-formats knows; others are annotations Ajv would reject at startup, so they are dropped. */
const KNOWN_FORMATS = new Set([
  'date', 'time', 'date-time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url',
  'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment',
  'relative-json-pointer', 'byte', 'int32', 'int64', 'float', 'double', 'password', 'binary',
]);

/** Keywords that are OpenAPI vocabulary or pure documentation: they change nothing at runtime. */
const DROPPED_KEYWORDS = new Set([
  'nullable', 'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'description', 'title', '$schema', '$id',
  '$comment', 'contentMediaType', 'contentEncoding', '$anchor', '$dynamicAnchor',
]);

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames',
  'unevaluatedItems', 'unevaluatedProperties', 'additionalItems'];

export const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)(\/.*)?$/;

export function decodePointerSegment(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

export function createSchemaConverter(options: ConverterOptions): SchemaConverter {
  const inlining = new Set<string>();
  // A schema converted in several views (request, response) is reported once.
  const reportedPatterns = new Set<string>();

  function checkBacktracking(pattern: string, pointer: string): void {
    if (reportedPatterns.has(pointer) || !isSuperLinearPattern(pattern)) return;
    reportedPatterns.add(pointer);
    options.diagnostics.push(superLinearPatternWarning(pattern, { pointer }));
  }

  function convert(schema: unknown, view: SchemaView, pointer: string): JsonSchema {
    if (typeof schema === 'boolean') return schema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
    const source = schema as Record<string, unknown>;

    if (typeof source.$ref === 'string') {
      const target = convertRef(source.$ref, view, pointer);
      // In 3.0 siblings of $ref are ignored by definition; in 3.1 they apply alongside it.
      if (options.version === '3.0') return withNullable(target, source);
      const siblings = convertObject({ ...source, $ref: undefined, nullable: undefined }, view, pointer);
      const combined = Object.keys(siblings).length === 0 ? target : { ...siblings, allOf: [target, ...asArray(siblings.allOf)] };
      // `nullable` beside a $ref (a 3.0 idiom in a 3.1 document) admits null instead of the target, so it
      // wraps the whole schema; applied to the siblings alone it would still demand the target.
      return source.nullable === true ? { anyOf: [combined, { type: 'null' }] } : combined;
    }
    return convertObject(source, view, pointer);
  }

  function convertRef(ref: string, view: SchemaView, pointer: string): JsonSchema {
    const match = COMPONENT_REF.exec(ref);
    if (match?.[1] !== undefined) {
      const id = options.componentIdFor(decodePointerSegment(match[1]), view);
      if (id !== undefined) return { $ref: match[2] ? `${id}#${match[2]}` : id };
    }
    // A ref to somewhere else in the document (a response's schema, say): inline it, once per chain.
    if (inlining.has(ref)) {
      options.diagnostics.push(warning('SCF010', `circular $ref ${ref} outside components.schemas is left unchecked`, { pointer }));
      return {};
    }
    inlining.add(ref);
    try {
      return convert(options.resolvePointer(ref), view, pointer);
    } finally {
      inlining.delete(ref);
    }
  }

  function convertObject(source: Record<string, unknown>, view: SchemaView, pointer: string): { [key: string]: unknown } {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined || DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (SCHEMA_MAP_KEYWORDS.includes(key) && isRecord(value)) {
        if (key === 'patternProperties') for (const pattern of Object.keys(value)) checkBacktracking(pattern, `${pointer}/patternProperties/${escapePointerSegment(pattern)}`);
        out[key] = Object.fromEntries(
          Object.entries(value).map(([name, sub]) => [name, convert(sub, view, `${pointer}/${key}/${name}`)]),
        );
      } else if (SCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(value)) {
        out[key] = value.map((sub, i) => convert(sub, view, `${pointer}/${key}/${i}`));
      } else if (SCHEMA_KEYWORDS.includes(key) && (isRecord(value) || typeof value === 'boolean')) {
        out[key] = convert(value, view, `${pointer}/${key}`);
      } else if (key === 'items' && Array.isArray(value)) {
        out.prefixItems = value.map((sub, i) => convert(sub, view, `${pointer}/items/${i}`)); // draft-4 tuple form
      } else if (key === 'format') {
        if (typeof value === 'string' && KNOWN_FORMATS.has(value)) out.format = value;
      } else if (key === 'pattern') {
        if (typeof value === 'string' && isValidPattern(value)) {
          out.pattern = value;
          checkBacktracking(value, `${pointer}/pattern`);
        } else options.diagnostics.push(warning('SCF105', `pattern ${JSON.stringify(value)} is not a valid regular expression; it is not enforced`, { pointer: `${pointer}/pattern` }));
      } else if (key === 'type' && value === 'file') {
        out.type = 'string'; // Swagger 2 leftover
      } else if (key === 'required' && !Array.isArray(value)) {
        continue; // `required: true` on a property schema: a common mistake that means nothing in a schema
      } else {
        out[key] = value;
      }
    }
    fixExclusiveBounds(source, out);
    applyView(out, source, view, options.resolvePointer);
    return withNullable(out, source) as Record<string, unknown>; // an object in, an object out
  }

  return { convert };
}

/** 3.0 (and 3.0-minded 3.1 specs): boolean exclusive bounds modify minimum/maximum. */
function fixExclusiveBounds(source: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof source[exclusive] !== 'boolean') continue;
    delete out[exclusive];
    if (source[exclusive] === true && typeof source[bound] === 'number') {
      out[exclusive] = source[bound];
      delete out[bound];
    }
  }
}

function applyView(out: Record<string, unknown>, source: Record<string, unknown>, view: SchemaView, resolve: (ref: string) => unknown): void {
  if (view === 'neutral' || !isRecord(out.properties) || !isRecord(source.properties)) return;
  const marker = view === 'request' ? 'readOnly' : 'writeOnly';
  const hidden = Object.entries(source.properties)
    .filter(([, sub]) => isMarked(sub, marker, resolve))
    .map(([name]) => name);
  if (hidden.length === 0) return;
  const properties = { ...out.properties };
  for (const name of hidden) {
    if (view === 'request') properties[name] = false; // present at all: rejected
    else delete properties[name];
  }
  out.properties = properties;
  if (Array.isArray(out.required)) {
    const required = out.required.filter((name) => !hidden.includes(String(name)));
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
}

function withNullable(out: JsonSchema, source: Record<string, unknown>): JsonSchema {
  if (source.nullable !== true || typeof out === 'boolean') return out;
  const type = out.type;
  if (typeof type === 'string') {
    const result: Record<string, unknown> = { ...out, type: [type, 'null'] };
    if (Array.isArray(out.enum) && !out.enum.includes(null)) result.enum = [...out.enum, null];
    return result;
  }
  if (Array.isArray(type)) return type.includes('null') ? out : { ...out, type: [...type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** SCF017: where a pattern that can backtrack super-linearly sits, and what the server does about it. */
export function superLinearPatternWarning(pattern: string, location: SourceLocation): Diagnostic {
  return warning(
    'SCF017',
    `pattern ${JSON.stringify(pattern)} can take super-linear time to test (nested or overlapping repetition): a short crafted input could block a backtracking engine for seconds; the generated server tests it with RE2's linear-time engine, or, where RE2 cannot express it (a backreference, a lookaround), only on values of at most 16 characters`,
    location,
    'rewrite it so that no two repetitions can match the same text (`^(a+)+$` is `^a+$`, `^(a|ab)*$` is `^(ab?)*$`)',
  );
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isValidPattern(pattern: string): boolean {
  return compilePattern(pattern) !== undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `#/components/schemas/X` that a schema references directly (not through other components). */
export function referencedComponents(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) referencedComponents(item, found);
  else if (isRecord(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = COMPONENT_REF.exec(value)?.[1];
        if (name !== undefined) found.add(decodePointerSegment(name));
      } else if (!key.startsWith('x-') && key !== 'example' && key !== 'examples' && key !== 'enum' && key !== 'const' && key !== 'default') {
        referencedComponents(value, found);
      }
    }
  }
  return found;
}

/**
 * Is this property readOnly/writeOnly? Either it says so, or it is a `$ref` to a schema that does
 * (a `links` property referencing a readOnly `ResourceLinks`, say).
 */
export function isMarked(property: unknown, marker: 'readOnly' | 'writeOnly', resolve: (ref: string) => unknown): boolean {
  if (!isRecord(property)) return false;
  if (property[marker] === true) return true;
  if (typeof property.$ref !== 'string') return false;
  try {
    const target = resolve(property.$ref);
    return isRecord(target) && target[marker] === true;
  } catch {
    return false; // an unresolvable ref was reported by the load stage
  }
}

/** Does this schema (not following refs further) mark a property readOnly/writeOnly anywhere inside? */
export function hasVisibilityMarker(schema: unknown, marker: 'readOnly' | 'writeOnly', resolve: (ref: string) => unknown): boolean {
  if (Array.isArray(schema)) return schema.some((item) => hasVisibilityMarker(item, marker, resolve));
  if (!isRecord(schema)) return false;
  if (isRecord(schema.properties) && Object.values(schema.properties).some((p) => isMarked(p, marker, resolve))) return true;
  return Object.entries(schema).some(
    ([key, value]) => !key.startsWith('x-') && key !== 'example' && key !== 'examples' && key !== 'enum' && key !== 'default' && key !== 'const' && hasVisibilityMarker(value, marker, resolve),
  );
}
