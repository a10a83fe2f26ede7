import type { MediaTypeObject, OpenApiDocument, ResponseObject } from '../load/openapi-types.js';
import { isRecord } from './json-schema.js';
import { mediaKind } from './media.js';
import { deref } from './resolve-ref.js';
import type { DocumentedCodes, Operation } from './types.js';

/**
 * The error codes a spec documents, and the one the generated server answers for each of its own
 * errors. The server's errors have house codes (src/errors/app-error.ts of a generated project); where
 * the spec names codes for an operation's status, the server answers with the spec's instead.
 */

/** One kind of error the generated server raises: its house code, its status, and the words a spec's code for it contains. */
export interface HouseError {
  code: string;
  status: number;
  /** A spec's code "says" this meaning when it matches (UPPER_SNAKE_CASE words). */
  meaning: RegExp;
}

/**
 * Every error class of a generated project, by house code. The 409s and 422s are several meanings
 * under one status; their order matters: a code is classified by the first kind whose words it has.
 */
export const HOUSE_ERRORS: readonly HouseError[] = [
  { code: 'VALIDATION_FAILED', status: 400, meaning: /VALIDATION|INVALID|BAD_REQUEST|MALFORMED/ },
  { code: 'AUTHENTICATION_REQUIRED', status: 401, meaning: /UNAUTHORI[SZ]ED|UNAUTHENTICATED|AUTHENTICATION_REQUIRED|NOT_AUTHENTICATED/ },
  { code: 'FORBIDDEN', status: 403, meaning: /FORBIDDEN|PERMISSION|DENIED|NOT_ALLOWED|ROLE|ACCESS/ },
  { code: 'NOT_FOUND', status: 404, meaning: /NOT_FOUND|NO_SUCH|UNKNOWN/ },
  { code: 'METHOD_NOT_ALLOWED', status: 405, meaning: /METHOD/ },
  { code: 'NOT_ACCEPTABLE', status: 406, meaning: /ACCEPTABLE|ACCEPT/ },
  { code: 'VERSION_CONFLICT', status: 409, meaning: /VERSION|STALE|CONCURRENT|OPTIMISTIC|OUTDATED/ },
  { code: 'INVALID_STATE', status: 409, meaning: /STATE|STATUS|TRANSITION/ },
  { code: 'ALREADY_EXISTS', status: 409, meaning: /DUPLICATE|UNIQUE|EXISTS|TAKEN|ALREADY|IN_USE/ },
  { code: 'CONFLICT', status: 409, meaning: /^CONFLICT$|^RESOURCE_CONFLICT$/ },
  { code: 'PRECONDITION_FAILED', status: 412, meaning: /PRECONDITION|ETAG|IF_MATCH/ },
  { code: 'PAYLOAD_TOO_LARGE', status: 413, meaning: /TOO_LARGE|SIZE/ },
  { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, meaning: /MEDIA|CONTENT_TYPE/ },
  { code: 'UNPROCESSABLE_ENTITY', status: 422, meaning: /^UNPROCESSABLE(_ENTITY|_CONTENT)?$|^(BUSINESS_)?RULE_VIOLATION$/ },
  { code: 'RATE_LIMITED', status: 429, meaning: /RATE|THROTTL|TOO_MANY/ },
];

/**
 * Statuses under which the server raises errors of different meanings, or whose documented codes
 * usually name one business rule (`409 INVALID_ORDER_STATE`, `422 INSUFFICIENT_STOCK`): there a
 * code is only used for the error whose meaning its name says.
 */
const RULE_STATUSES: ReadonlySet<number> = new Set([409, 422]);

