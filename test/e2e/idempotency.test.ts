import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateExample } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer, UNREACHABLE_GATEWAY } from '../support/run.js';
import { isReachable, redisCommand } from '../support/services.js';

/**
 * Idempotency keys in the generated e-commerce project (createOrder and createOrderPayment declare the
 * `Idempotency-Key` header), over real HTTP: kept in the embedded database, in PostgreSQL, and in
 * Redis when REDIS_URL is set. A retry replays the first response, another body with the same key
 * answers 409, concurrent requests with one key run once, and an expired key runs anew.
 */
const JWT_SECRET = 'idempotency-secret-0123456789abcdef01';
const TTL_SECONDS = 4;
const REDIS_PORT = 6379;
const POSTGRES_UP = await isReachable('127.0.0.1', 5432);
const REDIS_UP = await isReachable('127.0.0.1', REDIS_PORT);

let project: string;
let postgresUrl: string | undefined;

beforeAll(async () => {
  project = await generateExample('ecommerce', 'e2e-idempotency');
  await buildProject(project);
  if (POSTGRES_UP) {
    const database = `scaffold_e2e_idempotency_${process.pid}`;
    const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${database}`], { cwd: project });
    expect(created.code, created.output).toBe(0);
    postgresUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  }
});

afterAll(async () => {
  if (postgresUrl) await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${postgresUrl.split('/').at(-1)} WITH (FORCE)`], { cwd: project });
});

interface Answer {
  status: number;
  body: { success: boolean; data: { id: string }; error?: { code: string; details?: unknown } };
  headers: Headers;
}

async function client(server: RunningServer, subject: string) {
  const token = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Answer['body'], headers: response.headers };
  };
}

