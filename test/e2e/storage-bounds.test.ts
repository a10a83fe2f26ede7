import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateExample, generateFixture } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer, UNREACHABLE_GATEWAY } from '../support/run.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { isReachable } from '../support/services.js';

/**
 * Client input never causes a 5xx: values beyond what a column can hold (int4 overflow, 1e300, a
 * NUL character, a malformed uuid in a path declared as a plain string) are 400s with the spec's
 * error body, on the embedded database and on PostgreSQL, and the server's log quotes none of them.
 */
const JWT_SECRET = 'storage-bounds-secret-0123456789abcdef';
const HOSTILE_VALUES = ['2147483648', '99999999999999999999', '2147483649', 'a\\u0000b', 'x\\u0000y'];

let ecommerce: string;
let notes: string;
/** One PostgreSQL database per project, by project directory. */
const postgresUrls = new Map<string, string>();

beforeAll(async () => {
  ecommerce = await generateExample('ecommerce', 'e2e-storage-bounds');
  notes = await generateFixture('hostile/08-storage-bounds-plain-string-id', 'e2e-storage-bounds');
  await buildProject(ecommerce);
  await buildProject(notes);
  if (await isReachable('127.0.0.1', 5432)) {
    for (const [project, name] of [[ecommerce, 'shop'], [notes, 'notes']] as const) {
      const database = `scaffold_e2e_bounds_${name}_${process.pid}`;
      const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${database}`], { cwd: project });
      expect(created.code, created.output).toBe(0);
      postgresUrls.set(project, `postgres://postgres@127.0.0.1:5432/${database}`);
    }
  }
});

