import { error, ScaffoldError } from '../diagnostics/diagnostic.js';
import type { SignInBinding, SignInOperation } from '../model/crud/bind-sign-in.js';
import { toTypeScript } from '../model/domain/expression.js';
import type { DomainModel, Entity, SignIn } from '../model/domain/types.js';
import type { ApiModel } from '../model/types.js';
import { stringLiteral } from '../model/naming.js';
import { repositoryProperty } from './persistence-view.js';

/** What src/services/sign-in.gen.ts is written from (docs/security.md, "Sign-in"). */
export interface SignInView {
  /** The credentials entity's class, module and repository (`User`, `user`, `users`). */
  userClass: string;
  userModule: string;
  userRepository: string;
  sessionClass: string;
  sessionModule: string;
  sessionRepository: string;
  /** The session's reference to its user (`userId`). */
  sessionUser: string;
  identifier: string;
  password: string;
  /** TypeScript reading the user's role names, or undefined when the model names no roles field. */
  roles: string | undefined;
  /** The JWT claim the roles go in (the bearer scheme's `x-roles-claim`, else `roles`), as a literal. */
  rolesClaim: string;
  /** A TypeScript condition over `user` for who may log in, or undefined. */
  activeCheck: string | undefined;
  /** The same condition over the account as the login's transaction reads it again. */
  activeCheckNow: string | undefined;
  lastLogin: string | undefined;
  /** The session's fields besides those sign-in sets, each with `null` (optional fields sign-in leaves empty). */
  sessionNulls: string[];
  lastSeenAt: boolean;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  lockoutAttempts: number;
  lockoutSeconds: number;
  /** Failed logins from one address after which every login from it is refused for the lockout's time. */
  addressAttempts: number;
  /** The session has an `ipAddress` field: set from the client's address on login and refresh. */
  ipAddress: boolean;
  /** The refresh-token cookie, as `Set-Cookie` attributes, when the spec declares one. */
  cookie: { name: string; attributes: string } | undefined;
  /** The generated tests' function that stores a valid user (test/support/samples.gen.ts). */
  sampleUser: string;
  /** Import lines of the user-owned service classes, for the generated tests. */
  serviceImports: string[];
  /** Import lines of the DTO namespaces the steps use. */
  dtoImports: string[];
  /** The password policy's checks (`minLength` the number or undefined) and the spec's code for a refusal (a literal), when declared. */
  passwordPolicy:
    | { minLength: number | undefined; requireUppercase: boolean; requireLowercase: boolean; requireDigit: boolean; requireSymbol: boolean; code: string | undefined; weakPassword: string | undefined }
    | undefined;
  /** Where the current user's permissions come from: the roles' repository and fields. */
  rolePermissions: { repository: string; name: string; permissions: string } | undefined;
  login: StepView | undefined;
  refresh: StepView | undefined;
  logout: StepView | undefined;
  me: StepView | undefined;
  changePassword: StepView | undefined;
}

export interface StepView {
  operationId: string;
  /** The success status. */
  status: number;
  /** The request URL as a TypeScript template literal (the password change's holds `${userId}`). */
  url: string;
  /** The user-owned service class that holds the step's method, its module, and the method (generated tests skip once it is overridden). */
  serviceClass: string;
  serviceModule: string;
  methodName: string;
  inputType: string;
  resultType: string;
  /** The token response's members the step fills. */
  tokenMembers: Record<string, boolean>;
  /** Whether the step sets or clears the refresh-token cookie (its success response declares `Set-Cookie`). */
  setsCookie: boolean;
  /** refresh: the cookie parameter's name (a literal) that may carry the token. */
  cookieParameter: string | undefined;
  /** changePassword: the path parameter holding the user's id. */
  userParameter: string | undefined;
  /** me: the mapper of the user (`toUser`), and whether the response adds the session id and the permissions. */
  mapper: string | undefined;
  sessionId: boolean;
  permissions: boolean;
  /** The spec's code for the step's own refusal, as a literal (`'REFRESH_TOKEN_REUSED'`), or undefined. */
  refusalCode: string | undefined;
}

const FILLED = new Set(['refreshTokenHash', 'refreshGeneration', 'expiresAt', 'revokedAt', 'lastSeenAt', 'ipAddress']);

