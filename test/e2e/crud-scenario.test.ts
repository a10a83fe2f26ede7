import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateExample } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';
import { isReachable } from '../support/services.js';

/**
 * The generated e-commerce project does real work over HTTP, on the embedded database and on
 * PostgreSQL: CRUD, transitions, policies, checks, the effects between aggregates (stock reserved,
 * released and shipped) and the card payment charged at the payment gateway come from the domain
 * model with no hand-written code. In production mode (the embedded run) the project's HTTP adapter
 * calls a stand-in gateway started here; in development mode (the PostgreSQL run) its fake answers.
 */
const JWT_SECRET = 'scenario-secret-0123456789abcdef0123';


interface Envelope<T> {
  success: boolean;
  data: T;
  meta: Record<string, unknown>;
  links?: Record<string, string | null>;
  error?: { code: string; message: string };
}

type Json = Record<string, unknown>;

/** A row of the generated project's audit_log, as its Drizzle schema reads it. */
interface AuditRecord {
  entity: string;
  entityId: string;
  action: string;
  actor: string | null;
  at: Date;
  changes: Record<string, { before: unknown; after: unknown } | undefined>;
  reason: string | null;
  requestId: string | null;
}

let project: string;
let postgresUrl: string | undefined;

/**
 * A payment gateway standing in for a card processor, speaking the protocol of the generated adapter
 * (src/gateways/http-gateway.ts): a card token ending in `declined` is declined; while `down`, it answers 503.
 */
const gateway = { url: '', down: false, hits: 0, charges: [] as { headers: IncomingHttpHeaders; body: Json }[] };
let gatewayServer: Server;

beforeAll(async () => {
  gatewayServer = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      gateway.hits += 1;
      if (gateway.down || request.url !== '/v1/charge') return void response.writeHead(gateway.down ? 503 : 404).end();
      const body = JSON.parse(text) as Json;
      gateway.charges.push({ headers: request.headers, body });
      const declined = String(body['cardToken']).endsWith('declined');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(declined ? { outcome: 'declined', reason: 'card_declined' } : { outcome: 'succeeded' }));
    });
  });
  await new Promise<void>((done) => gatewayServer.listen(0, '127.0.0.1', done));
  gateway.url = `http://127.0.0.1:${(gatewayServer.address() as AddressInfo).port}/v1`;
  project = await generateExample('ecommerce', 'e2e-scenario');
  await buildProject(project);
  if (await isReachable('127.0.0.1', 5432)) {
    const database = `scaffold_e2e_scenario_${process.pid}`;
    const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${database}`], { cwd: project });
    expect(created.code, created.output).toBe(0);
    postgresUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  }
});

afterAll(async () => {
  gatewayServer?.closeAllConnections();
  gatewayServer?.close();
  if (postgresUrl) await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${postgresUrl.split('/').at(-1)} WITH (FORCE)`], { cwd: project });
});

/** A client of the running server, as an admin (or as the caller given: a subject and role, or nobody). */
async function client(server: RunningServer, as: { subject: string; role: string } | 'anonymous' = { subject: 'admin', role: 'admin' }) {
  const token =
    as === 'anonymous'
      ? undefined
      : await new SignJWT({ role: as.role }).setProtectedHeader({ alg: 'HS256' }).setSubject(as.subject).setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
  return async <T = Json>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Envelope<T>; headers: Headers }> => {
    const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Envelope<T>, headers: response.headers };
  };
}

