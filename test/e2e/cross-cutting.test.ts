import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateExample } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';
import { isReachable, redisCommand } from '../support/services.js';

/**
 * The cross-cutting concerns of a generated server, over real HTTP: stateless instances sharing
 * PostgreSQL and a Redis-backed rate limit, CORS, security headers and body size limits.
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (this machine starts both).
 */
const REDIS_PORT = 6379;
const JWT_SECRET = 'e2e-secret-of-at-least-32-characters';
let project: string;
const servers: RunningServer[] = [];

async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(process.execPath, ['dist/server.js'], {
    cwd: project,
    // Each instance its own in-memory database unless the test gives them a shared PostgreSQL.
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', API_KEYS: 'key-1', JWT_SECRET, DATA_DIR: 'memory://', ...env },
    readyPath: '/health/live',
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  project = await generateExample('petstore', 'e2e-cross-cutting');
  await buildProject(project);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('a generated server', () => {
  it('scales out: instances share PostgreSQL and one rate limit through Redis, answering 429 with Retry-After', async () => {
    expect(await isReachable('127.0.0.1', REDIS_PORT), `Redis is not running on 127.0.0.1:${REDIS_PORT}; start it (redis-server --daemonize yes) and run again`).toBe(true);
    expect(await isReachable('127.0.0.1', 5432), 'PostgreSQL is not running on 127.0.0.1:5432; start it (pg_ctlcluster 15 main start) and run again').toBe(true);
    const database = 'scaffold_e2e_scale_out';
    await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`], { cwd: project });
    expect((await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${database}`], { cwd: project })).code).toBe(0);
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
    // Production does not migrate at startup: the deploy step does, once, before the instances start.
    const migrated = await runCommand(process.execPath, ['dist/repositories/migrate.js'], { cwd: project, env: { DATABASE_URL: databaseUrl } });
    expect(migrated.code, migrated.output).toBe(0);

    await redisCommand(REDIS_PORT, 'DEL', 'rate-limit:127.0.0.1');
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`, RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '60000' };
    const [a, b] = [await start(env), await start(env)];
    const created = await fetch(`${a.baseUrl}/v2/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'grace', firstName: 'Grace' }) });
    expect(created.status).toBe(200);
    const seen = await fetch(`${b.baseUrl}/v2/user/grace`, { headers: { accept: 'application/json' } });
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ username: 'grace', firstName: 'Grace' });
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) statuses.push((await fetch(`${server.baseUrl}/v2/store/inventory`, { headers: { api_key: 'key-1' } })).status);
    expect(statuses).toEqual([501, 501, 501, 501]);
    const limited = await fetch(`${b?.baseUrl}/v2/store/inventory`, { headers: { api_key: 'key-1' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    await redisCommand(REDIS_PORT, 'DEL', 'rate-limit:127.0.0.1');
  });

  it('limits each instance on its own without Redis', async () => {
    const [a, b] = [await start({ RATE_LIMIT_MAX: '2' }), await start({ RATE_LIMIT_MAX: '2' })];
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) statuses.push((await fetch(`${server.baseUrl}/v2/store/inventory`, { headers: { api_key: 'key-1' } })).status);
    expect(statuses).toEqual([501, 501, 501, 501]);
  });

  it('counts requests with bad credentials against the limit too (no free guessing)', async () => {
    const server = await start({ RATE_LIMIT_MAX: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${server.baseUrl}/v2/store/inventory`, { headers: { api_key: 'guess' } })).status);
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('answers CORS for allowed origins only and sets security headers', async () => {
    const server = await start({ CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await fetch(`${server.baseUrl}/health/live`, { headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(`${server.baseUrl}/health/live`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("lets a browser on an allowed origin send the spec's PUT and DELETE (preflight), with credentials", async () => {
    const server = await start({ CORS_ORIGINS: 'https://app.example.com' });
    const preflight = await fetch(`${server.baseUrl}/v2/pet/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toEqual(['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);
    const other = await fetch(`${server.baseUrl}/v2/pet/1`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'DELETE' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows any origin with CORS_ORIGINS=*, never with credentials', async () => {
    const server = await start({ CORS_ORIGINS: '*' });
    const preflight = await fetch(`${server.baseUrl}/v2/pet/1`, { method: 'OPTIONS', headers: { origin: 'https://any.example.com', 'access-control-request-method': 'PUT' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('refuses a JWT that never expires (no exp claim), unless JWT_REQUIRE_EXP=false', async () => {
    const token = (expires: boolean) => {
      const jwt = new SignJWT({ scope: 'read:pets write:pets' }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1');
      return (expires ? jwt.setExpirationTime('5m') : jwt).sign(new TextEncoder().encode(JWT_SECRET));
    };
    const findPets = async (server: RunningServer, expires: boolean) =>
      (await fetch(`${server.baseUrl}/v2/pet/findByStatus?status=available`, { headers: { authorization: `Bearer ${await token(expires)}` } })).status;
    const strict = await start({});
    expect(await findPets(strict, false)).toBe(401);
    expect(await findPets(strict, true)).not.toBe(401);
    const lenient = await start({ JWT_REQUIRE_EXP: 'false' });
    expect(await findPets(lenient, false)).not.toBe(401);
  });

  it('refuses to start in production when the spec takes JWTs and no key is configured', async () => {
    const result = await runCommand(process.execPath, ['dist/server.js'], { cwd: project, env: { NODE_ENV: 'production', DATA_DIR: 'memory://' }, timeoutMs: 20_000 });
    expect(result.code).toBe(1);
    expect(result.output).toContain('JWT_SECRET or JWT_JWKS_URL must be set in production');
  });

  it('refuses a body over the size limit with 413', async () => {
    const server = await start({ BODY_LIMIT_BYTES: '1000' });
    const response = await fetch(`${server.baseUrl}/v2/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x'.repeat(2000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses to start with invalid configuration, naming the variable', async () => {
    const result = await runCommand(process.execPath, ['dist/server.js'], { cwd: project, env: { PORT: 'eighty' }, timeoutMs: 20_000 });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT must be an integer');
  });
});