export function buildSignInView(binding: SignInBinding, domain: DomainModel, model: ApiModel, serviceSuffix = 'Service'): SignInView {
  const { signIn } = binding;
  const entity = (name: string): Entity => domain.entities.find((e) => e.names.original === name)!;
  const user = entity(signIn.entity);
  const session = entity(signIn.sessions.entity);
  const reference = session.relations.find((r) => r.names.original === signIn.sessions.relation)!;
  const sessionNulls: string[] = [];
  for (const field of session.fields) {
    if (FILLED.has(field.names.original) || field.default !== undefined) continue;
    if (field.required) {
      throw new ScaffoldError([error('SCF027', `sign-in cannot fill the required field "${field.names.original}" of ${session.names.original}: give it a default or say required: false`)]);
    }
    sessionNulls.push(field.names.camel);
  }
  const operations = model.resources.flatMap((r) => r.operations.map((o) => ({ resource: r, operation: o })));
  const dtoImports = new Set<string>();
  const step = (bound: SignInOperation | undefined): StepView | undefined => {
    if (!bound) return undefined;
    const found = operations.find((o) => o.operation.operationId === bound.operationId)!;
    const namespace = `${found.resource.names.pascal}Dto`;
    dtoImports.add(`import type * as ${namespace} from '../dto/${found.resource.names.kebab}.dto.gen.js';`);
    const success = found.operation.responses.find((r) => Number(r.status) === bound.status);
    const path = `${model.basePath}${found.operation.path}`.replace(/\{[^}]+\}/g, '${userId}').replaceAll('`', '\\`');
    return {
      operationId: bound.operationId,
      status: bound.status,
      url: `\`${path}\``,
      serviceClass: `${found.resource.names.pascal}${serviceSuffix}`,
      serviceModule: `../../src/services/${found.resource.names.kebab}.service.js`,
      methodName: found.operation.methodName,
      inputType: `${namespace}.${found.operation.typeName}Input`,
      resultType: `${namespace}.${found.operation.typeName}Result`,
      tokenMembers: Object.fromEntries(bound.tokenMembers.map((m) => [m, true])),
      setsCookie: binding.cookie !== undefined && (success?.headers.some((h) => h.name.toLowerCase() === 'set-cookie') ?? false),
      cookieParameter: bound.cookieParameter === undefined ? undefined : stringLiteral(bound.cookieParameter),
      userParameter: bound.userParameter,
      mapper: bound.me && `to${bound.me.shape}`,
      sessionId: bound.me?.sessionId ?? false,
      permissions: bound.me?.permissions ?? false,
      refusalCode: (bound.codes.reused ?? bound.codes.wrongPassword) === undefined ? undefined : stringLiteral((bound.codes.reused ?? bound.codes.wrongPassword)!),
    };
  };
  const of = (name: SignInOperation['step']) => binding.operations.find((o) => o.step === name);
  const steps = { login: step(of('login')), refresh: step(of('refresh')), logout: step(of('logout')), me: step(of('me')), changePassword: step(of('changePassword')) };
  const roles = signIn.rolePermissions && entity(signIn.rolePermissions.entity);
  const bearer = model.securitySchemes.find((s) => s.kind === 'bearer' && s.rolesClaim !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.rolesClaim));
  return {
    userClass: user.names.pascal,
    userModule: `../models/${user.names.kebab}.entity.js`,
    userRepository: repositoryProperty(user),
    sessionClass: session.names.pascal,
    sessionModule: `../models/${session.names.kebab}.entity.js`,
    sessionRepository: repositoryProperty(session),
    sessionUser: `${reference.names.camel}Id`,
    identifier: signIn.identifier,
    password: signIn.password,
    roles: signIn.roles,
    rolesClaim: stringLiteral(bearer?.rolesClaim ?? 'roles'),
    activeCheck: signIn.activeWhen && toTypeScript(signIn.activeWhen, (field) => `user.${field}`),
    activeCheckNow: signIn.activeWhen && toTypeScript(signIn.activeWhen, (field) => `current.${field}`),
    lastLogin: signIn.lastLogin,
    sessionNulls,
    lastSeenAt: signIn.sessions.lastSeenAt,
    accessTokenSeconds: signIn.accessTokenSeconds,
    refreshTokenSeconds: signIn.refreshTokenSeconds,
    lockoutAttempts: signIn.lockout.attempts,
    lockoutSeconds: signIn.lockout.seconds,
    addressAttempts: signIn.lockout.addressAttempts,
    ipAddress: signIn.sessions.ipAddress,
    cookie: binding.cookie && { name: binding.cookie.name, attributes: `HttpOnly; Secure; SameSite=Strict; Path=${binding.cookie.path}` },
    dtoImports: [...dtoImports].sort(),
    sampleUser: `sample${user.names.pascal}`,
    passwordPolicy: signIn.passwordPolicy && {
      ...signIn.passwordPolicy,
      code: binding.passwordPolicyCode === undefined ? undefined : stringLiteral(binding.passwordPolicyCode),
      weakPassword: weakPassword(signIn.passwordPolicy),
    },
    rolePermissions: roles && signIn.rolePermissions && { repository: repositoryProperty(roles), name: signIn.rolePermissions.name, permissions: signIn.rolePermissions.permissions },
    serviceImports: [...new Set(Object.values(steps).flatMap((s) => (s ? [`import { ${s.serviceClass} } from '${s.serviceModule}';`] : [])))].sort(),
    ...steps,
  };
}

/** A password long enough for most schemas that breaks the policy's character rules (the generated tests' refusal), if it has any. */
function weakPassword(policy: NonNullable<SignIn['passwordPolicy']>): string | undefined {
  const length = Math.max(policy.minLength ?? 0, 16);
  if (policy.requireUppercase || policy.requireDigit || policy.requireSymbol) return stringLiteral('a'.repeat(length));
  if (policy.requireLowercase) return stringLiteral('A'.repeat(length));
  return undefined;
}