/** `409 INVALID_ORDER_STATE`, `` `409 VERSION_CONFLICT` ``, `422: INSUFFICIENT_STOCK`. */
const STATUS_AND_CODE = /\b([1-5]\d\d)[\s`:*(]+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\b/g;
const CODE_PROPERTY = /^(code|error_?code|errorType)$/i;
const CODE_VALUE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * What a response documents about its error codes: the codes stated for its status (in the operation's
 * description, the response's description, its examples) and the ones its schema lists for the code
 * property (`enum`, `const`, `examples`: a catalogue of the whole API's codes, used only by meaning).
 */
export function documentedCodes(document: OpenApiDocument, operationDescription: string, status: string, raw: ResponseObject): DocumentedCodes {
  if (!/^[45]/.test(status)) return { stated: [], catalogue: [] };
  // The response's own codes first: an operation's prose often names the code of one rule (`401 REFRESH_TOKEN_REUSED`).
  const stated: string[] = [];
  const catalogue: string[] = [];
  for (const [mediaType, media] of Object.entries(raw.content ?? {})) {
    if (mediaKind(mediaType) !== 'json') continue;
    for (const example of mediaExamples(document, media)) stated.push(...codesInExample(example));
    catalogue.push(...codesInSchema(document, media.schema, 0));
  }
  stated.push(...codesInProse(raw.description ?? '', status), ...codesInProse(operationDescription, status));
  return { stated: unique(stated), catalogue: unique(catalogue) };
}

function codesInProse(text: string, status: string): string[] {
  return [...text.matchAll(STATUS_AND_CODE)].filter((m) => m[1] === status).map((m) => m[2] as string);
}

function mediaExamples(document: OpenApiDocument, media: MediaTypeObject): unknown[] {
  const raw = media as MediaTypeObject & { example?: unknown; examples?: Record<string, unknown> };
  const examples: unknown[] = raw.example === undefined ? [] : [raw.example];
  for (const entry of Object.values(isRecord(raw.examples) ? raw.examples : {})) {
    const example = deref<{ value?: unknown }>(document, entry as { value?: unknown });
    if (isRecord(example) && example.value !== undefined) examples.push(example.value);
  }
  return examples;
}

/** The code of an example error body: a `code` at its top or one level down (`{ error: { code } }`). */
function codesInExample(example: unknown): string[] {
  if (!isRecord(example)) return [];
  for (const [key, value] of Object.entries(example)) {
    if (CODE_PROPERTY.test(key) && typeof value === 'string' && CODE_VALUE.test(value)) return [value];
  }
  return Object.values(example).flatMap((value) => (isRecord(value) ? codesInExample(value).slice(0, 1) : [])).slice(0, 1);
}

function codesInSchema(document: OpenApiDocument, schema: unknown, depth: number): string[] {
  if (depth > 3) return [];
  const resolved = deref<unknown>(document, schema);
  if (!isRecord(resolved)) return [];
  const parts = [...(Array.isArray(resolved.allOf) ? resolved.allOf : [])].flatMap((part) => codesInSchema(document, part, depth + 1));
  const properties = isRecord(resolved.properties) ? resolved.properties : {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = deref<unknown>(document, raw);
    if (!isRecord(property)) continue;
    if (CODE_PROPERTY.test(name)) {
      const values = [property.const, ...(Array.isArray(property.enum) ? property.enum : []), ...(Array.isArray(property.examples) ? property.examples : []), property.example];
      parts.push(...values.filter((v): v is string => typeof v === 'string' && CODE_VALUE.test(v)));
    } else if (name === 'error') {
      parts.push(...codesInSchema(document, property, depth + 1));
    }
  }
  return parts;
}

/** The code the server answers for one of its errors on one operation, and where it comes from. */
export interface ErrorCodeChoice {
  /** The error's house code (its class in src/errors/app-error.ts). */
  houseCode: string;
  status: number;
  /** What the server answers: the spec's code, else the house code. */
  code: string;
  source: 'spec' | 'house';
}

/**
 * The error codes the generated server answers for an operation: for every status the operation
 * declares, each of the server's errors with that status and the code it answers with. (A status the
 * operation does not declare is answered with the house code: as a 400 for a 4xx it does not declare.)
 *
 * The rule: the spec's code for a status is the one whose name says the error's meaning (VERSION,
 * STATE, DUPLICATE...); failing that, for a status with one meaning (400, 401, 403, 404, 412, 429...),
 * the first code the spec states for it (the response's examples, its description, then the operation's
 * description). At 409 and 422, whose codes usually name one business rule, only a code that says the
 * meaning is used; the others keep the house code. A code listed only in the error schema (`enum`,
 * `examples`) is used only when its name says the meaning.
 */
export function operationErrorCodes(operation: Pick<Operation, 'responses'>): ErrorCodeChoice[] {
  const choices: ErrorCodeChoice[] = [];
  for (const response of operation.responses) {
    if (!/^[45]\d\d$/.test(response.status)) continue;
    const status = Number(response.status);
    const kinds = HOUSE_ERRORS.filter((e) => e.status === status);
    const classify = (code: string): string | undefined => kinds.find((k) => k.meaning.test(code))?.code;
    const { stated, catalogue } = response.codes;
    for (const kind of kinds) {
      const byMeaning = [...stated, ...catalogue].find((code) => classify(code) === kind.code);
      const single = RULE_STATUSES.has(status) ? undefined : stated[0];
      const code = byMeaning ?? single;
      choices.push(code === undefined ? { houseCode: kind.code, status, code: kind.code, source: 'house' } : { houseCode: kind.code, status, code, source: 'spec' });
    }
  }
  return choices;
}

/** The spec's codes in place of house codes, for the operation's route: only those that differ. */
export function specCodeTable(operation: Pick<Operation, 'responses'>): Record<string, string> {
  return Object.fromEntries(operationErrorCodes(operation).filter((c) => c.code !== c.houseCode).map((c) => [c.houseCode, c.code]));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
