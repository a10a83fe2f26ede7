import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecommerceV2 } from '../support/ecommerce-v2.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { buildProject } from '../support/generated-project.js';
import { runCommand, startServer, UNREACHABLE_GATEWAY } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * The life of a project across a design change, as issue 4 tells it: generate the e-commerce example
 * (v1), edit it the way a team does, store data, change the design (v2: a new field, a new entity with
 * its endpoints, an endpoint removed, a parameter's type changed), regenerate inside the project with
 * no flags. Every edit survives byte for byte, the new parts work over HTTP on the v1 database, the
 * removed endpoint is reported and gone, and the one place the changed parameter breaks the team's
 * code is named by the run and by the type checker alike.
 */
const WORK = resolve(REPO_ROOT, 'test', '.cache', 'e2e-regeneration');
const DESIGN = join(WORK, 'design');
const PROJECT = join(WORK, 'shop');
const JWT_SECRET = 'story-secret-0123456789abcdef012345';

/** The team's edits, each a whole user-owned file or a change to a template file. */
const PRODUCTS_SERVICE = `import type { RequestContext } from '../dto/operation-types.js';
import type * as ProductsDto from '../dto/products.dto.gen.js';
import { ProductsServiceBase } from './products.service.gen.js';

/** Categories are matched case-insensitively: the catalogue stores them in lower case. */
export class ProductsService extends ProductsServiceBase {
  override listProducts(input: ProductsDto.ListProductsInput, context: RequestContext): Promise<ProductsDto.ListProductsResult> {
    const category = input.query.category?.toLowerCase();
    return super.listProducts({ ...input, query: { ...input.query, category } }, context);
  }
}
`;
const CATEGORY_LINE = 'const category = input.query.category?.toLowerCase();';
/** What the team writes once v2 turns the category into a list. */
const CATEGORY_LINE_V2 = 'const category = input.query.category?.map((name) => name.toLowerCase());';

const CUSTOMERS_SERVICE = `import type { RequestContext } from '../dto/operation-types.js';
import type * as CustomersDto from '../dto/customers.dto.gen.js';
import { CustomersServiceBase } from './customers.service.gen.js';

/** E-mail addresses are stored in lower case, so that one person cannot sign up twice. */
export class CustomersService extends CustomersServiceBase {
  override createCustomer(input: CustomersDto.CreateCustomerInput, context: RequestContext): Promise<CustomersDto.CreateCustomerResult> {
    return super.createCustomer({ ...input, body: { ...input.body, email: input.body.email.toLowerCase() } }, context);
  }
}
`;

const PRODUCT_REPOSITORY = `import { count, eq } from 'drizzle-orm';
import { DrizzleProductRepositoryBase } from './product.repository.gen.js';
import { products } from './schema.gen.js';

/** Custom queries for Product. */
export class DrizzleProductRepository extends DrizzleProductRepositoryBase {
  /** How many products one category holds (for the category pages). */
  async countInCategory(category: string): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(products).where(eq(products.category, category));
    return row?.n ?? 0;
  }
}
`;

const TIMING_MIDDLEWARE = `import type { FastifyInstance } from 'fastify';

/** Tells clients how long the server took, for the team's latency dashboards. */
export function registerResponseTiming(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-response-time', \`\${reply.elapsedTime.toFixed(1)}ms\`);
  });
}
`;
const APP_IMPORT = "import { registerResponseTiming } from './middlewares/response-timing.js';";
const APP_CALL = '  registerResponseTiming(app);';
const README_NOTES = '\n## Team notes\n\nDeploys go through the platform pipeline; ask #shop-backend before changing the schema.\n';
const ENV_NOTE = '# Team: the staging database lives in the platform vault.\n';

type Json = Record<string, unknown> & { id?: string };

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { data: Json & Json[]; meta?: Json } }> {
  const token = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const serverEnv = { LOG_LEVEL: 'warn', JWT_SECRET, RATE_LIMIT_MAX: '1000000', DATA_DIR: join(PROJECT, '.data', 'story'), NODE_ENV: 'production', PAYMENT_GATEWAY_URL: UNREACHABLE_GATEWAY };

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const file = join(PROJECT, path);
  const before = await readFile(file, 'utf8');
  const after = change(before);
  expect(after, `the edit of ${path} changed nothing`).not.toBe(before);
  await writeFile(file, after);
}

const scaffold = (args: string[], cwd = PROJECT) => runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd });

