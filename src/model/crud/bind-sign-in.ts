import { error, ScaffoldError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DomainModel, SignIn, SignInStep } from '../domain/types.js';
import type { ApiModel, Operation, ResponseDefinition } from '../types.js';
import { createSchemaReader, type SchemaReader } from './schema-shape.js';
import type { CrudModel, OutputShape, SignInRules } from './types.js';

/** The members of a token response the generated sign-in fills. */
export const TOKEN_MEMBERS = ['accessToken', 'refreshToken', 'expiresIn', 'tokenType'] as const;
export type TokenMember = (typeof TOKEN_MEMBERS)[number];

/** How one operation performs its sign-in step, as read from the spec. */
export interface SignInOperation {
  step: SignInStep;
  operationId: string;
  /** The success status, and whether its body is in the house envelope (none for 204). */
  status: number;
  envelope: boolean;
  /** The token response's members, when the step answers with tokens. */
  tokenMembers: TokenMember[];
  /** changePassword: the path parameter holding the user's id (it must be the caller's). */
  userParameter: string | undefined;
  /** refresh: the cookie parameter that may carry the refresh token instead of the body. */
  cookieParameter: string | undefined;
  /** me: the mapper of the user's representation (`User` -> `toUser`) and the members added to it. */
  me: { shape: string; sessionId: boolean; permissions: boolean } | undefined;
  /** Codes the spec states for the step's own refusals (`401 REFRESH_TOKEN_REUSED`). */
  codes: { reused?: string; wrongPassword?: string };
}

/** Sign-in bound to the spec: the declaration, each step's operation, and the refresh-token cookie. */
export interface SignInBinding {
  signIn: SignIn;
  operations: SignInOperation[];
  /** The cookie the spec's `Set-Cookie` headers describe (`refresh_token`, path `/api/v1/auth`), if any. */
  cookie: { name: string; path: string } | undefined;
  /** The code the spec states for a password that breaks the policy (`422 PASSWORD_POLICY_VIOLATION`), if any. */
  passwordPolicyCode: string | undefined;
}

/**
 * Binds the model's `signIn` to the operations it names, checking that each operation has what its step
 * needs (SCF027, located at the name in the model), and marks those operations as implemented by
 * sign-in in the report.
 */
export function bindSignIn(model: ApiModel, domain: DomainModel, crud: CrudModel): SignInBinding | undefined {
  const signIn = domain.signIn;
  if (!signIn) return undefined;
  const reader = createSchemaReader(model.schemas);
  const byId = new Map(model.resources.flatMap((r) => r.operations.map((o) => [o.operationId, o] as const)));
  const diagnostics: Diagnostic[] = [];
  const operations: SignInOperation[] = [];
  let cookie: SignInBinding['cookie'];
  const all = model.resources.flatMap((r) => r.operations);
  const passwordPolicyCode = signIn.passwordPolicy ? all.flatMap((o) => o.responses.filter((r) => r.status === '422').flatMap((r) => r.codes.stated)).find((c) => /POLICY/.test(c)) : undefined;
  const policyRefusal = signIn.passwordPolicy && { status: 422, code: passwordPolicyCode ?? 'UNPROCESSABLE_ENTITY' };
  for (const [step, operationId] of Object.entries(signIn.operations) as [SignInStep, string][]) {
    const fail = (message: string) => diagnostics.push(error('SCF027', `signIn ${step}: ${message}`, signIn.operationLocations[step]));
    const operation = byId.get(operationId);
    if (!operation) {
      fail(`the spec has no operation "${operationId}"`);
      continue;
    }
    const bound = bindStep(step, operation, signIn, reader, crud);
    if (typeof bound === 'string') {
      fail(`${bound} (operation ${operationId})`);
      continue;
    }
    operations.push(bound);
    cookie ??= cookieOf(operation.responses.find((r) => Number(r.status) === bound.status));
    const entry = crud.operations.get(operationId);
    if (entry) crud.operations.set(operationId, { ...entry, entity: signIn.entity, implementation: { kind: 'sign-in', step, rules: stepRules(bound, signIn) }, notes: [] });
  }
  // Operations that store a new password (creating a user, changing one) answer the policy's refusals.
  if (policyRefusal) {
    for (const entry of crud.operations.values()) {
      const implementation = entry.implementation;
      const stores = 'operation' in implementation ? implementation.operation.input.some((p) => p.kind === 'field' && p.conversion === 'password-hash') : implementation.kind === 'sign-in' && implementation.step === 'changePassword';
      if (stores) crud.operations.set(entry.operationId, { ...entry, passwordPolicy: policyRefusal });
    }
  }
  if (diagnostics.length > 0) throw new ScaffoldError(diagnostics);
  return { signIn, operations, cookie, passwordPolicyCode };
}