afterAll(async () => {
  for (const url of postgresUrls.values()) {
    await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${url.split('/').at(-1)} WITH (FORCE)`], { cwd: REPO_ROOT });
  }
});

type Json = Record<string, unknown>;

interface Connection {
  db: { execute(query: unknown): Promise<{ rows?: Record<string, unknown>[] }> };
  migrate(): Promise<void>;
  close(): Promise<void>;
}

async function client(server: RunningServer, prefix: string) {
  const token = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
  return async (method: string, path: string, body?: string): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${server.baseUrl}${prefix}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
}

function serverEnv(database: 'embedded' | 'postgres', project: string, dataDir: string): NodeJS.ProcessEnv {
  const where = database === 'postgres' ? { DATABASE_URL: postgresUrls.get(project), NODE_ENV: 'development' } : { DATA_DIR: dataDir, NODE_ENV: 'production', PAYMENT_GATEWAY_URL: UNREACHABLE_GATEWAY };
  return { LOG_LEVEL: 'info', JWT_SECRET, RATE_LIMIT_MAX: '1000000', ...where };
}

for (const database of ['embedded', 'postgres'] as const) {
  describe(`storage bounds on the ${database === 'embedded' ? 'embedded database (PGlite)' : 'local PostgreSQL'}`, () => {
    const servers: RunningServer[] = [];

    afterAll(async () => {
      for (const server of servers) await server.stop();
    });

    async function start(project: string, name: string): Promise<RunningServer> {
      if (database === 'postgres') expect(postgresUrls.get(project), 'PostgreSQL is not running on 127.0.0.1:5432').toBeDefined();
      const server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: serverEnv(database, project, resolve(project, '.data', `${name}-${database}`)), readyPath: '/health/ready' });
      servers.push(server);
      return server;
    }

    it('answers out-of-range numbers and NUL characters in the e-commerce API with 400 and the spec error body', async () => {
      const server = await start(ecommerce, 'bounds');
      const call = await client(server, '/api/v1');
      const product = (priceCents: string, name = 'A book') => `{"sku":"B-${database.toUpperCase()}-${priceCents.length}","name":${JSON.stringify(name)},"category":"books","priceCents":${priceCents},"currency":"EUR"}`;
      const requests: [string, string, string?][] = [
        ['POST', '/products', product('2147483648')],
        ['POST', '/products', product('1e300')],
        ['POST', '/products', product('1', 'x\u0000y')],
        ['GET', '/products?maxPrice=99999999999999999999'],
        ['GET', '/products?q=a%00b'],
        ['POST', '/customers', '{"email":"nul@example.com","name":"a\\u0000b"}'],
      ];
      for (const [method, path, body] of requests) {
        const answer = await call(method, path, body);
        expect(answer.status, `${method} ${path} ${body ?? ''}: ${JSON.stringify(answer.body)}`).toBe(400);
        expect(answer.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
      }
      // In range, the same requests work.
      expect((await call('POST', '/products', product('2147483647'))).status).toBe(201);
      expect((await call('GET', '/products?maxPrice=2147483647')).status).toBe(200);
      const logs = server.logs();
      expect(logs).not.toContain('"level":50');
      for (const value of HOSTILE_VALUES) expect(logs).not.toContain(value);
    });

    it('maps every database error a client can cause to its 4xx, and logs it without the values', async () => {
      if (database === 'postgres') expect(postgresUrls.get(ecommerce), 'PostgreSQL is not running on 127.0.0.1:5432').toBeDefined();
      const load = (path: string) => import(pathToFileURL(resolve(ecommerce, path)).href);
      const { connectDatabase } = (await load('dist/repositories/database.js')) as { connectDatabase: (options: { databaseUrl: string | undefined; dataDir: string }) => Promise<Connection> };
      const { clientDatabaseError, withoutQueryValues } = (await load('dist/errors/database-error.js')) as { clientDatabaseError: (e: unknown) => { code: string } | undefined; withoutQueryValues: (e: unknown) => Error };
      const { statusOf } = (await load('dist/errors/index.js')) as { statusOf: (e: unknown) => number };
      const { sql } = (await load('node_modules/drizzle-orm/index.js')) as { sql: (strings: TemplateStringsArray, ...values: unknown[]) => unknown };
      const connection = await connectDatabase({ databaseUrl: database === 'postgres' ? postgresUrls.get(ecommerce) : undefined, dataDir: 'memory://' });
      try {
        await connection.migrate();
        const { db } = connection;
        const email = `mapped-${database}@example.com`;
        const [customer] = (await db.execute(sql`insert into customers (email, name) values (${email}, ${'Ada'}) returning id`)).rows ?? [];
        const [stock] = (await db.execute(sql`insert into products (sku, name, category, price_cents, currency) values (${`MAP-${database}`}, ${'x'}, ${'c'}, ${1}, ${'EUR'}) returning id`)).rows ?? [];
        await db.execute(sql`insert into inventory (product_id) values (${stock?.id})`);
        await db.execute(sql`insert into orders (total_cents, currency, shipping_address_line1, shipping_address_city, shipping_address_postal_code, shipping_address_country, customer_id) values (${1}, ${'EUR'}, ${'a'}, ${'b'}, ${'c'}, ${'DE'}, ${customer?.id})`);
        const cases: [unknown, number, string][] = [
          [sql`insert into customers (email, name) values (${email}, ${'Again'})`, 409, email],
          [sql`insert into inventory (product_id) values (${'00000000-0000-4000-8000-000000000000'})`, 422, '00000000-0000-4000-8000-000000000000'],
          [sql`delete from customers where id = ${customer?.id}`, 409, String(customer?.id)],
          [sql`update inventory set on_hand = ${-7654321}`, 422, '7654321'],
          [sql`update inventory set on_hand = ${2147483648}`, 400, '2147483648'],
          [sql`select id from products where id = ${'not-a-uuid-7654321'}`, 400, 'not-a-uuid-7654321'],
          [sql`select id from products where name = ${'a\u0000b-7654321'}`, 400, '7654321'],
          [sql`update customers set phone = ${'7654321'.repeat(6)}`, 400, '7654321'],
        ];
        for (const [query, status, value] of cases) {
          const failure: unknown = await db.execute(query).then(() => undefined, (error: unknown) => error);
          expect(failure, `${status}: ${value}`).toBeDefined();
          const mapped = clientDatabaseError(failure);
          expect(mapped && statusOf(mapped), String(failure)).toBe(status);
          const logged = withoutQueryValues(failure);
          expect(`${JSON.stringify(logged)} ${logged.message} ${logged.stack ?? ''}`).not.toContain(value);
          expect(logged.message).toMatch(/^Failed query: .+ \(SQLSTATE [0-9A-Z]{5}\)$/);
        }
      } finally {
        await connection.close();
      }
    });

    it('answers a malformed id in a path declared as a plain string, and an overflowing column, with 400, never 500', async () => {
      const server = await start(notes, 'notes');
      const call = await client(server, '/api/v1');
      const created = await call('POST', '/notes', '{"title":"First","priority":1,"views":2147483647,"extra":{"a":"b"}}');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = String(created.body.id);
      expect((await call('GET', `/notes/${id}`)).status).toBe(200);
      const hostile: [string, string, string?][] = [
        ['GET', '/notes/not-a-uuid'],
        ['POST', '/notes', '{"title":"x","priority":2147483648}'],
        ['POST', '/notes', '{"title":"x","priority":1,"views":-2147483649}'],
        ['POST', '/notes', '{"title":"x","priority":1e300}'],
        ['POST', '/notes', '{"title":"x","priority":1,"extra":{"k":"a\\u0000b"}}'],
        ['POST', '/notes', `{"title":"${'x'.repeat(101)}","priority":1}`],
        ['GET', '/notes?priority=99999999999'],
        ['GET', '/notes?maxPriority=-99999999999'],
      ];
      for (const [method, path, body] of hostile) {
        const answer = await call(method, path, body);
        expect(answer.status, `${method} ${path} ${body ?? ''}: ${JSON.stringify(answer.body)}`).toBe(400);
        expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      const logs = server.logs();
      expect(logs).not.toContain('"level":50');
      for (const value of HOSTILE_VALUES) expect(logs).not.toContain(value);
    });
  });
}
