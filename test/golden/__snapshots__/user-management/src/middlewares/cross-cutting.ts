import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
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
  close(): Promise<void>;
}

export async function registerCrossCuttingConcerns(
  app: FastifyInstance,
  config: Config,
): Promise<CrossCuttingConcerns> {
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins],
    credentials: !config.corsOrigins.includes('*'),
    exposedHeaders: ['x-request-id', 'location', 'retry-after'],
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
    close: async () => {
      if (redis) await redis.quit();
    },
  };
}
