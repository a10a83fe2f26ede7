import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import type { JsonSchema, OperationRoute } from '../../src/controllers/operation-route.js';
import { routes } from '../../src/controllers/routes.gen.js';
import { componentSchemas, sharedErrorSchemaId } from '../../src/dto/schemas.gen.js';
import { FakePaymentGateway } from '../../src/gateways/payment-gateway.fake.js';
import type { Gateways } from '../../src/gateways/gateways.gen.js';
import { securitySchemes } from '../../src/middlewares/security-schemes.gen.js';
import type { DatabaseConnection } from '../../src/repositories/database.js';
import { testDatabase } from './database.js';

export const TEST_JWT_SECRET = 'contract-tests-secret-0123456789abcdef';
export const TEST_API_KEY = 'contract-tests-api-key';

/** Statuses any operation may answer besides those it declares. */
const ADDED_STATUSES = [400, 401, 403, 404, 405, 406, 413, 415, 429, 501];

/** The house envelope's error body, for errors whose status the spec gives no schema. */
const ENVELOPE_ERROR_SCHEMA = {
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

export interface ContractRequest {
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: { mediaType: string; value: unknown };
}

type AnyRoute = OperationRoute<unknown>;

/** Sends requests to the app in-process and checks the answers against the spec. */
export class ContractClient {
  private readonly ajv = createAjv();
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    private readonly app: FastifyInstance,
    /** The test database the app runs on. */
    readonly database: DatabaseConnection,
    /** The external services the app calls: the development fakes, which a test may tell what to answer. */
    readonly gateways: Gateways,
  ) {}

  static async start(): Promise<ContractClient> {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: TEST_JWT_SECRET,
      API_KEYS: TEST_API_KEY,
      RATE_LIMIT_MAX: '1000000',
    });
    const database = await testDatabase();
    const gateways: Gateways = {
      paymentGateway: new FakePaymentGateway(),
    };
    const app = await buildApp(config, { database, gateways });
    await app.ready();
    return new ContractClient(app, database, gateways);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.close();
  }

  /** `credentials: false` sends none; `roles: false` sends credentials without the roles the operation asks for. */
  async send(
    operationId: string,
    request: ContractRequest,
    options: { credentials?: boolean; roles?: boolean; caller?: TestCaller } = {},
  ): Promise<LightMyRequestResponse> {
    const route = this.route(operationId);
    const headers: Record<string, string> = { ...request.headers };
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query)) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
    }
    if (options.credentials !== false)
      await this.addCredentials(route, headers, query, options.roles !== false, options.caller);
    const search = query.toString();
    return this.app.inject({
      method: route.method as 'GET',
      url: `${request.url}${search ? `?${search}` : ''}`,
      headers: { ...headers, ...(request.body && { 'content-type': request.body.mediaType }) },
      ...(request.body && { payload: encodeBody(request.body) }),
    });
  }

  /**
   * A valid request: a declared (or added) status other than the ones that mean "your request is wrong".
   * `madeUpCredentials`: the request carries credentials the operation checks (a login's password), so 401 is right.
   */
  expectAccepted(
    operationId: string,
    response: LightMyRequestResponse,
    options: { madeUpCredentials?: boolean } = {},
  ): void {
    this.expectConforming(operationId, response);
    expect([400, 406, 413, 415], describe(response)).not.toContain(response.statusCode);
    if (response.statusCode === 401 && !options.madeUpCredentials)
      expect(this.canAuthenticate(this.route(operationId)), describe(response)).toBe(false);
  }

  /** An invalid request: 400 with a conforming error body (or 401 first, when no test credentials exist for the scheme). */
  expectRejected(operationId: string, response: LightMyRequestResponse): void {
    this.expectConforming(operationId, response);
    const expected = this.canAuthenticate(this.route(operationId)) ? [400] : [400, 401];
    expect(expected, describe(response)).toContain(response.statusCode);
  }

  expectCredentialsRequired(operationId: string, response: LightMyRequestResponse): void {
    this.expectConforming(operationId, response);
    expect(response.statusCode, describe(response)).toBe(401);
  }

  /** Valid credentials without the operation's roles: 403 with the error body. */
  expectForbidden(operationId: string, response: LightMyRequestResponse): void {
    this.expectConforming(operationId, response);
    expect(response.statusCode, describe(response)).toBe(403);
  }

  /** The status is declared or one any API may add; a JSON body validates against the spec's schema for it. */
  expectConforming(operationId: string, response: LightMyRequestResponse): void {
    const route = this.route(operationId);
    const status = response.statusCode;
    const declared = declaredStatuses(route);
    // An operation whose spec declares no success at all answers an empty 200 when it succeeds.
    const undeclaredSuccess = status === 200 && route.successes.length === 0;
    const allowed =
      declared.includes(status) ||
      declared.includes(`${String(status).charAt(0)}XX`) ||
      declared.includes('default') ||
      ADDED_STATUSES.includes(status) ||
      undeclaredSuccess;
    expect(allowed, `status ${status} is neither declared nor an allowed addition: ${describe(response)}`).toBe(true);
    expect(status, describe(response)).not.toBe(500);
    this.expectBodyConforming(operationId, response);
  }

  /**
   * Whatever the request: no server error (501, a stub's answer, excepted), and a refusal carries the
   * error body the spec declares for its status (or the shared one), unless the spec declares it bodiless.
   */
  expectHandled(operationId: string, response: LightMyRequestResponse): void {
    const status = response.statusCode;
    expect(status < 500 || status === 501, `server error: ${describe(response)}`).toBe(true);
    if (status < 400) return;
    const route = this.route(operationId);
    const bodiless = route.errorStatuses.includes(String(status)) && route.errorBodies[String(status)] === undefined;
    if (!bodiless)
      expect(String(response.headers['content-type'] ?? ''), `no JSON error body: ${describe(response)}`).toContain(
        'json',
      );
    this.expectBodyConforming(operationId, response);
  }

  private expectBodyConforming(operationId: string, response: LightMyRequestResponse): void {
    if (!String(response.headers['content-type'] ?? '').includes('json') || response.body === '') return;
    const status = response.statusCode;
    const validate = this.validator(`${operationId}:${status}`, responseSchema(this.route(operationId), status));
    const body: unknown = response.json();
    expect(
      validate(body),
      `body does not match the spec: ${this.ajv.errorsText(validate.errors)}: ${response.body}`,
    ).toBe(true);
  }

  private route(operationId: string): AnyRoute {
    const route = (routes as readonly AnyRoute[]).find((r) => r.operationId === operationId);
    if (!route) throw new Error(`no route for operation ${operationId}`);
    return route;
  }

  private validator(key: string, schema: JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private canAuthenticate(route: AnyRoute): boolean {
    return route.security.length === 0 || route.security.some((r) => r.schemes.every(testable));
  }

  private async addCredentials(
    route: AnyRoute,
    headers: Record<string, string>,
    query: URLSearchParams,
    withRoles: boolean,
    caller?: TestCaller,
  ): Promise<void> {
    const requirement = route.security.find((r) => r.schemes.length > 0 && r.schemes.every(testable));
    for (const { key, scopes } of requirement?.schemes ?? []) {
      const scheme = securitySchemes[key];
      if (!scheme) continue;
      if (scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') {
        headers.authorization = `Bearer ${await testToken(scopes)}`;
      } else if (scheme.kind === 'apiKey') {
        const name = scheme.parameterName ?? '';
        if (scheme.in === 'query') query.set(name, TEST_API_KEY);
        else if (scheme.in === 'cookie')
          headers.cookie = [headers.cookie, `${name}=${TEST_API_KEY}`].filter(Boolean).join('; ');
        else headers[name.toLowerCase()] = TEST_API_KEY;
      } else {
        // The names of a bearer requirement are roles, in the claim the scheme names.
        // The operation's roles unless a test leaves them out, and those the policies name besides (or the caller's own).
        const besides = caller?.roles ?? TEST_ROLES;
        const names = [
          ...new Set([...(withRoles ? scopes : []), ...besides.filter((role) => withRoles || !scopes.includes(role))]),
        ];
        headers.authorization = `Bearer ${await testToken([], caller?.subject ?? 'contract-test-user', { claim: scheme.rolesClaim, names })}`;
      }
    }
  }
}

