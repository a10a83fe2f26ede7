import cors, { type FastifyCorsOptions } from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { ReadinessCheck } from '../controllers/system.controller.js';
import { RateLimitError } from '../errors/index.js';

/**
 * CORS, security headers and rate limiting. The rate limit lives in memory for a single instance and
 * in Redis when REDIS_URL is set, so that every instance behind a load balancer shares one limit.
 * Returns the health checks of what it opened, and how to close it.
 */
export interface CrossCuttingConcerns {
  /** Health checks for what these concerns depend on (Redis, when configured). */
  readiness: ReadinessCheck[];
  /** The Redis client when REDIS_URL is set, which keeps the failed-login counts too. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

export async function registerCrossCuttingConcerns(
  app: FastifyInstance,
  config: Config,
): Promise<CrossCuttingConcerns> {
  await app.register(cors, {
    delegator: async (request: FastifyRequest) => corsOptionsFor(request.headers.origin, config.corsOrigins),
  });
  await app.register(helmet, {
    // The API reference page at /docs uses inline styles; everything else is JSON.
    contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"] } },
  });

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false })
    : undefined;
  // ioredis reconnects by itself; without a listener its errors would go to stderr, outside the logs.
  redis?.on('error', (error: Error) => app.log.warn({ err: error }, 'Redis connection error'));
  await app.register(rateLimit, {
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    // A Redis outage lifts the limit rather than failing every request; /health/ready reports it.
    ...(redis && { redis, nameSpace: 'rate-limit:', skipOnError: true }),
    allowList: (request) => request.url.startsWith('/health/'),
    errorResponseBuilder: (_request, context) =>
      new RateLimitError(`Rate limit exceeded, retry in ${context.after}`, Math.max(1, Math.ceil(context.ttl / 1000))),
  });
  return {
    readiness: redis ? [{ name: 'redis', check: async () => void (await redis.ping()) }] : [],
    redis,
    close: async () => {
      if (redis) await redis.quit();
    },
  };
}

/** The methods the spec's operations use: a browser's preflight for any other is refused. */
const CORS_METHODS: readonly string[] = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

/**
 * CORS per request. An origin CORS_ORIGINS names is answered with credentials (cookies, Authorization);
 * `*` allows any origin, never with credentials, which would let every site act as the signed-in user;
 * any other origin gets no CORS headers at all, and its preflight is refused.
 */
function corsOptionsFor(origin: string | undefined, allowed: readonly string[]): FastifyCorsOptions {
  const shared = { methods: [...CORS_METHODS], exposedHeaders: ['x-request-id', 'location', 'retry-after'] };
  if (allowed.includes('*')) return { ...shared, origin: '*', credentials: false };
  if (origin !== undefined && allowed.includes(origin)) return { ...shared, origin, credentials: true };
  return { origin: false };
}
