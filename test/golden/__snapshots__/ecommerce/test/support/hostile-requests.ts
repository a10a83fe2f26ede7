import fc from 'fast-check';
import type { OperationRoute } from '../../src/controllers/operation-route.js';
import { routes } from '../../src/controllers/routes.gen.js';
import type { ContractClient, ContractRequest } from './contract-client.js';

/** Requests per operation; seeded by the operation's id, so a failure comes back on the next run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** Numbers past the range of int4, int8 and doubles' exact integers, and fractions where integers go. */
const NUMBERS = [
  2_147_483_648,
  -2_147_483_649,
  9_223_372_036_854_775_808,
  1e300,
  -1e300,
  Number.MAX_SAFE_INTEGER + 2,
  1.5,
  -0,
];

/** Text no text column stores (NUL), that has no UTF-8 form (a lone surrogate), or that reads as code. */
const STRINGS = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  '\u202e🚀\u200d',
  'x'.repeat(20_000),
  '',
  ' ',
  "' OR 1=1 --",
  '../../etc/passwd',
  '__proto__',
  '00000000-0000-0000-0000-00000000000g',
];

/** What a path, query or header parameter can carry: the same attacks, as text. */
const TEXTS = [
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '1e300',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1.5',
  'true',
  'null',
  '[]',
  '{}',
  ...STRINGS.map((s) => s.slice(0, 300)),
];

/** JSON.parse keeps a `__proto__` key as data, as a request body would carry it. */
const POLLUTING: unknown = JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}');

const VALUES: unknown[] = [...NUMBERS, ...STRINGS, null, true, [], {}, POLLUTING, nested(64)];

const EXTRA_FIELDS = ['__proto__', 'constructor', 'unexpected', 'x'.repeat(300)];

type Route = OperationRoute<unknown>;
type Path = readonly (string | number)[];

type Mutation =
  | { kind: 'field'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; name: string; value: unknown }
  | { kind: 'body'; value: unknown }
  | { kind: 'parameter'; at: number; text: string };

/**
 * Sends the operation requests derived from `base` (a valid request where one could be made) with
 * one to three hostile changes each, and checks every answer: never a server error, and an error body
 * as the spec declares it (ContractClient.expectHandled).
 */
export async function expectNoServerErrors(
  client: ContractClient,
  operationId: string,
  base: ContractRequest,
): Promise<void> {
  const route = (routes as readonly Route[]).find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route for operation ${operationId}`);
  const requests = fc
    .array(mutation(), { minLength: 1, maxLength: 3 })
    .map((mutations) => mutations.reduce((request, change) => apply(route, base, request, change), base));
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      client.expectHandled(operationId, await client.send(operationId, request));
    }),
    { seed: seedOf(operationId), numRuns: RUNS, endOnFailure: true },
  );
}

function mutation(): fc.Arbitrary<Mutation> {
  const value = fc.constantFrom(...VALUES);
  return fc.oneof(
    fc.record({ kind: fc.constant('field' as const), at: fc.nat(), value }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('extra' as const), name: fc.constantFrom(...EXTRA_FIELDS), value }),
    fc.record({ kind: fc.constant('body' as const), value }),
    fc.record({ kind: fc.constant('parameter' as const), at: fc.nat(), text: fc.constantFrom(...TEXTS) }),
  );
}

function apply(route: Route, base: ContractRequest, request: ContractRequest, change: Mutation): ContractRequest {
  if (change.kind === 'parameter') return withParameter(route, base, request, change.at, change.text);
  const mediaType = request.body?.mediaType ?? route.requestMediaTypes.find((type) => /json/.test(type));
  // Bodies of other media types (files, text) are the parsers' business, tested by Fastify itself.
  if (mediaType === undefined || !/json|x-www-form-urlencoded/.test(mediaType)) return request;
  const body = request.body?.value;
  if (change.kind === 'body')
    return /json/.test(mediaType) || isRecord(change.value)
      ? { ...request, body: { mediaType, value: change.value } }
      : request;
  if (change.kind === 'extra')
    return isRecord(body)
      ? { ...request, body: { mediaType, value: withKey(body, change.name, change.value) } }
      : request;
  const paths = pathsOf(body);
  const path = paths[change.at % Math.max(paths.length, 1)];
  if (path === undefined) return request;
  return {
    ...request,
    body: { mediaType, value: change.kind === 'field' ? setAt(body, path, change.value) : dropAt(body, path) },
  };
}

/** Replaces one declared parameter's value: in the URL for a path parameter, else in the query or headers. */
function withParameter(
  route: Route,
  base: ContractRequest,
  request: ContractRequest,
  at: number,
  text: string,
): ContractRequest {
  const parameters = route.parameters.filter((p) => p.in !== 'cookie');
  const parameter = parameters[at % Math.max(parameters.length, 1)];
  if (!parameter) return request;
  if (parameter.in === 'query') return { ...request, query: { ...request.query, [parameter.name]: text } };
  if (parameter.in === 'header') {
    // Header values are latin-1 on the wire; anything else never reaches the server.
    if (!/^[\x20-\x7e]*$/.test(text)) return request;
    return { ...request, headers: { ...request.headers, [parameter.name.toLowerCase()]: text } };
  }
  const index = route.url.split('/').indexOf(`:${parameter.routeName}`);
  const segments = request.url.split('/');
  // Only a parameter that is a whole segment: its sample's place in the URL is then known.
  if (index < 0 || segments.length !== base.url.split('/').length) return request;
  segments[index] = encodeSegment(text);
  return { ...request, url: segments.join('/') };
}

function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate has no UTF-8 form; what a client can send instead is an invalid sequence.
    return '%ED%A0%80';
  }
}

/** Every place in a body a value can be replaced or removed, outermost first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (isRecord(value))
    return Object.keys(value).flatMap((key) => [[...prefix, key], ...pathsOf(value[key], [...prefix, key])]);
  return [];
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? setAt(item, rest, replacement) : item));
  if (isRecord(value)) return withKey(value, String(head), setAt(value[String(head)], rest, replacement));
  return value;
}

function dropAt(value: unknown, path: Path): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (rest.length > 0) return setAt(value, [head], dropAt(childOf(value, head), rest));
  if (Array.isArray(value)) return value.filter((_, index) => index !== head);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).filter(([key]) => key !== head));
  return value;
}

function childOf(value: unknown, key: string | number): unknown {
  if (Array.isArray(value)) return value[Number(key)];
  return isRecord(value) ? value[String(key)] : undefined;
}

/** A copy with `key` set as an own property, even `__proto__`, as JSON.parse would make it. */
function withKey(value: Record<string, unknown>, key: string, item: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let level = 0; level < depth; level++) value = { value };
  return value;
}

function seedOf(operationId: string): number {
  let hash = 0;
  for (const char of operationId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}
