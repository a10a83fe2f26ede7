import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SignJWT } from 'jose';
import { namesRoles } from '../../src/model/security.js';
import type { ApiModel, Operation } from '../../src/model/types.js';
import { contractCases, type ContractRequest } from '../../src/plan/contract-cases.js';
import { buildRouteEntry, type RouteEntry } from '../../src/plan/route-entry.js';

/**
 * A client that knows only the spec (through the generator's model) and the server's URL. It sends
 * every operation a valid request, several invalid ones and, for secured operations, one without
 * credentials, and reports every answer that breaks the contract.
 */
export interface Credentials {
  jwtSecret: string;
  apiKey: string;
}

export interface Probe {
  operation: string;
  kind: 'valid' | 'invalid' | 'wrong-media-type' | 'not-acceptable' | 'no-credentials';
  status: number;
  body: string;
}

const ADDED_STATUSES = [400, 401, 403, 404, 405, 406, 413, 415, 429, 500, 501];

export async function probeEveryOperation(baseUrl: string, model: ApiModel, credentials: Credentials): Promise<{ probes: Probe[]; findings: string[] }> {
  const schemas = new Map(model.schemas.map((s) => [s.id, s.schema]));
  const lookup = (id: string) => schemas.get(id);
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false });
  addFormats.default(ajv, { mode: 'full' });
  for (const s of model.schemas) ajv.addSchema({ ...(typeof s.schema === 'object' ? s.schema : {}), $id: s.id });
  const probes: Probe[] = [];
  const findings: string[] = [];

  for (const operation of model.resources.flatMap((r) => r.operations)) {
    const route = buildRouteEntry(operation, lookup);
    const cases = contractCases(operation, model.basePath, lookup);
    const name = `${operation.method.toUpperCase()} ${operation.path}`;
    const send = async (kind: Probe['kind'], request: ContractRequest, options: { credentials: boolean; headers?: Record<string, string> }) => {
      const response = await sendRequest(baseUrl, operation, model, request, credentials, options);
      const probe: Probe = { operation: name, kind, status: response.status, body: await response.text() };
      probes.push(probe);
      for (const problem of check(probe, route, response.headers.get('content-type') ?? '', ajv)) findings.push(`${name} [${kind}] ${problem}: ${probe.status} ${probe.body.slice(0, 300)}`);
    };

    if (cases.valid) await send('valid', cases.valid, { credentials: true });
    if (cases.invalid) await send('invalid', cases.invalid.request, { credentials: true });
    if (cases.bare.body) await send('wrong-media-type', { ...cases.bare, body: { mediaType: 'application/vnd.not-declared', value: 'x' } }, { credentials: true });
    const sendable = !route.bodyRequired || cases.bare.body !== undefined;
    if (sendable && route.successes.some((s) => s.mediaTypes.length > 0)) await send('not-acceptable', cases.bare, { credentials: true, headers: { accept: 'application/vnd.not-declared' } });
    if (cases.requiresCredentials) await send('no-credentials', cases.bare, { credentials: false });
  }
  return { probes, findings };
}

function check(probe: Probe, route: RouteEntry, contentType: string, ajv: Ajv2020): string[] {
  const problems: string[] = [];
  const declared = new Set([...route.successes.map((s) => String(s.status)), ...Object.keys((route.schema.response ?? {}) as object).map((k) => k.toUpperCase())]);
  const status = probe.status;
  const isDeclared = declared.has(String(status)) || declared.has(`${String(status).charAt(0)}XX`) || declared.has('DEFAULT');
  // An operation whose spec declares no success at all answers an empty 200 when it succeeds.
  const undeclaredSuccess = status === 200 && route.successes.length === 0 && probe.body === '';
  if (!isDeclared && !ADDED_STATUSES.includes(status) && !undeclaredSuccess) problems.push('undeclared status');
  if (status >= 500 && status !== 501) problems.push('5xx other than 501');
  const expectations: Record<Probe['kind'], (s: number) => boolean> = {
    valid: (s) => ![400, 406, 413, 415].includes(s),
    invalid: (s) => s === 400 || s === 401,
    'wrong-media-type': (s) => s === 415 || s === 401,
    'not-acceptable': (s) => s === 406 || s === 401,
    'no-credentials': (s) => s === 401 || s === 403,
  };
  if (!expectations[probe.kind](status)) problems.push(`unexpected status for a ${probe.kind} request`);
  if (status >= 400 && !contentType.includes('json')) problems.push('error without a JSON body');
  if (contentType.includes('json') && probe.body !== '') {
    const responses = (route.schema.response ?? {}) as Record<string, unknown>;
    const schema = responses[String(status)] ?? responses[`${String(status).charAt(0)}xx`] ?? responses.default;
    if (schema !== undefined) {
      const validate: ValidateFunction = ajv.compile(schema as object);
      if (!validate(JSON.parse(probe.body))) problems.push(`body does not match the spec (${ajv.errorsText(validate.errors)})`);
    } else if (status >= 400) {
      const body = JSON.parse(probe.body) as Record<string, unknown>;
      if (Object.keys(body).length === 0) problems.push('empty error body');
    }
  }
  return problems;
}

async function sendRequest(baseUrl: string, operation: Operation, model: ApiModel, request: ContractRequest, credentials: Credentials, options: { credentials: boolean; headers?: Record<string, string> }): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers, ...options.headers };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  if (options.credentials) {
    const requirement = operation.security.find((r) => r.schemes.length > 0 && r.schemes.every((s) => ['bearer', 'oauth2', 'openIdConnect', 'apiKey'].includes(model.securitySchemes.find((x) => x.key === s.key)?.kind ?? '')));
    for (const { key, scopes } of requirement?.schemes ?? []) {
      const scheme = model.securitySchemes.find((s) => s.key === key);
      if (scheme?.kind === 'apiKey') {
        if (scheme.in === 'query') query.set(scheme.parameterName ?? '', credentials.apiKey);
        else if (scheme.in === 'cookie') headers.cookie = [headers.cookie, `${scheme.parameterName}=${credentials.apiKey}`].filter(Boolean).join('; ');
        else headers[scheme.parameterName ?? 'x-api-key'] = credentials.apiKey;
      } else if (scheme) {
        // A bearer requirement names roles, in the claim the scheme names; OAuth2 and OpenID Connect name scopes.
        const claims = namesRoles(scheme.kind) ? nested(scheme.rolesClaim ?? 'roles', scopes) : { scope: scopes.join(' ') };
        const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('black-box').setExpirationTime('5m').sign(new TextEncoder().encode(credentials.jwtSecret));
        headers.authorization = `Bearer ${token}`;
      }
    }
  }
  let body: string | undefined;
  if (request.body) {
    headers['content-type'] = request.body.mediaType;
    body = encodeBody(request.body);
  }
  const search = query.toString();
  return fetch(`${baseUrl}${request.url}${search ? `?${search}` : ''}`, { method: operation.method.toUpperCase(), headers, ...(body !== undefined && { body }) });
}

/** `realm_access.roles` -> `{ realm_access: { roles } }`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  const [first = path, ...rest] = path.split('.');
  return { [first]: rest.length === 0 ? value : nested(rest.join('.'), value) };
}

function encodeBody(body: NonNullable<ContractRequest['body']>): string {
  if (/json/.test(body.mediaType)) return JSON.stringify(body.value);
  if (body.mediaType !== 'application/x-www-form-urlencoded') return String(body.value);
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body.value as Record<string, unknown>)) form.append(key, String(value));
  return form.toString();
}