/** The files as the team left them before the regeneration, to compare byte for byte. */
const userFiles = ['src/services/products.service.ts', 'src/services/customers.service.ts', 'src/repositories/product.repository.ts', 'src/middlewares/response-timing.ts'];
const before = new Map<string, string>();
const v1 = { productId: '', customerId: '', orderId: '' };
let regeneration = '';

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(DESIGN, { recursive: true });
  for (const file of ['openapi.yaml', 'domain.yaml']) await cp(join(REPO_ROOT, 'examples', 'ecommerce', file), join(DESIGN, file));
  const generated = await scaffold(['generate', '--spec', join(DESIGN, 'openapi.yaml'), '--models', join(DESIGN, 'domain.yaml'), '--out', PROJECT], REPO_ROOT);
  expect(generated.code, generated.output).toBe(0);
  await linkRuntimeModules(PROJECT);

  // The team's edits.
  await writeFile(join(PROJECT, 'src/services/products.service.ts'), PRODUCTS_SERVICE);
  await writeFile(join(PROJECT, 'src/services/customers.service.ts'), CUSTOMERS_SERVICE);
  await writeFile(join(PROJECT, 'src/repositories/product.repository.ts'), PRODUCT_REPOSITORY);
  await writeFile(join(PROJECT, 'src/middlewares/response-timing.ts'), TIMING_MIDDLEWARE);
  await edit('src/app.ts', (text) => text.replace(/^(import .*\n)(?!import)/m, `$1${APP_IMPORT}\n`).replace(/^ {2}registerRequestIdHeader\(app\);\n/m, (line) => `${line}${APP_CALL}\n`));
  await edit('README.md', (text) => `${text}${README_NOTES}`);
  await edit('package.json', (text) => {
    const pkg = JSON.parse(text) as { scripts: Record<string, string> };
    pkg.scripts.smoke = 'node dist/server.js --smoke';
    return `${JSON.stringify(pkg, null, 2)}\n`;
  });
  await edit('.env.example', (text) => `${ENV_NOTE}${text}`);
  for (const path of [...userFiles, 'src/app.ts']) before.set(path, await readFile(join(PROJECT, path), 'utf8'));

  // v1 at work: data the migration must keep.
  await buildProject(PROJECT);
  const server = await startServer(process.execPath, ['dist/server.js'], { cwd: PROJECT, env: serverEnv, readyPath: '/health/ready' });
  try {
    const product = await call(server.baseUrl, 'POST', '/products', { sku: 'BOOK-0001', name: 'A book', category: 'books', priceCents: 1200, currency: 'EUR' });
    expect(product.status).toBe(201);
    expect(server.process.exitCode).toBeNull();
    const customer = await call(server.baseUrl, 'POST', '/customers', { email: 'Ada@Example.com', name: 'Ada' });
    expect(customer.body.data.email, 'the team\'s createCustomer runs').toBe('ada@example.com');
    expect((await call(server.baseUrl, 'PUT', `/products/${product.body.data.id}/inventory`, { onHand: 5 })).status).toBe(200);
    const order = await call(server.baseUrl, 'POST', '/orders', {
      customerId: customer.body.data.id,
      currency: 'EUR',
      items: [{ productId: product.body.data.id, quantity: 1 }],
      shippingAddress: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
    expect(order.status).toBe(201);
    Object.assign(v1, { productId: product.body.data.id, customerId: customer.body.data.id, orderId: order.body.data.id });
  } finally {
    await server.stop();
  }

  // v2 of the design, then a regeneration from inside the project with no flags.
  const v2 = ecommerceV2(await readFile(join(DESIGN, 'openapi.yaml'), 'utf8'), await readFile(join(DESIGN, 'domain.yaml'), 'utf8'));
  await writeFile(join(DESIGN, 'openapi.yaml'), v2.spec);
  await writeFile(join(DESIGN, 'domain.yaml'), v2.domain);
  const regenerated = await scaffold(['generate']);
  expect(regenerated.code, regenerated.output).toBe(0);
  regeneration = regenerated.output;
}, 600_000);

