import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpGatewayClient } from '../../src/gateways/http-gateway.js';

const OUTCOMES = ['succeeded', 'declined'] as const;
const log = Fastify({ logger: { level: 'silent' } }).log;

/** A stand-in service on a free port: answers each request as `answer` says, and keeps what it received. */
async function service(
  answer: (attempt: number) => { status: number; body?: unknown; delayMs?: number },
): Promise<{ url: string; requests: { headers: IncomingHttpHeaders; body: string }[] }> {
  const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ headers: request.headers, body });
      const { status, body: payload, delayMs = 0 } = answer(requests.length);
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload ?? {}));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function client(url: string, timeoutMs = 1_000): HttpGatewayClient {
  return new HttpGatewayClient('TestGateway', { url, apiKey: 'key-123', timeoutMs }, log, 'test_gateway_unavailable');
}

describe('calls of an external service over HTTP', () => {
  it("answers the service's outcome and reason, posting the input with a bearer key and an idempotency key", async () => {
    const { url, requests } = await service(() => ({
      status: 200,
      body: { outcome: 'declined', reason: 'card_declined' },
    }));
    const answer = await client(url).post('charge', { amountCents: 500 }, OUTCOMES);
    expect(answer).toEqual({ outcome: 'declined', reason: 'card_declined' });
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!.body)).toEqual({ amountCents: 500 });
    expect(requests[0]!.headers['authorization']).toBe('Bearer key-123');
    expect(requests[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('retries a service that is briefly down, with the same idempotency key', async () => {
    const { url, requests } = await service((attempt) =>
      attempt < 3 ? { status: 503 } : { status: 200, body: { outcome: 'succeeded' } },
    );
    const answer = await client(url).post('charge', { amountCents: 500 }, OUTCOMES);
    expect(answer).toEqual({ outcome: 'succeeded' });
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('answers unavailable when the service does not answer in time, instead of waiting', async () => {
    const { url, requests } = await service(() => ({ status: 200, body: { outcome: 'succeeded' }, delayMs: 2_000 }));
    const answer = await client(url, 100).post('charge', { amountCents: 500 }, OUTCOMES);
    expect(answer).toEqual({ outcome: 'unavailable', reason: 'test_gateway_unavailable' });
    expect(requests).toHaveLength(3);
  });

  it('answers unavailable when nothing listens at the URL', async () => {
    const { url } = await service(() => ({ status: 200 }));
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    expect(await client(url).post('charge', {}, OUTCOMES)).toEqual({
      outcome: 'unavailable',
      reason: 'test_gateway_unavailable',
    });
  });

  it('does not retry a request the service refuses', async () => {
    const { url, requests } = await service(() => ({ status: 400, body: { error: 'bad request' } }));
    expect((await client(url).post('charge', {}, OUTCOMES)).outcome).toBe('unavailable');
    expect(requests).toHaveLength(1);
  });

  it('does not trust an outcome the operation does not have', async () => {
    const { url } = await service(() => ({ status: 200, body: { outcome: 'refunded' } }));
    expect((await client(url).post('charge', {}, OUTCOMES)).outcome).toBe('unavailable');
  });

  it('stops calling a service that keeps failing: the circuit opens and calls answer at once', async () => {
    const { url, requests } = await service(() => ({ status: 500 }));
    const gateway = client(url);
    // Three attempts per call: the fifth failure in a row opens the circuit during the second call.
    expect((await gateway.post('charge', {}, OUTCOMES)).outcome).toBe('unavailable');
    expect((await gateway.post('charge', {}, OUTCOMES)).outcome).toBe('unavailable');
    const reached = requests.length;
    expect(reached).toBe(5);
    expect(await gateway.post('charge', {}, OUTCOMES)).toEqual({
      outcome: 'unavailable',
      reason: 'test_gateway_unavailable',
    });
    expect(requests).toHaveLength(reached);
  });
});