/** The tests make JWTs and the API key they configure; that key grants no roles. */
function testable({ key, scopes }: { key: string; scopes: readonly string[] }): boolean {
  const kind = securitySchemes[key]?.kind;
  return (
    kind === 'bearer' || kind === 'oauth2' || kind === 'openIdConnect' || (kind === 'apiKey' && scopes.length === 0)
  );
}

/** The roles the domain model's policies name: a test caller holds them all unless its test says otherwise. */
export const TEST_ROLES: readonly string[] = ['admin'];

/** Who a test sends a request as, to try the domain model's policies: a subject and the roles it holds. */
export interface TestCaller {
  subject: string;
  roles: readonly string[];
}

/** A signed-in caller who owns nothing and holds none of the policies' roles. */
export const ANOTHER_CALLER: TestCaller = { subject: 'b0000000-0000-4000-8000-00000000000b', roles: [] };

/** A token for the test secret; `roles` go in their claim (default `roles`; a dotted path nests them). */
export async function testToken(
  scopes: readonly string[],
  subject = 'contract-test-user',
  roles?: { claim: string | undefined; names: readonly string[] },
): Promise<string> {
  const claims = { scope: scopes.join(' '), ...(roles && nested(roles.claim ?? 'roles', [...roles.names])) };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** `realm_access.roles` -> `{ realm_access: { roles: value } }`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  const [first = path, ...rest] = path.split('.');
  return Object.fromEntries([[first, rest.length === 0 ? value : nested(rest.join('.'), value)]]);
}

function declaredStatuses(route: AnyRoute): (number | string)[] {
  const response = (route.schema.response ?? {}) as Record<string, unknown>;
  return [
    ...route.successes.map((s) => s.status),
    ...Object.keys(response).map((key) =>
      /^\d+$/.test(key) ? Number(key) : key.toUpperCase().replace('DEFAULT', 'default'),
    ),
  ];
}

function responseSchema(route: AnyRoute, status: number): JsonSchema {
  const response = (route.schema.response ?? {}) as Record<string, JsonSchema>;
  const declared = response[String(status)] ?? response[`${String(status).charAt(0)}xx`] ?? response.default;
  if (declared !== undefined) return declared;
  if (status < 400) return true;
  return sharedErrorSchemaId === undefined ? ENVELOPE_ERROR_SCHEMA : { $ref: sharedErrorSchemaId };
}

function encodeBody(body: NonNullable<ContractRequest['body']>): string {
  if (/json/.test(body.mediaType)) return JSON.stringify(body.value);
  if (body.mediaType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body.value as Record<string, unknown>))
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    return form.toString();
  }
  return String(body.value);
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false });
  addFormats.default(ajv, { mode: 'full' });
  for (const schema of componentSchemas) ajv.addSchema(schema);
  return ajv;
}

function describe(response: LightMyRequestResponse): string {
  return `${response.statusCode} ${response.body.slice(0, 500)}`;
}