describe('roles in tokens', () => {
  it('reads them from a string, a space-separated string or a list, at a nested path; JWT_ROLES_CLAIM overrides the scheme`s claim', async () => {
    const { loadConfig } = (await import(join(project, 'dist', 'config', 'env.js'))) as { loadConfig(env: Record<string, string>): { jwt: Record<string, unknown> } };
    const { createJwtVerifier } = (await import(join(project, 'dist', 'middlewares', 'jwt.js'))) as {
      createJwtVerifier(config: Record<string, unknown>): { verify(token: string, rolesClaim?: string): Promise<{ roles: string[] } | null> };
    };
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const roles = async (claims: Record<string, unknown>, rolesClaim?: string, env: Record<string, string> = {}) =>
      (await createJwtVerifier(loadConfig({ JWT_SECRET, ...env }).jwt).verify(await sign(claims), rolesClaim))?.roles;

    expect(await roles({ role: 'admin' }, 'role')).toEqual(['admin']);
    expect(await roles({ role: 'admin support' }, 'role')).toEqual(['admin', 'support']);
    expect(await roles({ groups: ['admin', 7, 'support'] }, 'groups')).toEqual(['admin', 'support']);
    expect(await roles({ realm_access: { roles: ['admin'] } }, 'realm_access.roles')).toEqual(['admin']);
    expect(await roles({ 'https://example.com/roles': ['admin'] }, 'https://example.com/roles')).toEqual(['admin']);
    // No claim named: `roles`, else `role`.
    expect(await roles({ roles: ['support'], role: 'admin' })).toEqual(['support']);
    expect(await roles({ role: 'admin' })).toEqual(['admin']);
    // Neither: the scopes, as a spec that lists scopes on a bearer scheme means them.
    expect(await roles({ scope: 'projects:read projects:write' })).toEqual(['projects:read', 'projects:write']);
    expect(await roles({ role: 'customer', scope: 'admin' })).toEqual(['customer']);
    expect(await roles({ role: 'admin', groups: ['support'] }, 'role', { JWT_ROLES_CLAIM: 'groups' })).toEqual(['support']);
    expect(await roles({ scope: 'admin' }, 'role')).toEqual([]);
    expect(() => loadConfig({ JWT_ROLES_CLAIM: 'realm_access..roles' })).toThrow(/JWT_ROLES_CLAIM must be a claim name or a dotted path/);
  });
});

function serverEnv(database: 'embedded' | 'postgres', dataDir: string): NodeJS.ProcessEnv {
  // On PostgreSQL, development mode migrates at startup (production leaves that to `npm run db:migrate`).
  // Production needs the payment gateway's URL: the embedded run calls the stand-in; development gets the fake.
  const where = database === 'postgres' ? { DATABASE_URL: postgresUrl, NODE_ENV: 'development' } : { DATA_DIR: dataDir, NODE_ENV: 'production', PAYMENT_GATEWAY_URL: gateway.url };
  return { LOG_LEVEL: 'warn', JWT_SECRET, RATE_LIMIT_MAX: '1000000', ...where };
}