/** The refusals a step answers, with the spec's codes where it states them, for the report. */
function stepRules(bound: SignInOperation, signIn: SignIn): SignInRules {
  const unauthorized = { status: 401, code: 'AUTHENTICATION_REQUIRED' };
  switch (bound.step) {
    case 'login':
      return {
        answers: [unauthorized, { status: 429, code: 'RATE_LIMITED' }, ...(signIn.activeWhen ? [{ status: 403, code: 'FORBIDDEN' }] : [])],
        throttlesFailures: true,
        ownAccountOnly: false,
        summary: `sign-in login (scrypt; lockout after ${signIn.lockout.attempts} failures of an account or ${signIn.lockout.addressAttempts} from an address, for ${signIn.lockout.seconds / 60} min)`,
      };
    case 'refresh':
      return { answers: [unauthorized, ...(bound.codes.reused ? [{ status: 401, code: bound.codes.reused }] : [])], throttlesFailures: false, ownAccountOnly: false, summary: 'sign-in refresh (rotation; reuse revokes the session)' };
    case 'logout':
      return { answers: [], throttlesFailures: false, ownAccountOnly: false, summary: "sign-in logout (revokes the token's session)" };
    case 'me':
      return { answers: [], throttlesFailures: false, ownAccountOnly: true, summary: 'sign-in me' };
    case 'changePassword':
      return {
        answers: [{ status: 403, code: 'FORBIDDEN' }, { status: 422, code: bound.codes.wrongPassword ?? 'UNPROCESSABLE_ENTITY' }],
        throttlesFailures: false,
        ownAccountOnly: true,
        summary: 'sign-in changePassword (own account; current password checked; other sessions revoked)',
      };
  }
}

