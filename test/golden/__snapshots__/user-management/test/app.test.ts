import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import type { DatabaseConnection } from '../src/repositories/database.js';
import { testDatabase } from './support/database.js';

describe('the application', () => {
  let app: FastifyInstance;
  let database: DatabaseConnection;

  beforeAll(async () => {
    database = await testDatabase();
    app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { database });
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

  it('answers a known path with an unsupported method with 405 and Allow', async () => {
    const response = await app.inject({ method: 'TRACE', url: '/api/v1/auth/login' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toContain('POST');
  });
});

describe('configuration', () => {
  it('refuses to start with an invalid variable and names it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });
});
