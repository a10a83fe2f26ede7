import type { FastifyInstance } from 'fastify';
import { renderApiReference } from '../utils/api-reference.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * Routes every deployment needs beside the API: the spec itself, a reference page, and health
 * endpoints for the orchestrator (live: the process answers; ready: its dependencies answer too).
 */
export function registerSystemRoutes(
  app: FastifyInstance,
  document: Readonly<Record<string, unknown>>,
  readiness: readonly ReadinessCheck[],
): void {
  const referencePage = renderApiReference(document);

  app.get('/openapi.json', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.type('application/json').send(document),
  );
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(referencePage));
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const results = await Promise.all(
      readiness.map(async ({ name, check }) => {
        try {
          await check();
          return { name, status: 'ok' as const };
        } catch (error) {
          // The cause goes to the log, not to an anonymous caller.
          app.log.warn({ err: error, check: name }, 'readiness check failed');
          return { name, status: 'failing' as const };
        }
      }),
    );
    const ready = results.every((r) => r.status === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'failing', checks: results });
  });
}
