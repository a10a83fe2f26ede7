import { isRecord } from '../model/json-schema.js';
import type { JsonSchema, MediaBody, Operation, Parameter } from '../model/types.js';
import { flatten, type SchemaLookup } from './error-template.js';
import { sampleValue } from './sample-value.js';
import { patternTester } from '../model/pattern.js';

/**
 * The requests the generated contract tests send for one operation: a valid one built from samples
 * of its schemas, an invalid one that breaks exactly one rule, and whether it needs credentials.
 */
export interface ContractRequest {
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: { mediaType: string; value: unknown };
}

export interface ContractCases {
  /** The valid request, or one with placeholders where no sample could be made (enough for a 401 check). */
  bare: ContractRequest;
  valid: ContractRequest | undefined;
  invalid: { request: ContractRequest; breaks: string } | undefined;
  requiresCredentials: boolean;
}

const BODY_PREFERENCE: MediaBody['kind'][] = ['json', 'form', 'text', 'binary', 'multipart'];

export function contractCases(operation: Operation, basePath: string, lookup: SchemaLookup): ContractCases {
  const samples = new Map<Parameter, unknown>();
  let complete = true;
  for (const parameter of operation.parameters) {
    if (!parameter.required) continue;
    const value = sampleValue(parameter.schema, lookup);
    if (value === undefined) complete = false;
    else samples.set(parameter, value);
  }
  const media = [...(operation.requestBody?.contents ?? [])].sort((a, b) => BODY_PREFERENCE.indexOf(a.kind) - BODY_PREFERENCE.indexOf(b.kind))[0];
  let body: ContractRequest['body'];
  if (media && operation.requestBody?.required !== false) {
    const value = media.kind === 'binary' ? 'sample' : media.kind === 'text' ? 'sample' : sampleValue(media.schema, lookup);
    if (value === undefined || media.kind === 'multipart') complete = false;
    else body = { mediaType: media.mediaType, value };
  }
  const bare = buildRequest(operation, basePath, samples, body);
  const valid = complete ? bare : undefined;
  return {
    bare,
    valid,
    invalid: valid ? invalidVariant(operation, basePath, samples, body, lookup) : undefined,
    requiresCredentials: operation.security.length > 0 && operation.security.every((r) => r.schemes.length > 0),
  };
}

/**
 * Samples of an operation's required query, header and cookie parameters, serialized as the contract
 * tests send them; undefined when one has no sample.
 */
export function requiredParameters(operation: Operation, lookup: SchemaLookup): { query: ContractRequest['query']; headers: ContractRequest['headers'] } | undefined {
  const samples = new Map<Parameter, unknown>();
  for (const parameter of operation.parameters) {
    if (!parameter.required || parameter.in === 'path') continue;
    const value = sampleValue(parameter.schema, lookup);
    if (value === undefined) return undefined;
    samples.set(parameter, value);
  }
  const { query, headers } = buildRequest(operation, '', samples, undefined);
  return { query, headers };
}

function buildRequest(operation: Operation, basePath: string, samples: Map<Parameter, unknown>, body: ContractRequest['body']): ContractRequest {
  const valueOf = (name: string) => [...samples.entries()].find(([p]) => p.in === 'path' && p.name === name)?.[1];
  const url = basePath + operation.path.replace(/\{([^}]*)\}/g, (_, name: string) => encodeURIComponent(serializeSimple(valueOf(name) ?? 'sample')));
  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [parameter, value] of samples) {
    if (parameter.in === 'query') Object.assign(query, serializeQuery(parameter, value));
    else if (parameter.in === 'header') headers[parameter.name.toLowerCase()] = serializeSimple(value);
    else if (parameter.in === 'cookie') cookies.push(`${parameter.name}=${encodeURIComponent(serializeSimple(value))}`);
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  return { url: url || '/', query, headers, ...(body && { body }) };
}

/** Breaks one rule: a required query parameter left out, a typed path parameter given a word, or a body of the wrong type. */
function invalidVariant(operation: Operation, basePath: string, samples: Map<Parameter, unknown>, body: ContractRequest['body'], lookup: SchemaLookup): ContractCases['invalid'] {
  const requiredQuery = [...samples.keys()].find((p) => p.in === 'query');
  if (requiredQuery) {
    const rest = new Map([...samples].filter(([p]) => p !== requiredQuery));
    return { request: buildRequest(operation, basePath, rest, body), breaks: `required query parameter "${requiredQuery.name}" is missing` };
  }
  const typedPath = [...samples.keys()].find((p) => p.in === 'path' && rejectsWord(p.schema, lookup));
  if (typedPath) {
    const broken = new Map(samples).set(typedPath, 'not-valid');
    return { request: buildRequest(operation, basePath, broken, body), breaks: `path parameter "${typedPath.name}" is not a valid value` };
  }
  if (body && body.mediaType.includes('json') && isJsonType(body.mediaType)) {
    const media = operation.requestBody?.contents.find((c) => c.mediaType === body.mediaType);
    const wrong = wrongJsonValue(media?.schema, lookup);
    if (wrong !== undefined) {
      return { request: buildRequest(operation, basePath, samples, { mediaType: body.mediaType, value: wrong }), breaks: 'the body has the wrong type' };
    }
  }
  return undefined;
}

function isJsonType(mediaType: string): boolean {
  return /^application\/(.+\+)?json/.test(mediaType);
}

/** Does the schema refuse the string "not-valid"? (numbers, booleans, enums, formats, patterns do) */
function rejectsWord(schema: JsonSchema, lookup: SchemaLookup): boolean {
  const flat = flatten(schema, lookup, 0);
  if (!flat) return false;
  const types = Array.isArray(flat.type) ? flat.type : [flat.type];
  if (types.includes('string')) return Array.isArray(flat.enum) || flat.format === 'uuid' || flat.format === 'date-time' || flat.format === 'date' || typeof flat.pattern === 'string' && patternTester(flat.pattern)?.test('not-valid') === false;
  return types.some((t) => t === 'integer' || t === 'number' || t === 'boolean');
}

function wrongJsonValue(schema: JsonSchema | undefined, lookup: SchemaLookup): unknown {
  const flat = flatten(schema, lookup, 0);
  if (!flat || flat.anyOf !== undefined || flat.oneOf !== undefined || flat.not !== undefined) return undefined;
  const types = Array.isArray(flat.type) ? flat.type : flat.type === undefined ? (isRecord(flat.properties) ? ['object'] : []) : [flat.type];
  if (types.length === 0) return undefined;
  if (!types.includes('array')) return [1, 2, 3];
  if (!types.includes('string')) return 'not-valid';
  return undefined;
}

function serializeSimple(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => [k, String(v)]).join(',');
  return String(value);
}

function serializeQuery(parameter: Parameter, value: unknown): Record<string, string | string[]> {
  if (parameter.shape === 'json') return { [parameter.name]: JSON.stringify(value) };
  if (Array.isArray(value)) {
    const separator = { spaceDelimited: ' ', pipeDelimited: '|' }[parameter.style as string] ?? ',';
    return parameter.explode && parameter.style === 'form' ? { [parameter.name]: value.map(String) } : { [parameter.name]: value.map(String).join(separator) };
  }
  if (isRecord(value)) {
    if (parameter.style === 'deepObject') return Object.fromEntries(Object.entries(value).map(([k, v]) => [`${parameter.name}[${k}]`, String(v)]));
    if (parameter.explode) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    return { [parameter.name]: serializeSimple(value) };
  }
  return { [parameter.name]: String(value) };
}