const ADDRESS = { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const STORES = [
  { name: 'the embedded database (PGlite)', store: 'embedded', available: true, why: '' },
  // PostgreSQL is required, as in the other end-to-end tests: the test fails, saying so, without it.
  { name: 'the local PostgreSQL', store: 'postgres', available: true, why: '' },
  { name: 'Redis (REDIS_URL set)', store: 'redis', available: REDIS_UP, why: `Redis is not running on 127.0.0.1:${REDIS_PORT}` },
] as const;

for (const { name, store, available, why } of STORES) {
  // Said in the test's name when skipped, so a green run never hides that a store went untested.
  describe.skipIf(!available)(`idempotency keys kept in ${name}${available ? '' : ` (skipped: ${why})`}`, () => {
    let server: RunningServer | undefined;

    afterAll(async () => {
      await server?.stop();
    });

    it('replays a retry, refuses the key with another body, runs concurrent requests with one key once, and forgets expired keys', async () => {
      if (store === 'postgres') expect(postgresUrl, 'PostgreSQL is not running on 127.0.0.1:5432; start it (pg_ctlcluster 15 main start) and run again').toBeDefined();
      const dataDir = resolve(project, '.data', `idempotency-${store}`);
      const where = store === 'postgres' ? { DATABASE_URL: postgresUrl, NODE_ENV: 'development' } : { DATA_DIR: dataDir, NODE_ENV: 'production', PAYMENT_GATEWAY_URL: UNREACHABLE_GATEWAY };
      const env = { LOG_LEVEL: 'warn', JWT_SECRET, RATE_LIMIT_MAX: '1000000', IDEMPOTENCY_TTL_SECONDS: String(TTL_SECONDS), ...where, ...(store === 'redis' && { REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}` }) };
      server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env, readyPath: '/health/ready' });
      const call = await client(server, 'ada');
      const other = await client(server, 'grace');

      const product = await call('POST', '/products', { sku: `IDEM-${store.toUpperCase()}`, name: 'A book', category: 'books', priceCents: 1000, currency: 'EUR' });
      expect(product.status).toBe(201);
      // Orders reserve stock (the model's reactions): some must be on hand.
      expect((await call('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 1000 })).status).toBe(200);
      const customer = await call('POST', '/customers', { email: `idempotency-${store}@example.com`, name: 'Ada' });
      expect(customer.status).toBe(201);
      const orderBody = (quantity: number) => ({ customerId: customer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity }], shippingAddress: ADDRESS });
      const orderCount = async () => ((await call('GET', `/orders?customerId=${customer.body.data.id}&pageSize=100`)).body as unknown as { meta: { total: number } }).meta.total;

      // A retry gets the first response again: same status, same order, same Location; nothing runs twice.
      const key = randomUUID();
      const first = await call('POST', '/orders', orderBody(2), { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const retry = await call('POST', '/orders', orderBody(2), { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.headers.get('content-type')).toMatch(/^application\/json/);
      // The same body with its keys in another order is the same request.
      const reordered = await call('POST', '/orders', Object.fromEntries(Object.entries(orderBody(2)).reverse()), { 'Idempotency-Key': key });
      expect(reordered.body.data.id).toBe(first.body.data.id);
      expect(await orderCount()).toBe(1);

      // The same key with another body: refused, and nothing runs.
      const reused = await call('POST', '/orders', orderBody(3), { 'Idempotency-Key': key });
      expect(reused.status).toBe(409);
      expect(reused.body).toMatchObject({ success: false, error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect(await orderCount()).toBe(1);

      // A key is the caller's own: another caller's same key is another request.
      const theirs = await other('POST', '/orders', orderBody(2), { 'Idempotency-Key': key });
      expect(theirs.status).toBe(201);
      expect(theirs.body.data.id).not.toBe(first.body.data.id);
      expect(await orderCount()).toBe(2);

      // Concurrent requests with one key: exactly one runs; the others wait their turn (409 with
      // Retry-After) or, once it has answered, get its response again.
      const concurrentKey = randomUUID();
      const answers = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/orders', orderBody(1), { 'Idempotency-Key': concurrentKey })));
      const ran = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
      expect(ran).toHaveLength(1);
      for (const answer of answers.filter((a) => !ran.includes(a))) {
        if (answer.status === 409) {
          expect(answer.body.error?.code).toBe('IDEMPOTENCY_KEY_IN_USE');
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        } else {
          expect(answer.status).toBe(201);
          expect(answer.body.data.id).toBe(ran[0]?.body.data.id);
        }
      }
      expect(await orderCount()).toBe(3);

      // A client error is the request's answer too: replayed, not run again.
      const missingCustomer = { ...orderBody(1), customerId: randomUUID() };
      const refusedKey = randomUUID();
      const refused = await call('POST', '/orders', missingCustomer, { 'Idempotency-Key': refusedKey });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      const refusedAgain = await call('POST', '/orders', missingCustomer, { 'Idempotency-Key': refusedKey });
      expect(refusedAgain.status).toBe(refused.status);
      expect(refusedAgain.headers.get('idempotent-replayed')).toBe('true');

      // A key that is not 1 to 255 printable characters: 400, naming the header.
      const tab = await call('POST', '/orders', orderBody(1), { 'Idempotency-Key': 'key\twith-a-tab' });
      expect(tab.status).toBe(400);
      expect(JSON.stringify(tab.body.error?.details)).toContain('/headers/idempotency-key');

      // Without a key, every request runs.
      expect((await call('POST', '/orders', orderBody(1))).status).toBe(201);
      expect(await orderCount()).toBe(4);

      if (store === 'redis') {
        // The keys are in Redis (hashed: the client's key is never stored as sent).
        const count = await redisCommand(REDIS_PORT, 'EVAL', "return #redis.call('keys', 'idempotency:*')", '0');
        expect(Number(count.slice(1))).toBeGreaterThanOrEqual(4);
      }

      // Kept for IDEMPOTENCY_TTL_SECONDS: after that the key is forgotten and the request runs anew.
      const expiringKey = randomUUID();
      const before = await call('POST', '/orders', orderBody(1), { 'Idempotency-Key': expiringKey });
      expect(before.status).toBe(201);
      await sleep(TTL_SECONDS * 1000 + 500);
      const after = await call('POST', '/orders', orderBody(1), { 'Idempotency-Key': expiringKey });
      expect(after.status).toBe(201);
      expect(after.headers.get('idempotent-replayed')).toBeNull();
      expect(after.body.data.id).not.toBe(before.body.data.id);
      if (store === 'postgres') {
        // That claim also deleted the keys that had expired: the table keeps only live ones.
        const expired = await runCommand('psql', ['-tA', postgresUrl ?? '', '-c', 'SELECT count(*) FROM idempotency_keys WHERE expires_at < now()'], { cwd: project });
        expect(expired.output.trim()).toBe('0');
        const live = await runCommand('psql', ['-tA', postgresUrl ?? '', '-c', 'SELECT count(*) FROM idempotency_keys'], { cwd: project });
        expect(live.output.trim()).toBe('1');
      }
    });
  });
}

describe('the idempotency hooks on routes of their own, with the database store', () => {
  it('replay a 204 with its empty body, release the key after a 5xx, refuse a key in use, and refuse a key that is not printable', async () => {
    type Module = Record<string, (...args: never[]) => unknown>;
    const { registerIdempotencyKeys, databaseIdempotencyStore } = (await import(join(project, 'dist', 'middlewares', 'idempotency.js'))) as Module;
    const { connectDatabase } = (await import(join(project, 'dist', 'repositories', 'database.js'))) as Module;
    const { default: Fastify } = (await import(join(project, 'node_modules', 'fastify', 'fastify.js'))) as { default: (options?: object) => TestApp };
    const database = (await (connectDatabase as (options: object) => Promise<TestDatabase>)({ databaseUrl: undefined, dataDir: 'memory://' })) as TestDatabase;
    await database.migrate();
    const app = Fastify();
    (registerIdempotencyKeys as (...args: unknown[]) => void)(app, (databaseIdempotencyStore as (db: unknown) => unknown)(database.db), { ttlSeconds: 60, pendingSeconds: 60 });
    const runs = { delete: 0, fail: 0, slow: 0 };
    const operation = (operationId: string) => ({ config: { operation: { operationId, idempotency: {} } } });
    app.delete('/things/:id', operation('deleteThing'), async (_request, reply) => {
      runs.delete += 1;
      return reply.status(204).send();
    });
    app.post('/fail', operation('failing'), async () => {
      runs.fail += 1;
      throw new Error('the server failed');
    });
    app.post('/slow', operation('slow'), async () => {
      runs.slow += 1;
      await sleep(300);
      return { done: true };
    });
    try {
      const send = (method: string, url: string, key: string) => app.inject({ method, url, headers: { 'idempotency-key': key } });
      const deleted = [await send('DELETE', '/things/1', 'key-1'), await send('DELETE', '/things/1', 'key-1')];
      expect(deleted.map((r) => r.statusCode)).toEqual([204, 204]);
      expect(deleted[1]?.headers['idempotent-replayed']).toBe('true');
      expect(deleted[1]?.body).toBe('');
      expect(runs.delete).toBe(1);
      // The same key on another operation is another key.
      expect((await send('POST', '/fail', 'key-1')).statusCode).toBe(500);
      expect((await send('POST', '/fail', 'key-1')).statusCode).toBe(500);
      expect(runs.fail).toBe(2);
      // While the first request with a key runs, the second is refused (IDEMPOTENCY_KEY_IN_USE; 409 with
      // Retry-After through the app's error handler); once the first has answered, it is replayed.
      const [running, refused] = await Promise.all([send('POST', '/slow', 'key-2'), sleep(50).then(() => send('POST', '/slow', 'key-2'))]);
      expect(running?.statusCode).toBe(200);
      expect(refused?.body).toContain('is still running');
      const replayed = await send('POST', '/slow', 'key-2');
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toBe(running?.body);
      expect(runs.slow).toBe(1);
      // Not 1 to 255 printable characters: refused before anything runs (the app's error handler, not
      // registered here, answers the ValidationError with 400).
      const unprintable = await send('DELETE', '/things/2', 'x'.repeat(256));
      expect(unprintable.body).toContain('must be 1 to 255 printable ASCII characters');
      expect(runs.delete).toBe(1);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

interface TestDatabase {
  db: unknown;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

interface TestApp {
  delete(url: string, options: object, handler: (request: unknown, reply: { status(code: number): { send(): unknown } }) => Promise<unknown>): void;
  post(url: string, options: object, handler: () => Promise<unknown>): void;
  inject(request: { method: string; url: string; headers: Record<string, string> }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
  close(): Promise<void>;
}