const ADDRESS = { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

for (const database of ['embedded', 'postgres'] as const) {
  describe(`the generated e-commerce project on the ${database === 'embedded' ? 'embedded database (PGlite)' : 'local PostgreSQL'}`, () => {
    let server: RunningServer | undefined;
    const dataDir = () => resolve(project, '.data', `scenario-${database}`);

    afterAll(async () => {
      await server?.stop();
    });

    it('places, pays, ships and cancels orders with stock kept right, and lists them with paging and filters', async () => {
      if (database === 'postgres') expect(postgresUrl, 'PostgreSQL is not running on 127.0.0.1:5432; start it (pg_ctlcluster 15 main start) and run again').toBeDefined();
      server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: serverEnv(database, dataDir()), readyPath: '/health/ready' });
      const call = await client(server);

      const product = await call<Json & { id: string }>('POST', '/products', { sku: `BOOK-${database.toUpperCase()}`, name: 'A book', category: 'books', priceCents: 1000, currency: 'EUR' });
      expect(product.status).toBe(201);
      expect(product.headers.get('location')).toBe(`/api/v1/products/${product.body.data.id}`);
      // A new product's inventory starts at zero (reaction to Product.created).
      const initial = await call('GET', `/products/${product.body.data.id}/inventory`);
      expect(initial.status).toBe(200);
      expect(initial.body.data).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
      expect((await call('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 10 })).status).toBe(200);
      const customer = await call<{ id: string }>('POST', '/customers', { email: `${database}@example.com`, name: 'Ada' });
      expect(customer.status).toBe(201);
      const stock = async () => (await call<{ onHand: number; reserved: number; available: number }>('GET', `/products/${product.body.data.id}/inventory`)).body.data;

      // Place an order: prices come from the catalogue, stock is reserved.
      const orderBody = (quantity: number) => ({ customerId: customer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity }], shippingAddress: ADDRESS });
      const order = await call<{ id: string; status: string; totalCents: number; items: { unitPriceCents: number; lineTotalCents: number }[]; links: Record<string, string> }>('POST', '/orders', orderBody(3));
      expect(order.status).toBe(201);
      expect(order.body.data).toMatchObject({ status: 'pending', totalCents: 3000, items: [{ unitPriceCents: 1000, lineTotalCents: 3000 }] });
      expect(order.body.data.links).toMatchObject({ self: `/api/v1/orders/${order.body.data.id}`, cancel: `/api/v1/orders/${order.body.data.id}/cancel` });
      expect(order.body.data.links).not.toHaveProperty('ship');
      expect(await stock()).toEqual(expect.objectContaining({ onHand: 10, reserved: 3, available: 7 }));

      // More than is available: refused with the invariant's code, and nothing of it stays (the order rolls back with the reservation).
      const tooMuch = await call('POST', '/orders', orderBody(8));
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body).toMatchObject({ success: false, error: { code: 'INSUFFICIENT_STOCK' } });
      expect((await stock()).reserved).toBe(3);
      expect((await call('GET', '/orders')).body.meta).toMatchObject({ total: 1 });
      // Stock cannot be counted below what orders hold.
      const below = await call('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 2 });
      expect(below.status).toBe(422);
      expect(below.body).toMatchObject({ success: false, error: { code: 'INSUFFICIENT_STOCK' } });
      // Products must be active and priced in the order's currency (a check on each item).
      const dollars = await call('POST', '/orders', { ...orderBody(1), currency: 'USD' });
      expect(dollars.status).toBe(422);
      expect(dollars.body).toMatchObject({ success: false, error: { code: 'PRODUCT_NOT_ORDERABLE' } });
      expect((await stock()).reserved).toBe(3);

      // Shipping an unpaid order is an illegal transition.
      const early = await call('POST', `/orders/${order.body.data.id}/ship`, { carrier: 'DHL', trackingNumber: 'JJD000' });
      expect(early.status).toBe(409);
      // The spec's code for a wrong state, with the state and the states that allow the transition.
      expect(early.body).toMatchObject({ success: false, error: { code: 'INVALID_ORDER_STATE', details: { state: 'pending', allowed: ['paid'] } } });

      // The payment must equal the order's total.
      const short = await call('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 2999, currency: 'EUR', cardToken: 'tok_visa' });
      expect(short.status).toBe(422);
      expect(short.body).toMatchObject({ success: false, error: { code: 'PAYMENT_AMOUNT_MISMATCH' } });

      // A card payment needs the card's token.
      const tokenless = await call('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 3000, currency: 'EUR' });
      expect(tokenless.status).toBe(422);
      expect(tokenless.body).toMatchObject({ success: false, error: { code: 'CARD_TOKEN_REQUIRED' } });
      // A declined card: the payment is recorded as failed with the gateway's reason; the order stays pending.
      const declined = await call<{ status: string; failureReason: string | null }>('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 3000, currency: 'EUR', cardToken: 'tok_declined' });
      expect(declined.status).toBe(201);
      expect(declined.body.data).toMatchObject({ status: 'failed', failureReason: database === 'embedded' ? 'card_declined' : 'fake_declined' });
      expect((await call<{ status: string }>('GET', `/orders/${order.body.data.id}`)).body.data.status).toBe('pending');

      // Pay by card: the gateway charges the card, the payment succeeds and the model's reaction pays the order.
      const charges = gateway.charges.length;
      const payment = await call<{ id: string; status: string }>('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 3000, currency: 'EUR', cardToken: 'tok_visa' });
      expect(payment.status).toBe(201);
      expect(payment.body.data.status).toBe('succeeded');
      if (database === 'embedded') {
        // Through the project's HTTP adapter: the charge in the domain's terms, with an idempotency key.
        expect(gateway.charges.slice(charges)).toEqual([
          { headers: expect.objectContaining({ 'idempotency-key': expect.stringMatching(/^[0-9a-f]{64}$/) }), body: { amountCents: 3000, currency: 'EUR', cardToken: 'tok_visa', reference: payment.body.data.id } },
        ]);
      }
      const paid = await call<{ status: string; paidAt: string | null }>('GET', `/orders/${order.body.data.id}`);
      expect(paid.body.data.status).toBe('paid');
      expect(paid.body.data.paidAt).not.toBeNull();
      // A paid order takes no second payment.
      const again = await call('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 3000, currency: 'EUR', cardToken: 'tok_visa' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ success: false, error: { code: 'INVALID_ORDER_STATE' } });

      // Ship: reserved stock leaves the warehouse.
      const shipped = await call<{ status: string; carrier: string; shippedAt: string | null }>('POST', `/orders/${order.body.data.id}/ship`, { carrier: 'DHL', trackingNumber: 'JJD000' });
      expect(shipped.status).toBe(200);
      expect(shipped.body.data).toMatchObject({ status: 'shipped', carrier: 'DHL' });
      expect(await stock()).toEqual(expect.objectContaining({ onHand: 7, reserved: 0, available: 7 }));
      expect((await call('POST', `/orders/${order.body.data.id}/cancel`, { reason: 'too late' })).status).toBe(409);

      // Cancel a pending order: its reservation is released.
      const second = await call<{ id: string }>('POST', '/orders', orderBody(2));
      expect((await stock()).reserved).toBe(2);
      const cancelled = await call<{ status: string; cancellationReason: string | null; cancelledAt: string | null }>('POST', `/orders/${second.body.data.id}/cancel`, { reason: 'changed my mind' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancellationReason: 'changed my mind' });
      expect(cancelled.body.data.cancelledAt).not.toBeNull();
      expect((await stock()).reserved).toBe(0);
      // Cancelling a paid order releases its stock and refunds its succeeded payment.
      const third = await call<{ id: string }>('POST', '/orders', orderBody(1));
      const thirdPayment = await call<{ id: string }>('POST', `/orders/${third.body.data.id}/payments`, { method: 'card', amountCents: 1000, currency: 'EUR', cardToken: 'tok_visa' });
      expect((await call('POST', `/orders/${third.body.data.id}/cancel`, {})).status).toBe(200);
      expect((await call<{ status: string }>('GET', `/payments/${thirdPayment.body.data.id}`)).body.data.status).toBe('refunded');
      expect((await stock()).reserved).toBe(0);

      // Lists: paging with totals and links, filters, the customer's own orders.
      const page = await call<unknown[]>('GET', '/orders?pageSize=1&sort=createdAt');
      expect(page.body.data).toHaveLength(1);
      expect(page.body.meta).toMatchObject({ page: 1, pageSize: 1, total: 3, totalPages: 3 });
      expect(page.body.links).toMatchObject({ next: '/api/v1/orders?pageSize=1&sort=createdAt&page=2', prev: null });
      const next = await call<{ id: string }[]>('GET', '/orders?pageSize=1&sort=createdAt&page=2');
      expect(next.body.data.map((o) => o.id)).toEqual([second.body.data.id]);
      const filtered = await call<{ id: string }[]>('GET', '/orders?status=cancelled&sort=createdAt');
      expect(filtered.body.data.map((o) => o.id)).toEqual([second.body.data.id, third.body.data.id]);
      const byTotal = await call<{ id: string }[]>('GET', '/orders?totalCents[gte]=2500');
      expect(byTotal.body.data.map((o) => o.id)).toEqual([order.body.data.id]);
      const customerOrders = await call('GET', `/customers/${customer.body.data.id}/orders`);
      expect(customerOrders.body.meta).toMatchObject({ total: 3 });
      expect((await call('GET', '/customers/00000000-0000-4000-8000-000000000000/orders')).status).toBe(404);

      // Optimistic locking (a version in the body, or the ETag in If-Match) and unique fields.
      const stale = await call('PATCH', `/products/${product.body.data.id}`, { version: 99, priceCents: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ success: false, error: { code: 'VERSION_CONFLICT' } });
      const invalid = await call('PATCH', `/products/${product.body.data.id}`, { version: 1, priceCents: -1 });
      expect(invalid.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', details: [{ field: '/body/priceCents' }] } });
      const read = await call<{ version: number }>('GET', `/products/${product.body.data.id}`);
      const etag = read.headers.get('etag');
      expect(etag).toBe(`"${read.body.data.version}"`);
      const changed = await call<{ version: number }>('PATCH', `/products/${product.body.data.id}`, { version: read.body.data.version, priceCents: 1100 }, { 'if-match': etag ?? '' });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe(`"${read.body.data.version + 1}"`);
      const outdated = await call('PATCH', `/products/${product.body.data.id}`, { version: read.body.data.version + 1, priceCents: 1200 }, { 'if-match': etag ?? '' });
      expect(outdated.status).toBe(412);
      expect(outdated.body).toMatchObject({ success: false, error: { code: 'PRECONDITION_FAILED' } });
      const duplicate = await call('POST', '/products', { sku: `BOOK-${database.toUpperCase()}`, name: 'Again', category: 'books', priceCents: 1, currency: 'EUR' });
      expect(duplicate.status).toBe(409);
      // unique: ignore-case: the same e-mail in other capitals is a duplicate, and the list's e-mail filter ignores case.
      const shouted = await call('POST', '/customers', { email: `${database.toUpperCase()}@Example.COM`, name: 'Ada again' });
      expect(shouted.status).toBe(409);
      expect(shouted.body).toMatchObject({ success: false, error: { code: duplicate.body.error?.code, details: { constraint: 'customers_email_key' } } });
      const byEmail = await call<{ id: string }[]>('GET', `/customers?email=${encodeURIComponent(`${database.toUpperCase()}@example.com`)}`);
      expect(byEmail.body.data.map((c) => c.id)).toEqual([customer.body.data.id]);
      // deleteRefusedWhile: a customer with an order that is not delivered or cancelled stays.
      const held = await call('DELETE', `/customers/${customer.body.data.id}`);
      expect(held.status).toBe(409);
      expect(held.body).toMatchObject({ success: false, error: { code: 'CUSTOMER_HAS_OPEN_ORDERS' } });

      // Admin-only operations (`bearerAuth: [admin]`) refuse a customer's token, and say which role is missing.
      const asCustomer = await client(server, { subject: 'customer', role: 'customer' });
      const refused = await asCustomer('POST', '/products', { sku: `NOPE-${database.toUpperCase()}`, name: 'Nope', category: 'books', priceCents: 1, currency: 'EUR' });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN', message: 'This operation requires the role admin' } });
      expect((await asCustomer('GET', '/customers')).status).toBe(403);
      expect((await asCustomer('GET', `/products/${product.body.data.id}/inventory`)).status).toBe(200);
    });

    it("enforces the model's policies: customers see and change only their own, anonymous callers see active products", async () => {
      expect(server, 'the first scenario starts the server').toBeDefined();
      const running = server as RunningServer;
      const admin = await client(running);
      const tag = `${database}-policies`;
      const ada = await admin<{ id: string }>('POST', '/customers', { email: `ada-${tag}@example.com`, name: 'Ada' });
      const bob = await admin<{ id: string }>('POST', '/customers', { email: `bob-${tag}@example.com`, name: 'Bob' });
      const asAda = await client(running, { subject: ada.body.data.id, role: 'customer' });
      const asBob = await client(running, { subject: bob.body.data.id, role: 'customer' });
      const anonymous = await client(running, 'anonymous');
      const active = await admin<{ id: string }>('POST', '/products', { sku: `ACT-${database.toUpperCase()}`, name: 'On sale', category: 'policies', priceCents: 500, currency: 'EUR' });
      const hidden = await admin<{ id: string }>('POST', '/products', { sku: `OFF-${database.toUpperCase()}`, name: 'Withdrawn', category: 'policies', priceCents: 500, currency: 'EUR', active: false });
      expect([active.status, hidden.status]).toEqual([201, 201]);
      expect((await admin('PUT', `/products/${active.body.data.id}/inventory`, { onHand: 10 })).status).toBe(200);

      // Visibility: filtered in SQL, so the page's total counts only what the caller may see.
      expect((await anonymous<{ id: string }[]>('GET', '/products?category=policies')).body.meta).toMatchObject({ total: 1 });
      expect((await admin('GET', '/products?category=policies')).body.meta).toMatchObject({ total: 2 });
      expect((await anonymous('GET', `/products/${hidden.body.data.id}`)).status).toBe(404);
      expect((await admin('GET', `/products/${hidden.body.data.id}`)).status).toBe(200);

      // Ownership: Ada orders for herself; Bob may not order for her, nor see or cancel her order.
      const orderFor = (customerId: string) => ({ customerId, currency: 'EUR', items: [{ productId: active.body.data.id, quantity: 1 }], shippingAddress: ADDRESS });
      const adas = await asAda<{ id: string }>('POST', '/orders', orderFor(ada.body.data.id));
      expect(adas.status).toBe(201);
      const forged = await asBob('POST', '/orders', orderFor(ada.body.data.id));
      expect(forged.status).toBe(403);
      expect(forged.body).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
      expect((await asBob('GET', `/orders/${adas.body.data.id}`)).status).toBe(404);
      expect((await asBob('POST', `/orders/${adas.body.data.id}/cancel`, { reason: 'not mine' })).status).toBe(404);
      expect((await asBob('GET', '/orders')).body.meta).toMatchObject({ total: 0 });
      // A filter on another customer's orders is refused, as the spec says (403), rather than answered empty.
      expect((await asBob('GET', `/orders?customerId=${ada.body.data.id}`)).status).toBe(403);
      expect((await asAda('GET', `/orders?customerId=${ada.body.data.id}`)).body.meta).toMatchObject({ total: 1 });
      expect((await asBob('GET', `/customers/${ada.body.data.id}/orders`)).status).toBe(404);
      expect((await asAda('GET', '/orders')).body.meta).toMatchObject({ total: 1 });
      expect((await asAda('GET', `/orders/${adas.body.data.id}`)).status).toBe(200);
      // Ada may read her order but not ship it: 403, not 404.
      expect((await asAda('POST', `/orders/${adas.body.data.id}/ship`, { carrier: 'DHL', trackingNumber: 'X1' })).status).toBe(403);
      // Stock her pending order reserves keeps the product (deleteRefusedWhile: inventory with reserved > 0).
      const reserved = await admin('DELETE', `/products/${active.body.data.id}`);
      expect(reserved.status).toBe(409);
      expect(reserved.body).toMatchObject({ success: false, error: { code: 'PRODUCT_HAS_RESERVED_STOCK' } });
      // Her order changes until it ships (updatableIn: pending, paid); once cancelled, the spec's state code.
      expect((await asAda('PATCH', `/orders/${adas.body.data.id}`, { note: 'ring twice' })).status).toBe(200);
      expect((await asAda('POST', `/orders/${adas.body.data.id}/cancel`, { reason: 'changed my mind' })).status).toBe(200);
      const late = await asAda('PATCH', `/orders/${adas.body.data.id}`, { note: 'too late' });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ success: false, error: { code: 'INVALID_ORDER_STATE', details: { state: 'cancelled', allowed: ['pending', 'paid'] } } });

      // A customer's token creates their own profile, bound to their subject, once.
      const carol = '0c0c0c0c-0000-4000-8000-00000000000c';
      const asCarol = await client(running, { subject: carol, role: 'customer' });
      const own = await asCarol<{ id: string }>('POST', '/customers', { email: `carol-${tag}@example.com`, name: 'Carol' });
      expect(own.status).toBe(201);
      expect(own.body.data.id).toBe(carol);
      expect((await asCarol('POST', '/customers', { email: `carol2-${tag}@example.com`, name: 'Carol' })).status).toBe(409);
      expect((await asCarol('GET', `/customers/${carol}`)).status).toBe(200);
      // A subject that can be no customer's id (not a UUID) gets no profile of its own: the create rule refuses it.
      const asDave = await client(running, { subject: 'dave', role: 'customer' });
      expect((await asDave('POST', '/customers', { email: `dave-${tag}@example.com`, name: 'Dave' })).status).toBe(403);

      // Profiles: her own, not another's.
      expect((await asBob('GET', `/customers/${ada.body.data.id}`)).status).toBe(404);
      expect((await asBob('PUT', `/customers/${ada.body.data.id}`, { email: `x-${tag}@example.com`, name: 'X', phone: null })).status).toBe(404);
      expect((await asAda('GET', `/customers/${ada.body.data.id}`)).status).toBe(200);
    });

    it('keeps every acknowledged order, and no partial one, when the server is killed in the middle of writes', async () => {
      if (database === 'postgres') expect(postgresUrl, 'PostgreSQL is not running on 127.0.0.1:5432').toBeDefined();
      await server?.stop();
      server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: serverEnv(database, dataDir()), readyPath: '/health/ready' });
      let call = await client(server);
      const product = await call<{ id: string }>('POST', '/products', { sku: `CRASH-${database.toUpperCase()}`, name: 'Crash test', category: 'tests', priceCents: 100, currency: 'EUR' });
      await call('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 1_000_000 });
      const customer = await call<{ id: string }>('POST', '/customers', { email: `crash-${database}@example.com`, name: 'Crash' });
      const body = (quantity: number) => ({ customerId: customer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity }, { productId: product.body.data.id, quantity: 1 }], shippingAddress: ADDRESS });

      // Eight clients write orders until the server dies under them.
      const acknowledged = new Map<string, number>();
      let killed = false;
      const writer = async () => {
        for (let n = 1; !killed; n += 1) {
          try {
            const placed = await call<{ id: string }>('POST', '/orders', body((n % 5) + 1));
            if (placed.status === 201) acknowledged.set(placed.body.data.id, (n % 5) + 2);
          } catch {
            return; // connection refused or reset: the server is gone
          }
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      // Killed once writes are flowing (a fixed delay acknowledged too few on a loaded machine), mid-stream.
      const deadline = Date.now() + 60_000;
      while (acknowledged.size < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      killed = true;
      server.process.kill('SIGKILL');
      await Promise.all(writers);
      expect(acknowledged.size).toBeGreaterThan(5);

      server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: serverEnv(database, dataDir()), readyPath: '/health/ready' });
      call = await client(server);
      const stored = new Map<string, { items: { quantity: number }[]; totalCents: number }>();
      for (let page = 1; ; page += 1) {
        const list = await call<{ id: string; customerId: string; items: { quantity: number }[]; totalCents: number }[]>('GET', `/orders?customerId=${customer.body.data.id}&pageSize=100&page=${page}`);
        expect(list.status).toBe(200);
        for (const order of list.body.data) stored.set(order.id, order);
        if (list.body.links?.next === null) break;
      }
      for (const [id, quantity] of acknowledged) {
        expect(stored.get(id)?.items.reduce((sum, item) => sum + item.quantity, 0), `acknowledged order ${id}`).toBe(quantity);
      }
      for (const order of stored.values()) {
        expect(order.items).toHaveLength(2);
        expect(order.totalCents).toBe(order.items.reduce((sum, item) => sum + item.quantity * 100, 0));
      }
      const reserved = (await call<{ reserved: number }>('GET', `/products/${product.body.data.id}/inventory`)).body.data.reserved;
      expect(reserved).toBe([...stored.values()].reduce((sum, order) => sum + order.items.reduce((s, item) => s + item.quantity, 0), 0));
    });

    it('keeps stock changes in the audit log (InventoryItem is audited): who, when, which fields before and after, and the reason sent', async () => {
      if (database === 'postgres') expect(postgresUrl, 'PostgreSQL is not running on 127.0.0.1:5432').toBeDefined();
      await server?.stop();
      server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: serverEnv(database, dataDir()), readyPath: '/health/ready' });
      const keeper = await client(server, { subject: 'stock-keeper', role: 'admin' });
      const product = await keeper<{ id: string }>('POST', '/products', { sku: `AUDIT-${database.toUpperCase()}`, name: 'Audited', category: 'audit', priceCents: 100, currency: 'EUR' });
      expect((await keeper('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 5, reason: 'Delivery' })).status).toBe(200);
      expect((await keeper('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 3, reason: 'Quarterly stock count' })).status).toBe(200);
      // An order's reservation changes the stock too: logged with the reaction's action, on behalf of who ordered.
      const buyer = await keeper<{ id: string }>('POST', '/customers', { email: `audit-${database}@example.com`, name: 'Buyer' });
      const placed = await keeper('POST', '/orders', { customerId: buyer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity: 2 }], shippingAddress: ADDRESS });
      expect(placed.status).toBe(201);
      // A change the model refuses (below zero) is no change: no record.
      expect((await keeper('PUT', `/products/${product.body.data.id}/inventory`, { onHand: -1, reason: 'Refused' })).status).toBe(400);
      await server.stop();
      server = undefined;

      // The log as the database holds it, read with the project's own modules once the server let go of it.
      const { connectDatabase } = (await import(join(project, 'dist', 'repositories', 'database.js'))) as {
        connectDatabase(options: { databaseUrl: string | undefined; dataDir: string }): Promise<{ db: { select(): { from(table: unknown): Promise<AuditRecord[]> } }; close(): Promise<void> }>;
      };
      const { auditLog } = (await import(join(project, 'dist', 'repositories', 'schema.gen.js'))) as { auditLog: unknown };
      const connection = await connectDatabase({ databaseUrl: database === 'postgres' ? postgresUrl : undefined, dataDir: dataDir() });
      try {
        const records = await connection.db.select().from(auditLog);
        const created = records.find((r) => r.action === 'create' && r.changes.productId?.after === product.body.data.id);
        // The inventory is created with the product (a reaction), on behalf of who created the product.
        expect(created).toMatchObject({ entity: 'InventoryItem', actor: 'stock-keeper', reason: null, changes: { onHand: { before: null, after: 0 } } });
        const history = records.filter((r) => r.entityId === created?.entityId).sort((a, b) => a.at.getTime() - b.at.getTime());
        expect(history.map((r) => [r.action, r.actor, r.reason])).toEqual([
          ['create', 'stock-keeper', null],
          ['update', 'stock-keeper', 'Delivery'],
          ['update', 'stock-keeper', 'Quarterly stock count'],
          ['reserve', 'stock-keeper', null],
        ]);
        expect(history[2]?.changes).toEqual({ onHand: { before: 5, after: 3 } });
        expect(history[3]?.changes).toEqual({ reserved: { before: 0, after: 2 } });
        expect(history[2]?.requestId).toEqual(expect.any(String));
        expect(history[2]?.at.getTime()).toBeGreaterThan(Date.now() - 120_000);
      } finally {
        await connection.close();
      }
    });
  });
}

describe('a payment gateway that is down', () => {
  let server: RunningServer | undefined;

  afterAll(async () => {
    gateway.down = false;
    await server?.stop();
  });

  it('never hangs a request nor answers 500: the payment is recorded failed with the reason, and the circuit opens', async () => {
    gateway.down = true;
    const env = { ...serverEnv('embedded', resolve(project, '.data', 'scenario-gateway-down')), PAYMENT_GATEWAY_TIMEOUT_MS: '300' };
    server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env, readyPath: '/health/ready' });
    const call = await client(server);
    const product = await call<{ id: string }>('POST', '/products', { sku: 'GATEWAY-DOWN', name: 'Down', category: 'tests', priceCents: 500, currency: 'EUR' });
    await call('PUT', `/products/${product.body.data.id}/inventory`, { onHand: 10 });
    const customer = await call<{ id: string }>('POST', '/customers', { email: 'gateway-down@example.com', name: 'Down' });
    const order = await call<{ id: string }>('POST', '/orders', { customerId: customer.body.data.id, currency: 'EUR', items: [{ productId: product.body.data.id, quantity: 1 }], shippingAddress: ADDRESS });
    const pay = () => call<{ status: string; failureReason: string | null }>('POST', `/orders/${order.body.data.id}/payments`, { method: 'card', amountCents: 500, currency: 'EUR', cardToken: 'tok_visa' });

    // Three attempts (two retries) answered 503: the payment fails with the gateway's unavailability.
    const hits = gateway.hits;
    const first = await pay();
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ status: 'failed', failureReason: 'payment_gateway_unavailable' });
    expect(gateway.hits - hits).toBe(3);
    expect((await call<{ status: string }>('GET', `/orders/${order.body.data.id}`)).body.data.status).toBe('pending');
    // The fifth failure in a row opens the circuit: from then on calls answer at once, without reaching the gateway.
    expect((await pay()).body.data.status).toBe('failed');
    const reached = gateway.hits;
    gateway.down = false;
    const third = await pay();
    expect(third.status).toBe(201);
    expect(third.body.data).toMatchObject({ status: 'failed', failureReason: 'payment_gateway_unavailable' });
    expect(gateway.hits).toBe(reached);
    expect(server.logs()).toMatch(/PaymentGateway: circuit open/);
  });
});
