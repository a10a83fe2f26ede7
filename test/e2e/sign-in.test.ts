import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateExample } from '../support/generated-project.js';
import { runCommand } from '../support/run.js';
import { isReachable } from '../support/services.js';

const REDIS_UP = await isReachable('127.0.0.1', 6379);

/**
 * Sign-in from declarations: the user-management example, generated with its domain model and no
 * hand-written code, creates accounts with hashed passwords, logs in, refreshes, logs out and changes
 * passwords over real HTTP, on the embedded database and on PostgreSQL. One account holding the admin
 * role is seeded through the project's own repositories (assigning roles is not generated yet); the
 * other is created with POST /users.
 */
const JWT_SECRET = 'sign-in-secret-0123456789abcdef0123';
const PASSWORD = 'Correct-Horse-Battery-9';

interface Listening {
  baseUrl: string;
  userId: string;
  close(): Promise<void>;
}

interface Body {
  success: boolean;
  data?: { accessToken: string; refreshToken: string | null; expiresIn: number; tokenType: string };
  error?: { code: string };
}

let project: string;
let postgresUp = false;
const postgresDatabases: string[] = [];

beforeAll(async () => {
  project = await generateExample('user-management', 'e2e-sign-in');
  await buildProject(project);
  postgresUp = await isReachable('127.0.0.1', 5432);
});

afterAll(async () => {
  for (const database of postgresDatabases) {
    await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`], { cwd: project });
  }
});

/**
 * A PostgreSQL database of its own for each group of tests (failed-login counts live in the database:
 * one group's lockouts must not reach the next), or undefined when PostgreSQL is not running.
 */
async function postgresDatabase(name: string): Promise<string | undefined> {
  if (!postgresUp) return undefined;
  const database = `scaffold_e2e_sign_in_${name}_${process.pid}`;
  const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${database}`], { cwd: project });
  expect(created.code, created.output).toBe(0);
  postgresDatabases.push(database);
  return `postgres://postgres@127.0.0.1:5432/${database}`;
}

/** The built project's app on a free port, with one active account: seeded with the admin role, or created over HTTP (POST /users). */
async function listen(databaseUrl: string | undefined, dataDir: string, email: string, how: 'seeded' | 'created'): Promise<Listening> {
  const dist = (path: string) => import(join(project, 'dist', path));
  const { loadConfig } = await dist('config/env.js');
  const { connectDatabase } = await dist('repositories/database.js');
  const { createRepositories } = await dist('repositories/repositories.gen.js');
  const { User } = await dist('models/user.entity.js');
  const { Role } = await dist('models/role.entity.js');
  const { hashPassword } = await dist('utils/password-hash.js');
  const { buildApp } = await dist('app.js');
  const database = await connectDatabase({ databaseUrl, dataDir });
  await database.migrate();
  const app = await buildApp(loadConfig({ JWT_SECRET, LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...(databaseUrl && { DATABASE_URL: databaseUrl }) }), { database });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const close = async () => {
    await app.close();
    await database.close();
  };
  if (how === 'created') {
    const backOffice = await new SignJWT({ scope: 'users:write' }).setProtectedHeader({ alg: 'HS256' }).setSubject('back-office').setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    // The password policy of the model: 12 characters, upper and lower case and a digit.
    const weak = await fetch(`${address}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${backOffice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, displayName: 'Ada Lovelace', password: 'all-lowercase-letters' }),
    });
    expect(weak.status).toBe(422);
    expect(((await weak.json()) as Body).error?.code).toBe('PASSWORD_POLICY_VIOLATION');
    const created = await fetch(`${address}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${backOffice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, displayName: 'Ada Lovelace', password: PASSWORD }),
    });
    const body = (await created.json()) as { data: Record<string, unknown> };
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body.data).toMatchObject({ email, status: 'active', roles: [] });
    expect(body.data).not.toHaveProperty('password');
    return { baseUrl: `${address}/api/v1`, userId: body.data.id as string, close };
  }
  const user = User.create({ email, displayName: 'Grace Hopper', passwordHash: await hashPassword(PASSWORD), roles: ['admin'], lastLoginAt: null, lockedUntil: null });
  const repositories = createRepositories(database.db);
  await repositories.users.insert(user);
  if (!(await repositories.roles.findOne({ name: 'admin' }))) {
    await repositories.roles.insert(Role.create({ name: 'admin', description: null, permissions: ['users:write', 'users:read'], builtIn: true }));
  }
  return { baseUrl: `${address}/api/v1`, userId: user.id as string, close };
}

