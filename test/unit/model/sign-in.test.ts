import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { bindSignIn } from '../../../src/model/crud/bind-sign-in.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import type { DomainModel } from '../../../src/model/domain/types.js';
import { operationRules } from '../../../src/plan/rules/rule-coverage.js';
import { exampleModels, exampleSpec } from '../../support/fixtures.js';

/**
 * Sign-in from declarations (docs/security.md, "Sign-in"): the model's `signIn` names the credentials
 * entity, the session entity and the operations; every name and field it needs is checked (SCF027).
 */
const USER = `
  User:
    fields:
      email: { type: string, unique: true }
      passwordHash: { type: string }
      status: { type: enum, values: [active, suspended], default: active }
      roles: { type: json }
      failedLogins: { type: integer, default: 0 }
      lockedUntil: { type: datetime, required: false }
      lastLoginAt: { type: datetime, required: false }`;
const SESSION = `
  Session:
    fields:
      refreshTokenHash: { type: string }
      refreshGeneration: { type: integer, default: 0 }
      expiresAt: { type: datetime }
      revokedAt: { type: datetime, required: false }
      lastSeenAt: { type: datetime }
    relations:
      user: { kind: many-to-one, target: User, onDelete: cascade }`;
const SIGN_IN = `
signIn:
  entity: User
  identifier: email
  password: passwordHash
  roles: roles
  activeWhen: status == 'active'
  sessions: Session
  operations: { login: login }`;

async function domainOf(text: string): Promise<DomainModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-sign-in-'));
  await writeFile(join(dir, 'domain.yaml'), text);
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

async function problems(text: string): Promise<string[]> {
  try {
    await domainOf(text);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    return error.diagnostics.map((d) => `${d.code} ${d.message}${d.location?.line === undefined ? '' : ` (line ${d.location.line})`}`);
  }
  return [];
}

describe('the signIn declaration', () => {
  it('is read with its defaults: 15-minute access tokens, 30-day refresh tokens, a lockout after 5 failures for 15 minutes', async () => {
    const { signIn } = await domainOf(`schemaVersion: 1\nentities:${USER}${SESSION}\n${SIGN_IN}\n`);
    expect(signIn).toMatchObject({
      entity: 'User',
      identifier: 'email',
      password: 'passwordHash',
      roles: 'roles',
      lastLogin: 'lastLoginAt',
      sessions: { entity: 'Session', relation: 'user', lastSeenAt: true, ipAddress: false, userAgent: false },
      accessTokenSeconds: 900,
      refreshTokenSeconds: 30 * 86_400,
      lockout: { attempts: 5, seconds: 900, addressAttempts: 20 },
      operations: { login: 'login' },
    });
    expect(signIn?.operationLocations.login?.line).toBe(29);
  });

  it('names each missing or unfit field, entity and relation, located in the model (SCF027)', async () => {
    const user = USER.replace('      email: { type: string, unique: true }', '      email: { type: string }').replace(/      lockedUntil: .*\n/, '');
    const session = SESSION.replace('refreshGeneration: { type: integer, default: 0 }', 'refreshGeneration: { type: string }').replace(/    relations:\n.*/, '');
    expect(await problems(`schemaVersion: 1\nentities:${user}${session}\n${SIGN_IN.replace("status == 'active'", "state == 'active'")}\n`)).toEqual([
      'SCF027 signIn identifier "email" of User must be unique (line 22)',
      'SCF027 the lockout needs field "lockedUntil" of User does not exist (line 21)',
      'SCF027 sign-in sessions need field "refreshGeneration" of Session must be of type integer (line 26)',
      'SCF027 session entity Session needs a many-to-one relation to User (line 26)',
      'SCF027 signIn activeWhen names unknown field state of User (line 25)',
    ]);
    expect(await problems(`schemaVersion: 1\nentities:${USER}${SESSION}\n${SIGN_IN.replace('entity: User', 'entity: Usr')}\n`)).toEqual(['SCF027 signIn names unknown entity "Usr"; did you mean "User"? (line 23)']);
  });

  it('is refused by the schema without its operations or with an unknown step (SCF030)', async () => {
    expect(await problems(`schemaVersion: 1\nentities:${USER}${SESSION}\n${SIGN_IN.replace('operations: { login: login }', 'operations: { signUp: createUser }')}\n`)).toEqual([
      expect.stringMatching(/^SCF030 .*signUp/),
    ]);
  });
});

describe('json defaults', () => {
  it('may be a list or an object for a json field only (SCF031)', async () => {
    const domain = await domainOf(`schemaVersion: 1\nentities:\n  Tag:\n    fields:\n      names: { type: json, default: [] }\n`);
    expect(domain.entities[0]?.fields[0]?.default).toEqual([]);
    expect(await problems(`schemaVersion: 1\nentities:\n  Tag:\n    fields:\n      name: { type: string, default: [] }\n`)).toEqual(['SCF031 default of "name" may be a list or an object only for a json field (line 5)']);
  });
});