describe('regenerating the e-commerce project after its design changed (v1 -> v2)', () => {
  it('keeps every edit of the team byte for byte', async () => {
    for (const path of userFiles) expect(await readFile(join(PROJECT, path), 'utf8'), path).toBe(before.get(path));
    const app = await readFile(join(PROJECT, 'src/app.ts'), 'utf8');
    expect(app).toContain(APP_IMPORT);
    expect(app).toContain(APP_CALL);
    expect(await readFile(join(PROJECT, 'README.md'), 'utf8')).toContain(README_NOTES);
    expect(await readFile(join(PROJECT, '.env.example'), 'utf8')).toContain(ENV_NOTE);
    const pkg = JSON.parse(await readFile(join(PROJECT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.smoke).toBe('node dist/server.js --smoke');
  });

  it('wires the new resource into the composition root, next to the team\'s lines', async () => {
    const app = await readFile(join(PROJECT, 'src/app.ts'), 'utf8');
    expect(app).toMatch(/reviews: new ReviewsController\(new ReviewsService\(/);
    // Apart from what was added, app.ts is the team's file as they left it.
    const added = app.split('\n').filter((line) => !(before.get('src/app.ts') ?? '').split('\n').includes(line));
    expect(added.every((line) => /Review|^\s*$/.test(line)), added.join('\n')).toBe(true);
  });

  it('reports the API changes: the endpoints added and removed, and the one breaking change', () => {
    const lines = regeneration.split('\n');
    const start = lines.findIndex((l) => l.startsWith('API changes:'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('  '));
    const summary = lines.slice(start, end);
    expect(summary[0]).toMatch(/^API changes: 2 added, 1 removed, \d+ changed \(1 breaking\)$/);
    expect(summary).toEqual(
      expect.arrayContaining(['  GET /api/v1/products/{productId}/reviews: added', '  POST /api/v1/products/{productId}/reviews: added', '  DELETE /api/v1/customers/{id}: removed (breaking)']),
    );
    // A field added to what the products return breaks no client; one category becoming a list does.
    expect(summary.filter((l) => l.startsWith('    breaking: '))).toEqual(['    breaking: query parameter category: string -> string[]']);
    expect(summary[summary.indexOf('    breaking: query parameter category: string -> string[]') - 1]).toBe('  GET /api/v1/products');
  });

  it('names the one place the changed parameter breaks the team\'s code, as the type checker does', async () => {
    const line = PRODUCTS_SERVICE.split('\n').findIndex((l) => l.includes(CATEGORY_LINE)) + 1;
    expect(regeneration).toContain(`src/services/products.service.ts:${line}`);
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: PROJECT });
    expect(typecheck.code).not.toBe(0);
    const errors = typecheck.output.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.length, typecheck.output).toBeGreaterThan(0);
    expect(errors.every((l) => l.startsWith(`src/services/products.service.ts(${line},`)), errors.join('\n')).toBe(true);
  });

  it('type-checks and passes its own tests once the team adapts that line', async () => {
    await edit('src/services/products.service.ts', (text) => text.replace(CATEGORY_LINE, CATEGORY_LINE_V2));
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: PROJECT });
    expect(typecheck.code, typecheck.output).toBe(0);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: PROJECT, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
  }, 300_000);

  it('migrates the v1 database with its data intact, and serves the new field and endpoints', async () => {
    await buildProject(PROJECT);
    const server = await startServer(process.execPath, ['dist/server.js'], { cwd: PROJECT, env: serverEnv, readyPath: '/health/ready' });
    try {
      const product = await call(server.baseUrl, 'GET', `/products/${v1.productId}`);
      expect(product.body.data).toMatchObject({ sku: 'BOOK-0001', name: 'A book', weightGrams: null });
      expect((await call(server.baseUrl, 'GET', `/customers/${v1.customerId}`)).body.data).toMatchObject({ email: 'ada@example.com' });
      expect((await call(server.baseUrl, 'GET', `/orders/${v1.orderId}`)).body.data).toMatchObject({ status: 'pending', totalCents: 1200 });

      const weighed = await call(server.baseUrl, 'PATCH', `/products/${v1.productId}`, { version: product.body.data.version, weightGrams: 450 });
      expect(weighed.status).toBe(200);
      expect(weighed.body.data.weightGrams).toBe(450);
      const review = await call(server.baseUrl, 'POST', `/products/${v1.productId}/reviews`, { rating: 5, comment: 'Worth it.' });
      expect(review.status).toBe(201);
      expect(review.body.data).toMatchObject({ productId: v1.productId, rating: 5, comment: 'Worth it.' });
      const reviews = await call(server.baseUrl, 'GET', `/products/${v1.productId}/reviews`);
      expect(reviews.body.data.map((r) => r.id)).toEqual([review.body.data.id]);
      const listed = await call(server.baseUrl, 'GET', '/products?category=BOOKS,games');
      expect(listed.body.data.map((p) => p.id), "the team's adapted listProducts").toEqual([v1.productId]);

      // The removed endpoint is no longer served.
      expect([404, 405]).toContain((await call(server.baseUrl, 'DELETE', `/customers/${v1.customerId}`)).status);
      expect((await call(server.baseUrl, 'GET', `/customers/${v1.customerId}`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('is idempotent: a second regeneration writes nothing', async () => {
    const again = await scaffold(['generate']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/nothing changed/i);
  });
});