function bindStep(step: SignInStep, operation: Operation, signIn: SignIn, reader: SchemaReader, crud: CrudModel): SignInOperation | string {
  const success = operation.responses.find((r) => /^2\d\d$/.test(r.status));
  if (!success) return 'it declares no success response';
  const status = Number(success.status);
  const body = operation.requestBody?.contents.find((c) => c.kind === 'json');
  const bodyShape = reader.objectShape(body?.schema);
  const secured = operation.security.length > 0 && operation.security.every((r) => r.schemes.length > 0);
  const codesAt = (code: number) => operation.responses.filter((r) => Number(r.status) === code).flatMap((r) => r.codes.stated);
  const base = { step, operationId: operation.operationId, status, envelope: success.envelope, tokenMembers: [], userParameter: undefined, cookieParameter: undefined, me: undefined, codes: {} };
  switch (step) {
    case 'login': {
      for (const property of [signIn.identifier, 'password']) if (!bodyShape?.properties.has(property)) return `the request body needs a "${property}" property`;
      const tokens = tokenMembers(success, reader);
      return typeof tokens === 'string' ? tokens : { ...base, tokenMembers: tokens };
    }
    case 'refresh': {
      const cookieParameter = operation.parameters.find((p) => p.in === 'cookie')?.name;
      if (!bodyShape?.properties.has('refreshToken') && cookieParameter === undefined) return 'the refresh token must come in a "refreshToken" property of the body or in a cookie parameter';
      const tokens = tokenMembers(success, reader);
      if (typeof tokens === 'string') return tokens;
      return { ...base, tokenMembers: tokens, cookieParameter, codes: { reused: codesAt(401).find((c) => /REUSE/.test(c)) } };
    }
    case 'logout':
      if (!secured) return 'it must require the access token (a security requirement) to know which session to end';
      return status === 204 || !success.contents.length ? base : 'it must answer without a body (204)';
    case 'me': {
      if (!secured) return 'it must require the access token (a security requirement)';
      const json = success.contents.find((c) => c.kind === 'json');
      const outer = reader.objectShape(json?.schema);
      const data = success.envelope ? reader.objectShape(outer?.properties.get('data')) : outer;
      if (!data) return 'the success response must be a JSON object: the user';
      const extras = new Set(['sessionId', ...(signIn.rolePermissions ? ['permissions'] : [])]);
      // The representation of the user another operation returns that leaves the fewest required members unfilled.
      const missingFrom = (shape: OutputShape) => [...data.required].filter((p) => !extras.has(p) && !shape.properties.some((o) => o.property === p));
      const candidates = crud.shapes.filter((s) => s.source.kind === 'entity' && s.source.name === signIn.entity).sort((a, b) => missingFrom(a).length - missingFrom(b).length);
      const shape = candidates[0];
      if (!shape || missingFrom(shape).length > 0) {
        const missing = shape ? missingFrom(shape) : [...data.required];
        return `the response requires ${missing.map((m) => `"${m}"`).join(', ')}, which no representation of ${signIn.entity} the other operations return has${missing.includes('permissions') ? ' ("permissions" needs signIn.rolePermissions)' : ''}`;
      }
      return { ...base, me: { shape: shape.name, sessionId: data.properties.has('sessionId'), permissions: data.properties.has('permissions') && signIn.rolePermissions !== undefined } };
    }
    case 'changePassword': {
      if (!secured) return 'it must require the access token (a security requirement)';
      for (const property of ['currentPassword', 'newPassword']) if (!bodyShape?.properties.has(property)) return `the request body needs a "${property}" property`;
      const userParameter = operation.parameters.filter((p) => p.in === 'path');
      if (userParameter.length !== 1) return "its path must have exactly one parameter, the user's id";
      if (status !== 204 && success.contents.length > 0) return 'it must answer without a body (204)';
      return { ...base, userParameter: userParameter[0]!.name, codes: { wrongPassword: codesAt(422).find((c) => /CURRENT|WRONG|INVALID/.test(c)) } };
    }
  }
}

/** The token response's members the generated code fills; a required member it cannot fill is an error. */
function tokenMembers(response: ResponseDefinition, reader: SchemaReader): TokenMember[] | string {
  const json = response.contents.find((c) => c.kind === 'json');
  const outer = reader.objectShape(json?.schema);
  const shape = response.envelope ? reader.objectShape(outer?.properties.get('data')) : outer;
  if (!shape) return 'the success response must be a JSON object holding the tokens';
  if (!shape.properties.has('accessToken')) return 'the success response needs an "accessToken" property';
  const unknown = [...shape.required].filter((name) => !(TOKEN_MEMBERS as readonly string[]).includes(name));
  if (unknown.length > 0) return `the success response requires ${unknown.map((n) => `"${n}"`).join(', ')}, which sign-in cannot fill (it fills ${TOKEN_MEMBERS.join(', ')})`;
  return TOKEN_MEMBERS.filter((name) => shape.properties.has(name));
}

/** The refresh-token cookie a `Set-Cookie` header's description shows: `refresh_token=…; HttpOnly; Path=/api/v1/auth`. */
function cookieOf(response: ResponseDefinition | undefined): SignInBinding['cookie'] {
  const header = response?.headers.find((h) => h.name.toLowerCase() === 'set-cookie');
  const name = header && /([A-Za-z0-9_-]+)=/.exec(header.description)?.[1];
  if (!header || !name) return undefined;
  return { name, path: /Path=([^;`\s]+)/i.exec(header.description)?.[1] ?? '/' };
}