describe.each(['embedded', 'postgres'] as const)('sign-in over HTTP on the %s database', (kind) => {
  let server: Listening;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scaffold-sign-in-'));
    const postgresUrl = kind === 'postgres' ? await postgresDatabase('logins') : undefined;
    if (kind === 'postgres' && !postgresUrl) return;
    server = await listen(postgresUrl, dataDir, 'grace@example.com', 'seeded');
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Body };
  };
  const login = (password = PASSWORD, email = 'grace@example.com') => post('/auth/login', { email, password });

  it('logs in with the right password: a 15-minute access token with sub, sid and roles, a refresh token, and the cookie', async ({ skip }) => {
    if (!server) skip();
    const response = await login();
    expect(response.status).toBe(200);
    const data = response.body.data!;
    expect(data).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const claims = decodeJwt(data.accessToken);
    expect(claims).toMatchObject({ sub: server.userId, roles: ['admin'] });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(typeof claims.sid).toBe('string');
    expect(data.refreshToken).toMatch(new RegExp(`^${String(claims.sid)}\\.0\\.`));
    expect(response.headers.get('set-cookie')).toBe(`refresh_token=${data.refreshToken}; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=2592000`);
  });

  it('returns the caller (GET /auth/me) with the session of the token and the permissions of the roles; a suspended account may not log in', async ({ skip }) => {
    if (!server) skip();
    const { accessToken } = (await login()).body.data!;
    const me = await fetch(`${server.baseUrl}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    const { data } = (await me.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({ id: server.userId, email: 'grace@example.com', roles: ['admin'], sessionId: decodeJwt(accessToken).sid, permissions: ['users:read', 'users:write'] });
    expect(data).not.toHaveProperty('passwordHash');
    expect(data).not.toHaveProperty('password');

    const backOffice = await new SignJWT({ scope: 'users:write' }).setProtectedHeader({ alg: 'HS256' }).setSubject('back-office').setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const suspend = (status: string) =>
      fetch(`${server.baseUrl}/users/${server.userId}`, { method: 'PATCH', headers: { authorization: `Bearer ${backOffice}`, 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
    expect((await suspend('suspended')).status).toBe(200);
    expect((await login()).status).toBe(403);
    expect((await suspend('active')).status).toBe(200);
  });

  it("lists the caller's own sessions (its token's marked current), revokes them all when the account is suspended, and refuses to delete a built-in role (409 BUILT_IN_ROLE)", async ({ skip }) => {
    if (!server) skip();
    const { accessToken, refreshToken } = (await login()).body.data!;
    const own = await fetch(`${server.baseUrl}/users/${server.userId}/sessions`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(own.status).toBe(200);
    const sessions = ((await own.json()) as { data: { id: string; userId: string; current: boolean }[] }).data;
    expect(sessions.filter((session) => session.current).map((session) => session.id)).toEqual([decodeJwt(accessToken).sid]);
    expect(sessions.every((session) => session.userId === server.userId)).toBe(true);

    const token = (scope: string) => new SignJWT({ scope }).setProtectedHeader({ alg: 'HS256' }).setSubject('back-office').setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const backOffice = await token('users:write');
    const patch = (status: string) =>
      fetch(`${server.baseUrl}/users/${server.userId}`, { method: 'PATCH', headers: { authorization: `Bearer ${backOffice}`, 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
    expect((await patch('suspended')).status).toBe(200);
    expect((await patch('active')).status).toBe(200);
    // The session was revoked with the suspension: its refresh token no longer works once the account is active again.
    expect((await post('/auth/refresh', { refreshToken })).status).toBe(401);

    const roles = { authorization: `Bearer ${await token('roles:read roles:write')}` };
    const listed = ((await (await fetch(`${server.baseUrl}/roles`, { headers: roles })).json()) as { data: { id: string; name: string }[] }).data;
    const admin = listed.find((role) => role.name === 'admin');
    const refused = await fetch(`${server.baseUrl}/roles/${admin?.id}`, { method: 'DELETE', headers: roles });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Body).error?.code).toBe('BUILT_IN_ROLE');
  });

  it('answers a wrong password and an unknown e-mail alike, and locks after 5 failures in a row (429 with Retry-After)', async ({ skip }) => {
    if (!server) skip();
    const wrong = await login('not-the-password');
    const unknown = await login(PASSWORD, 'nobody@example.com');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual({ ...unknown.body, error: { ...unknown.body.error, requestId: expect.any(String) } });
    expect(wrong.body.error?.code).toBe('UNAUTHORIZED');
    for (let attempt = 2; attempt <= 5; attempt += 1) expect((await login('not-the-password')).status).toBe(401);
    const locked = await login();
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // An unknown e-mail locks the same way, so a lockout does not tell which e-mails exist.
    for (let attempt = 2; attempt <= 5; attempt += 1) await login(PASSWORD, 'nobody@example.com');
    expect((await login(PASSWORD, 'nobody@example.com')).status).toBe(429);
  });

  it('refuses every login from an address after 20 failed logins from it, whatever the names', async ({ skip }) => {
    if (!server) skip();
    let failures = 0;
    for (let attempt = 0; attempt < 25; attempt += 1) {
      const { status } = await login('not-the-password', `guess${attempt}@example.com`);
      if (status === 429) break;
      expect(status).toBe(401);
      failures += 1;
    }
    expect(failures).toBeLessThan(20);
    const refused = await login(PASSWORD, 'grace@example.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
  });
});

describe.each(['embedded', 'postgres'] as const)('sessions over HTTP on the %s database', (kind) => {
  let server: Listening;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scaffold-sessions-'));
    const postgresUrl = kind === 'postgres' ? await postgresDatabase('sessions') : undefined;
    if (kind === 'postgres' && !postgresUrl) return;
    server = await listen(postgresUrl, dataDir, 'ada@example.com', 'created');
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Body };
  };
  const login = async (password: string) => (await call('POST', '/auth/login', { email: 'ada@example.com', password })).body.data!;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('rotates refresh tokens; a rotated one presented again revokes the whole session (401 REFRESH_TOKEN_REUSED)', async ({ skip }) => {
    if (!server) skip();
    const first = await login(PASSWORD);
    const rotated = await call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    const second = rotated.body.data!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.accessToken).sid).toBe(decodeJwt(first.accessToken).sid);
    // The cookie alone works too.
    const byCookie = await call('POST', '/auth/refresh', undefined, { cookie: `refresh_token=${second.refreshToken}` });
    expect(byCookie.status).toBe(200);
    const third = byCookie.body.data!;

    const reused = await call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error?.code).toBe('REFRESH_TOKEN_REUSED');
    // The session is revoked: even its newest refresh token no longer works.
    const revoked = await call('POST', '/auth/refresh', { refreshToken: third.refreshToken });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.code).toBe('UNAUTHORIZED');
    // Tokens the server never issued: malformed, or of a session that does not exist.
    for (const forged of [`${'0'.repeat(36)}.0.${'x'.repeat(43)}`, `00000000-0000-4000-8000-000000000000.0.${'x'.repeat(43)}`]) {
      expect((await call('POST', '/auth/refresh', { refreshToken: forged })).status).toBe(401);
    }
  });

  it('logs out: the session`s refresh token stops working and the cookie is cleared', async ({ skip }) => {
    if (!server) skip();
    const tokens = await login(PASSWORD);
    expect((await call('POST', '/auth/logout')).status).toBe(401);
    const out = await call('POST', '/auth/logout', undefined, bearer(tokens.accessToken));
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('refresh_token=; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=0');
    expect((await call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
  });

  it('changes the caller`s own password only, after checking the current one, and revokes the other sessions', async ({ skip }) => {
    if (!server) skip();
    const here = await login(PASSWORD);
    const elsewhere = await login(PASSWORD);
    const path = `/users/${server.userId}/password`;
    const someoneElse = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('00000000-0000-4000-8000-000000000001').setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const forbidden = await call('POST', path, { currentPassword: PASSWORD, newPassword: 'A-new-Password-2024!' }, bearer(someoneElse));
    expect(forbidden.status).toBe(403);
    const wrong = await call('POST', path, { currentPassword: 'not-the-password', newPassword: 'A-new-Password-2024!' }, bearer(here.accessToken));
    expect(wrong.status).toBe(422);
    expect(wrong.body.error?.code).toBe('INVALID_CURRENT_PASSWORD');

    expect((await call('POST', path, { currentPassword: PASSWORD, newPassword: 'A-new-Password-2024!' }, bearer(here.accessToken))).status).toBe(204);
    expect((await call('POST', '/auth/login', { email: 'ada@example.com', password: PASSWORD })).status).toBe(401);
    const again = await login('A-new-Password-2024!');
    expect(again.accessToken).toBeTruthy();
    // This session goes on; the other one is revoked.
    expect((await call('POST', '/auth/refresh', { refreshToken: here.refreshToken })).status).toBe(200);
    expect((await call('POST', '/auth/refresh', { refreshToken: elsewhere.refreshToken })).status).toBe(401);
  });
});

/**
 * A project scaled out: two instances of the server behind one load balancer (trusting its
 * X-Forwarded-For), sharing one database, and with REDIS_URL one Redis. Failed logins spread over both
 * lock as if one server counted them, and of concurrent refreshes with one token exactly one rotates it.
 * Each run counts failures of its own client address and names (Redis keeps them across runs).
 */
describe.each([
  { kind: 'embedded', redis: false },
  { kind: 'postgres', redis: false },
  { kind: 'postgres', redis: true },
] as const)('two instances of the server on the $kind database (Redis: $redis)', ({ kind, redis }) => {
  const servers: string[] = [];
  let close: () => Promise<void> = async () => {};
  let dataDir: string;
  const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const run = `${process.pid}-${randomInt(1_000_000)}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scaffold-instances-'));
    const postgresUrl = kind === 'postgres' ? await postgresDatabase(`instances${redis ? '_redis' : ''}`) : undefined;
    if ((kind === 'postgres' && !postgresUrl) || (redis && !REDIS_UP)) return;
    const dist = (path: string) => import(join(project, 'dist', path));
    const { loadConfig } = await dist('config/env.js');
    const { connectDatabase } = await dist('repositories/database.js');
    const { createRepositories } = await dist('repositories/repositories.gen.js');
    const { User } = await dist('models/user.entity.js');
    const { hashPassword } = await dist('utils/password-hash.js');
    const { buildApp } = await dist('app.js');
    // The embedded database is one process's: its two instances share the connection. PostgreSQL gets one pool per instance.
    const first = await connectDatabase({ databaseUrl: postgresUrl, dataDir });
    await first.migrate();
    const second = postgresUrl ? await connectDatabase({ databaseUrl: postgresUrl, dataDir }) : first;
    const config = loadConfig({
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      TRUSTED_PROXIES: '1',
      RATE_LIMIT_MAX: '100000',
      ...(postgresUrl && { DATABASE_URL: postgresUrl }),
      ...(redis && { REDIS_URL: 'redis://127.0.0.1:6379' }),
    });
    const apps = [await buildApp(config, { database: first }), await buildApp(config, { database: second })];
    for (const app of apps) servers.push(`${await app.listen({ port: 0, host: '127.0.0.1' })}/api/v1`);
    for (const name of ['linus', 'margaret']) {
      await createRepositories(first.db).users.insert(
        User.create({ email: `${name}-${run}@example.com`, displayName: name, passwordHash: await hashPassword(PASSWORD), roles: [], lastLoginAt: null, lockedUntil: null }),
      );
    }
    close = async () => {
      for (const app of apps) await app.close();
      await first.close();
      if (second !== first) await second.close();
    };
  });

  afterAll(async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A POST to the instance `instance` (0 or 1), as a client at `from` behind the load balancer. */
  const post = async (instance: number, path: string, body: unknown, from = address) => {
    const response = await fetch(`${servers[instance]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
  };

  it('locks an address after 20 failed logins in all, and an unknown name after 5, however the instances shared them', async ({ skip }) => {
    if (servers.length === 0) skip();
    // An unknown name tried on one instance, then the other: the fifth failure locks it on both.
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await post(attempt % 2, '/auth/login', { email: `nobody-${run}@example.com`, password: PASSWORD })).status).toBe(401);
    for (const instance of [0, 1]) expect((await post(instance, '/auth/login', { email: `nobody-${run}@example.com`, password: PASSWORD })).status).toBe(429);
    // 5 failures from the address so far; 15 more, each to the other instance, and it is locked on both.
    for (let attempt = 0; attempt < 15; attempt += 1) {
      const { status } = await post(attempt % 2, '/auth/login', { email: `guess${attempt}-${run}@example.com`, password: 'not-the-password' });
      expect(status, `failed login ${attempt + 6}`).toBe(401);
    }
    for (const instance of [0, 1]) {
      const refused = await post(instance, '/auth/login', { email: `linus-${run}@example.com`, password: PASSWORD });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    }
  });

  it('locks an account after 5 wrong passwords sent at once over both instances: no failure is lost', async ({ skip }) => {
    if (servers.length === 0) skip();
    const email = `margaret-${run}@example.com`;
    // Another client address: the one above is locked out by now.
    const wrong = await Promise.all([0, 1, 0, 1, 0].map((instance) => post(instance, '/auth/login', { email, password: 'not-the-password' }, '192.0.2.2')));
    expect(wrong.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    expect((await post(1, '/auth/login', { email, password: PASSWORD }, '192.0.2.2')).status).toBe(429);
  });

  it('rotates a refresh token once when several refreshes with it race over both instances: the others are its reuse, and the session is revoked', async ({ skip }) => {
    if (servers.length === 0) skip();
    // Another client address: the one above is locked out by now.
    const login = await fetch(`${servers[0]}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.1' },
      body: JSON.stringify({ email: `linus-${run}@example.com`, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { refreshToken } = ((await login.json()) as Body).data!;
    const answers = await Promise.all([0, 1, 0, 1, 0, 1].map((instance) => post(instance, '/auth/refresh', { refreshToken })));
    const rotated = answers.filter((answer) => answer.status === 200);
    expect(rotated, JSON.stringify(answers.map((answer) => [answer.status, answer.body.error?.code]))).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
    expect(answers.some((answer) => answer.body.error?.code === 'REFRESH_TOKEN_REUSED')).toBe(true);
    // The reuse revoked the whole session: the winner's new token no longer works either.
    expect((await post(1, '/auth/refresh', { refreshToken: rotated[0]!.body.data!.refreshToken })).status).toBe(401);
  });
});
