import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { createJwtVerifier } from '../src/middlewares/jwt.js';
import type { DatabaseConnection } from '../src/repositories/database.js';
import { testDatabase } from './support/database.js';

/** The one origin CORS_ORIGINS allows in these tests. */
const BROWSER_ORIGIN = 'https://app.example.com';

describe('the application', () => {
  let app: FastifyInstance;
  let database: DatabaseConnection;

  beforeAll(async () => {
    database = await testDatabase();
    app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', CORS_ORIGINS: BROWSER_ORIGIN }), {
      database,
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('is ready when its database answers', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: [{ name: 'database', status: 'ok' }] });
  });

  it('reports itself alive', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('serves its spec and a reference page', async () => {
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json()).toHaveProperty('openapi');
    const docs = await app.inject({ method: 'GET', url: '/docs' });
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers an unknown route with 404 and echoes the request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/route', headers: { 'x-request-id': 'req-123' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('req-123');
  });

  it('answers a browser preflight from an allowed origin with the methods of the spec, and credentials', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/health/live',
      headers: { origin: BROWSER_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(BROWSER_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers['access-control-allow-methods']).split(', ')).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'PATCH',
      'POST',
      'PUT',
    ]);
  });

  it('gives an origin it does not allow no CORS headers, and no credentials', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/health/live',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers a known path with an unsupported method with 405 and Allow', async () => {
    const response = await app.inject({ method: 'TRACE', url: '/api/v1/products' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toContain('GET');
  });
});

describe('configuration', () => {
  it('refuses to start with an invalid variable and names it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });
});

describe('JWT verification', () => {
  const secret = 'a-test-secret-of-at-least-32-characters';
  const verifier = (env: Record<string, string> = {}) =>
    createJwtVerifier(loadConfig({ JWT_SECRET: secret, ...env }).jwt);
  const sign = (claims: { exp?: number | string }) => {
    const token = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1');
    if (claims.exp !== undefined) token.setExpirationTime(claims.exp);
    return token.sign(new TextEncoder().encode(secret));
  };

  it('refuses a token that never expires (no exp claim) unless JWT_REQUIRE_EXP=false', async () => {
    const forever = await sign({});
    expect(await verifier().verify(forever)).toBeNull();
    expect(await verifier({ JWT_REQUIRE_EXP: 'false' }).verify(forever)).toMatchObject({ subject: 'user-1' });
    expect(await verifier().verify(await sign({ exp: '5m' }))).toMatchObject({ subject: 'user-1' });
  });

  it('tolerates clocks apart by up to JWT_CLOCK_TOLERANCE_SECONDS', async () => {
    const justExpired = await sign({ exp: Math.floor(Date.now() / 1000) - 10 });
    expect(await verifier().verify(justExpired)).toMatchObject({ subject: 'user-1' });
    expect(await verifier({ JWT_CLOCK_TOLERANCE_SECONDS: '0' }).verify(justExpired)).toBeNull();
  });

  it('refuses to start in production without a key to verify tokens', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET or JWT_JWKS_URL must be set in production/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: secret,
        PAYMENT_GATEWAY_URL: 'https://payment-gateway.example.com',
      }),
    ).not.toThrow();
  });
});

describe('external services', () => {
  it('refuses to start in production without the URL of each (the development fake would answer for it), or with one in clear text to another host', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-test-secret-of-at-least-32-characters' })).toThrow(
      /PAYMENT_GATEWAY_URL must be set in production/,
    );
    // Its key must not travel in clear text to another host; a sidecar on this one may take plain HTTP.
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a-test-secret-of-at-least-32-characters',
        PAYMENT_GATEWAY_URL: 'http://payment-gateway.example.com',
      }),
    ).toThrow(/PAYMENT_GATEWAY_URL must use https: in production/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a-test-secret-of-at-least-32-characters',
        PAYMENT_GATEWAY_URL: 'http://127.0.0.1:8080',
      }),
    ).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
  });
});
