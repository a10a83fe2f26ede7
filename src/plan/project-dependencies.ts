/**
 * The generated project's dependencies. Fastify 5 with its own plugins; Ajv for OpenAPI 3.1 (2020-12)
 * validation, with re2js for patterns that backtrack; jose for JWT; ioredis for the shared rate-limit store. Node 20 is the floor, so each
 * range stays on a major whose `engines` allow it (vitest 4, not 5).
 */
export const PROJECT_DEPENDENCIES: Record<string, string> = {
  '@fastify/cors': '^11.1.0',
  '@fastify/formbody': '^9.0.0',
  '@fastify/helmet': '^13.0.0',
  '@fastify/multipart': '^10.0.0',
  '@fastify/rate-limit': '^11.0.0',
  ajv: '^8.17.0',
  'ajv-formats': '^3.0.1',
  // The serializer Fastify uses, compiled by the app itself to fall back where it cannot (src/utils/validation.ts).
  'fast-json-stringify': '^7.0.0',
  fastify: '^5.12.0',
  ioredis: '^5.8.0',
  jose: '^6.1.0',
  // RE2's linear-time engine in plain JavaScript, for the spec's patterns that could backtrack for seconds.
  re2js: '^2.10.0',
};

export const PROJECT_DEV_DEPENDENCIES: Record<string, string> = {
  '@types/node': '^20.19.0',
  // `npm run lint` (eslint.config.js): the layer rules of the guidelines. ESLint 9 and typescript-eslint 8
  // allow Node 20 and TypeScript 5.9. The import-cycle rule (eslint/no-circular-imports.js) parses with
  // `typescript` itself, so it needs no package of its own.
  eslint: '^9.39.0',
  // test/fuzz: hostile requests per operation, seeded so that a failure is found again.
  'fast-check': '^4.3.0',
  tsx: '^4.20.0',
  typescript: '~5.9.3',
  'typescript-eslint': '^8.48.0',
  vitest: '^4.0.0',
};

/**
 * npm overrides: what a dependency of these dependencies is held at, where the newest in range would
 * leave the Node 20 floor. Fastify 5 takes light-my-request ^6 (its `inject()`, which the project's tests
 * use); light-my-request 6.8 moved to cookie 2, whose `engines` ask for Node 22 (npm warned EBADENGINE on
 * every install), for one function cookie 1.1 has too (`stringifySetCookie`).
 */
export const PROJECT_OVERRIDES: Record<string, string | Record<string, string>> = {
  'light-my-request': { cookie: '^1.1.1' },
};

/** With a domain model: Drizzle over PGlite (embedded PostgreSQL) or node-postgres. */
export const DATABASE_DEPENDENCIES: Record<string, string> = {
  '@electric-sql/pglite': '^0.5.0',
  'drizzle-orm': '^0.45.0',
  pg: '^8.16.0',
};

export const DATABASE_DEV_DEPENDENCIES: Record<string, string> = {
  '@types/pg': '^8.15.0',
};

/**
 * With external services in the model: cockatiel for the HTTP adapters' timeouts, retries with backoff
 * and circuit breakers (no dependencies of its own; 3.x, as 4 asks for Node 22).
 */
export const GATEWAY_DEPENDENCIES: Record<string, string> = {
  cockatiel: '^3.2.1',
};