describe('sign-in bound to the spec', () => {
  const userManagement = async () => {
    const spec = await loadSpec(exampleSpec('user-management'));
    const { model } = buildModel(spec);
    const domain = buildDomainModel(await loadDomainModel(exampleModels('user-management')!));
    return { model, domain, crud: bindOperations(model, domain) };
  };

  it('reads each step from its operation: the token members, the refresh cookie, the codes the spec states', async () => {
    const { model, domain, crud } = await userManagement();
    const binding = bindSignIn(model, domain, crud);
    expect(binding?.cookie).toEqual({ name: 'refresh_token', path: '/api/v1/auth' });
    expect(binding?.operations.map((o) => [o.step, o.operationId, o.status, o.tokenMembers.join(' '), o.codes])).toEqual([
      ['login', 'login', 200, 'accessToken refreshToken expiresIn tokenType', {}],
      ['refresh', 'refreshToken', 200, 'accessToken refreshToken expiresIn tokenType', { reused: 'REFRESH_TOKEN_REUSED' }],
      ['logout', 'logout', 204, '', {}],
      ['me', 'getCurrentUser', 200, '', {}],
      ['changePassword', 'changePassword', 204, '', { wrongPassword: 'INVALID_CURRENT_PASSWORD' }],
    ]);
    expect(crud.operations.get('login')?.implementation).toMatchObject({ kind: 'sign-in', step: 'login' });
    expect(binding?.operations.find((o) => o.step === 'changePassword')?.userParameter).toBe('userId');
    expect(binding?.operations.find((o) => o.step === 'me')?.me).toEqual({ shape: 'User', sessionId: true, permissions: true });
  });

  it('covers in the report the rules its steps enforce, and leaves listed those they do not', async () => {
    const { model, domain, crud } = await userManagement();
    bindSignIn(model, domain, crud);
    const operation = (id: string) => model.resources.flatMap((r) => r.operations).find((o) => o.operationId === id)!;
    const undeclared = (id: string) => operationRules(operation(id), crud.operations.get(id), domain).proseRules.filter((r) => r.undeclared.length > 0).map((r) => `${r.undeclared.join(', ')}: ${r.text}`);
    // Reuse answers 401 REFRESH_TOKEN_REUSED; only the account itself may change its password, a wrong current one answers 422 INVALID_CURRENT_PASSWORD.
    expect(undeclared('refreshToken')).toEqual([]);
    // With the password policy, a new password that breaks it answers 422 PASSWORD_POLICY_VIOLATION, on a password change and a create.
    expect(undeclared('changePassword')).toEqual([]);
    // The e-mail is unique ignoring case (unique: ignore-case), as the description says.
    expect(undeclared('createUser')).toEqual([]);
    const withoutPolicy = { ...domain, signIn: { ...domain.signIn!, passwordPolicy: undefined } };
    const { crud: plain } = { crud: bindOperations(model, withoutPolicy) };
    bindSignIn(model, withoutPolicy, plain);
    expect(operationRules(operation('changePassword'), plain.operations.get('changePassword'), withoutPolicy).proseRules.find((r) => r.text.startsWith('The current'))?.unanswered).toEqual([{ status: 422, code: 'PASSWORD_POLICY_VIOLATION' }]);
    expect(bindSignIn(model, domain, crud)?.passwordPolicyCode).toBe('PASSWORD_POLICY_VIOLATION');
    // Failed logins lock the account, and the address they come from.
    expect(undeclared('login')).toEqual([]);
    expect(operationRules(operation('getPasswordPolicy'), crud.operations.get('getPasswordPolicy'), domain).notImplemented).toBe(true);
  });

  it('stores a created user`s password as its hash (createUser), and only the credentials entity`s', async () => {
    const { crud } = await userManagement();
    const created = crud.operations.get('createUser')?.implementation;
    expect(created && 'operation' in created ? created.operation.input.find((p) => p.property === 'password') : undefined).toMatchObject({ field: 'passwordHash', conversion: 'password-hash', optional: false });
  });

  it('refuses an operation the spec does not have, or one without what its step needs (SCF027)', async () => {
    const { model, domain, crud } = await userManagement();
    const signIn = domain.signIn!;
    const bind = (operations: typeof signIn.operations) => {
      try {
        bindSignIn(model, { ...domain, signIn: { ...signIn, operations } }, crud);
      } catch (error) {
        if (!(error instanceof ScaffoldError)) throw error;
        return error.diagnostics.map((d) => `${d.code} ${d.message}`);
      }
      return [];
    };
    expect(bind({ login: 'logIn' })).toEqual(['SCF027 signIn login: the spec has no operation "logIn"']);
    expect(bind({ me: 'getCurrentUser' }).length).toBe(0);
    // Without rolePermissions, the response's required `permissions` has no source.
    expect(() => bindSignIn(model, { ...domain, signIn: { ...signIn, rolePermissions: undefined, operations: { me: 'getCurrentUser' } } }, crud)).toThrow(
      'signIn me: the response requires "permissions", which no representation of User the other operations return has ("permissions" needs signIn.rolePermissions) (operation getCurrentUser)',
    );
    expect(bind({ login: 'refreshToken', logout: 'login', changePassword: 'getUser' })).toEqual([
      'SCF027 signIn login: the request body needs a "email" property (operation refreshToken)',
      'SCF027 signIn logout: it must require the access token (a security requirement) to know which session to end (operation login)',
      'SCF027 signIn changePassword: the request body needs a "currentPassword" property (operation getUser)',
    ]);
  });
});
