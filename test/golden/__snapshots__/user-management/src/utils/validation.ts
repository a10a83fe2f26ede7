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
 * Two Ajv2020 instances share the spec's component schemas (registered once under stable ids, so
 * recursive schemas work):
 * - bodies are validated as sent: `{"price":"12"}` against an integer is a 400, never coerced;
 * - parameters arrive as strings, so after style decoding they are coerced to their declared types.
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
  const bodies = createAjv(schemas, false);
  const byId = new Map<string, unknown>(schemas.map((s) => [s.$id, s]));
  const parameters = createAjv(schemas, 'array');
  // Form and multipart fields are strings on the wire too, so they get the coercing instance.
  const STRING_ENCODED = /^(application\/x-www-form-urlencoded|multipart\/)/;

  return {
    validatorCompiler: ({ schema, httpPart, contentType }) => {
      const coerce = httpPart !== 'body' || (contentType !== undefined && STRING_ENCODED.test(contentType));
      return (coerce ? parameters : bodies).compile(schema);
    },
    compileParameters: (schema) => parameters.compile(schema),
    compileBody: (schema) => bodies.compile(schema),
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

function createAjv(schemas: readonly RegisteredSchema[], coerceTypes: false | 'array'): Ajv2020 {
  const ajv = new Ajv2020({
    // Every problem of a request at once (bounded in src/utils/validation-issues.ts); patterns run on
    // re2js, in linear time, so checking them all costs no more than the body's size.
    allErrors: true,
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
