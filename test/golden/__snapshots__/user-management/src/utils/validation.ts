import { Ajv2020, type FuncKeywordDefinition, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import type { FastifySchemaCompiler } from 'fastify';
import type { JsonSchema } from '../controllers/operation-route.js';
import { backtracksSuperLinearly, compilePattern } from './patterns.js';
import {
  compileResponseSerializer,
  stripUndeclared,
  type BuildSerializer,
  type ResponseSerializer,
} from './response-serializer.js';

/**
 * Ajv2020 instances share the spec's component schemas (registered once under stable ids, so
 * recursive schemas work):
 * - bodies are validated as sent: `{"price":"12"}` against an integer is a 400, never coerced;
 * - parameters arrive as strings, so after style decoding they are coerced to their declared types.
 * Each comes in two: one stopping at the first problem, one listing them all (see `reportingEveryProblem`).
 */
export interface Validation {
  validatorCompiler: FastifySchemaCompiler<JsonSchema>;
  compileParameters(schema: JsonSchema): ValidateFunction;
  compileBody(schema: JsonSchema): ValidateFunction;
  compileSerializer(schema: JsonSchema): ResponseSerializer;
}

export interface RegisteredSchema {
  $id: string;
  [keyword: string]: unknown;
}

export function createValidation(schemas: readonly RegisteredSchema[]): Validation {
  const bodies = { first: createAjv(schemas, false, false), every: createAjv(schemas, false, true) };
  const byId = new Map<string, unknown>(schemas.map((s) => [s.$id, s]));
  const parameters = { first: createAjv(schemas, 'array', false), every: createAjv(schemas, 'array', true) };
  // Form and multipart fields are strings on the wire too, so they get the coercing instance.
  const STRING_ENCODED = /^(application\/x-www-form-urlencoded|multipart\/)/;

  return {
    validatorCompiler: ({ schema, httpPart, contentType }) => {
      const coerce = httpPart !== 'body' || (contentType !== undefined && STRING_ENCODED.test(contentType));
      return reportingEveryProblem(coerce ? parameters : bodies, schema);
    },
    compileParameters: (schema) => reportingEveryProblem(parameters, schema),
    compileBody: (schema) => reportingEveryProblem(bodies, schema),
    compileSerializer: (schema) =>
      compileResponseSerializer(
        schema,
        schemas,
        fastJson as unknown as BuildSerializer,
        (fallbackSchema) => (data) => JSON.stringify(stripUndeclared(data, fallbackSchema, byId)),
        backtracksSuperLinearly,
      ),
  };
}

/** Ajv compiles each `pattern` and `patternProperties` key through this engine (src/utils/patterns.ts). */
const patternEngine = Object.assign((pattern: string, flags: string) => compilePattern(pattern, flags), {
  code: 'compilePattern',
});

/** At most this many values (objects, arrays, leaves) in an input whose every problem is listed. */
const LISTED_INPUT_VALUES = 1000;

/**
 * Validation stops at the first problem, whatever the size of the input. When there is one and the
 * input is small, a second validator (compiled on first need) lists every problem, so a client fixes
 * its request in one go. A large input (a megabyte of wrong array items) gets its first problem only:
 * listing them all would take memory in proportion to it.
 */
function reportingEveryProblem(ajv: { first: Ajv2020; every: Ajv2020 }, schema: JsonSchema): ValidateFunction {
  const first = ajv.first.compile(schema);
  let every: ValidateFunction | undefined;
  const validate = (data: unknown, context?: Parameters<ValidateFunction>[1]): data is unknown => {
    if (first(data, context)) {
      validate.errors = null;
      return true;
    }
    validate.errors = first.errors;
    if (holdsAtMost(data, LISTED_INPUT_VALUES)) {
      every ??= ajv.every.compile(schema);
      if (!every(data, context)) validate.errors = every.errors;
    }
    return false;
  };
  validate.errors = null as ValidateFunction['errors'];
  // Fastify lets a validator with a schemaEnv (an Ajv one) coerce a root value in place.
  return Object.assign(validate, { schema: first.schema, schemaEnv: first.schemaEnv });
}

/** Whether the input holds at most `limit` values, counted without recursion and without walking a large array. */
function holdsAtMost(data: unknown, limit: number): boolean {
  const pending: unknown[] = [data];
  let count = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    count += 1;
    if (typeof value === 'object' && value !== null) {
      const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
      if (count + pending.length + children.length > limit) return false;
      for (const child of children) pending.push(child);
    }
  }
  return count <= limit;
}

function createAjv(schemas: readonly RegisteredSchema[], coerceTypes: false | 'array', allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
    code: { regExp: patternEngine },
    validateSchema: false,
  });
  addFormats.default(ajv, { mode: 'full' });
  ajv.addKeyword(NO_NUL_CHARACTERS);
  for (const schema of schemas) ajv.addSchema(schema);
  return ajv;
}

/**
 * PostgreSQL's text and jsonb cannot hold U+0000: `noNulCharacters: true` (added by scaffold to the
 * request schemas of values that are stored) turns such a value into a 400 before it reaches the database.
 */
const NO_NUL_CHARACTERS: FuncKeywordDefinition = {
  keyword: 'noNulCharacters',
  schemaType: 'boolean',
  errors: false,
  error: { message: 'must not contain the NUL character (\\u0000)' },
  validate: (enabled: boolean, data: unknown) => !enabled || !containsNul(data),
};

/** Looks through strings, and the keys and values of objects and arrays, without recursion (JSON may nest deep). */
function containsNul(data: unknown): boolean {
  const pending: unknown[] = [data];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
