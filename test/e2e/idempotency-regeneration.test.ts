import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { REPO_ROOT } from '../support/fixtures.js';
import { buildProject } from '../support/generated-project.js';
import { runCommand, startServer, UNREACHABLE_GATEWAY } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * A spec that gains an `Idempotency-Key` header after the project was generated: regenerating adds
 * `registerIdempotencyKeys` to the team's own src/app.ts (their lines kept), with its import and the
 * migration of its table, so the keys are enforced without editing app.ts by hand.
 */
const WORK = resolve(REPO_ROOT, 'test', '.cache', 'e2e-idempotency-regeneration');
const DESIGN = join(WORK, 'design');
const PROJECT = join(WORK, 'shop');
const JWT_SECRET = 'idempotency-regen-secret-0123456789ab';
const TEAM_LINE = "  app.log.info('the shop starts'); // the team's";
const IMPORT = "import { databaseIdempotencyStore, redisIdempotencyStore, registerIdempotencyKeys } from './middlewares/idempotency.js';";

/** The e-commerce spec without its Idempotency-Key parameters: the design before it gained them. */
function withoutIdempotencyKeys(spec: string): string {
  const doc = parseDocument(spec);
  for (const path of [['paths', '/orders', 'post'], ['paths', '/orders/{orderId}/payments', 'post']]) {
    const parameters = doc.getIn([...path, 'parameters']) as { items: { toJSON(): unknown }[] };
    parameters.items = parameters.items.filter((item) => JSON.stringify(item.toJSON()) !== JSON.stringify({ $ref: '#/components/parameters/IdempotencyKey' }));
    if (parameters.items.length === 0) doc.deleteIn([...path, 'parameters']);
  }
  return doc.toString({ lineWidth: 0 });
}

const scaffold = (args: string[], cwd = PROJECT) => runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd });

let before = '';
let regeneration = '';
let migrationsBefore: string[] = [];

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(DESIGN, { recursive: true });
  const spec = await readFile(join(REPO_ROOT, 'examples', 'ecommerce', 'openapi.yaml'), 'utf8');
  await cp(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.yaml'), join(DESIGN, 'domain.yaml'));
  await writeFile(join(DESIGN, 'openapi.yaml'), withoutIdempotencyKeys(spec));
  const generated = await scaffold(['generate', '--spec', join(DESIGN, 'openapi.yaml'), '--models', join(DESIGN, 'domain.yaml'), '--out', PROJECT], REPO_ROOT);
  expect(generated.code, generated.output).toBe(0);
  await linkRuntimeModules(PROJECT);
  const app = await readFile(join(PROJECT, 'src', 'app.ts'), 'utf8');
  expect(app).not.toContain('registerIdempotencyKeys');
  before = app.replace(/^( {2}const controllers: Controllers = \{)$/m, `${TEAM_LINE}\n$1`);
  expect(before).not.toBe(app);
  await writeFile(join(PROJECT, 'src', 'app.ts'), before);
  migrationsBefore = await readdir(join(PROJECT, 'migrations'));

  await writeFile(join(DESIGN, 'openapi.yaml'), spec);
  const regenerated = await scaffold(['generate']);
  expect(regenerated.code, regenerated.output).toBe(0);
  regeneration = regenerated.output;
}, 600_000);

describe('regenerating after the spec gained an Idempotency-Key header', () => {
  it("adds registerIdempotencyKeys and its import to the team's app.ts, before the routes, and changes nothing else", async () => {
    const app = await readFile(join(PROJECT, 'src', 'app.ts'), 'utf8');
    const lines = app.split('\n');
    const start = lines.indexOf('  registerIdempotencyKeys(');
    const end = lines.indexOf('  );', start);
    expect(start).toBeGreaterThan(0);
    // As a new project's app.ts has it (prettier's layout), right before the registrations and routes.
    expect(lines.slice(start, end + 1).join('\n')).toContain('crossCutting.redis ? redisIdempotencyStore(crossCutting.redis) : databaseIdempotencyStore(database.db),');
    expect(lines[start - 1]).toBe(TEAM_LINE);
    expect(lines[end + 1]).toBe('  const controllers: Controllers = {');
    expect(lines.filter((line) => line === IMPORT)).toHaveLength(1);
    // Without the import and the call, the file is the team's byte for byte.
    expect(lines.filter((line, index) => line !== IMPORT && (index < start || index > end)).join('\n')).toBe(before);
    expect(regeneration).toContain('registerIdempotencyKeys call');
    expect(regeneration).not.toContain('SCF049');
  });

  it('adds the migration of the keys` table, type-checks, and enforces the keys over HTTP', async () => {
    const added = (await readdir(join(PROJECT, 'migrations'))).filter((name) => !migrationsBefore.includes(name));
    expect(added.length).toBeGreaterThan(0);
    const sql = (await Promise.all(added.map((name) => readFile(join(PROJECT, 'migrations', name), 'utf8')))).join('\n');
    expect(sql).toMatch(/create table "?idempotency_keys"?/i);
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: PROJECT });
    expect(typecheck.code, typecheck.output).toBe(0);

    await buildProject(PROJECT);
    const env = { LOG_LEVEL: 'warn', JWT_SECRET, RATE_LIMIT_MAX: '1000000', DATA_DIR: join(PROJECT, '.data', 'regenerated'), NODE_ENV: 'production', PAYMENT_GATEWAY_URL: UNREACHABLE_GATEWAY };
    const server = await startServer(process.execPath, ['dist/server.js'], { cwd: PROJECT, env, readyPath: '/health/ready' });
    try {
      const token = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
      const call = async (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') => {
        const response = await fetch(`${server.baseUrl}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
        return { status: response.status, headers: response.headers, body: (await response.json()) as { data: { id: string } } };
      };
      const product = await call('/products', { sku: 'IDEM-REGEN', name: 'A book', category: 'books', priceCents: 1000, currency: 'EUR' });
      expect(product.status).toBe(201);
      expect((await call(`/products/${product.body.data.id}/inventory`, { onHand: 10 }, {}, 'PUT')).status).toBe(200);
      const customer = await call('/customers', { email: 'regen@example.com', name: 'Ada' });
      const order = { customerId: customer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity: 1 }], shippingAddress: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' } };
      const key = randomUUID();
      const first = await call('/orders', order, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      const retry = await call('/orders', order, { 'Idempotency-Key': key });
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.data.id).toBe(first.body.data.id);
      expect(server.logs()).not.toContain('does not call registerIdempotencyKeys');
    } finally {
      await server.stop();
    }
  }, 300_000);
});
