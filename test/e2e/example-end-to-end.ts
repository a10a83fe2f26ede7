import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../src/load/load-domain-model.js';
import { loadSpec } from '../../src/load/load-spec.js';
import { buildModel } from '../../src/model/build-model.js';
import { bindOperations } from '../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../src/model/domain/build-domain.js';
import { inferDomainModel } from '../../src/model/infer/infer-domain.js';
import { exampleModels, exampleSpec } from '../support/fixtures.js';
import { generateExample } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer, UNREACHABLE_GATEWAY } from '../support/run.js';
import { isReachable } from '../support/services.js';
import { createTypeChecker } from '../support/type-check.js';
import { probeEveryOperation } from './black-box.js';

/**
 * End to end, as a user would: the `scaffold` bin generates an example, the project (with its
 * dependencies installed once and shared) type-checks, builds, passes its own tests, starts, and a
 * black-box client finds every operation answering as the spec declares over real HTTP.
 * One test file per example (examples-<name>.test.ts), so that the three run side by side.
 */
const JWT_SECRET = 'e2e-secret-0123456789abcdef0123456789';
const API_KEY = 'e2e-api-key';

export function describeExample(example: 'petstore' | 'ecommerce' | 'user-management'): void {
  describe(`the ${example} example, end to end`, () => {
    exampleEndToEnd(example);
  });
}

function exampleEndToEnd(example: string): void {
  /** As `tsc --noEmit` in the project. */
  const typeCheck = createTypeChecker();
  let project: string;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    project = await generateExample(example, 'e2e');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('type-checks with strict TypeScript and builds', async () => {
    expect(typeCheck(project)).toEqual([]);
    const build = await runCommand('npm', ['run', 'build'], { cwd: project });
    expect(build.code, build.output).toBe(0);
  });

  it('passes its own lint (the layer rules of eslint.config.js)', async () => {
    const lint = await runCommand('npm', ['run', 'lint'], { cwd: project });
    expect(lint.code, lint.output).toBe(0);
  });

  it('passes its own tests, as many as its README says', async () => {
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    const output = tests.output.replace(/\x1b\[[0-9;]*m/g, '');
    const stated = /runs the (\d+) tests scaffold generated/.exec(await readFile(resolve(project, 'README.md'), 'utf8'))?.[1];
    expect(output).toMatch(new RegExp(`Tests\\s+${stated} passed`));
    // For the figures the generated README quotes (MEASURED_TEST_RUNS in src/plan/test-count.ts).
    console.log(`${example}: ${/Tests\s+([^\n]*)/.exec(output)?.[1]?.trim()}; ${/Duration\s+([^\n]*)/.exec(output)?.[1]?.trim()}; ${availableParallelism()} CPUs`);
  });

  // Every example has a database: a written domain model (ecommerce) or one inferred from the spec.
  it('passes its own tests on PostgreSQL too', async () => {
    expect(await isReachable('127.0.0.1', 5432), 'PostgreSQL is not running on 127.0.0.1:5432; start it (pg_ctlcluster 15 main start) and run again').toBe(true);
    // A scratch database of its own: the project's tests empty the database they are given.
    const name = `scaffold_e2e_${example.replace(/-/g, '_')}`;
    await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { cwd: project });
    const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${name}`], { cwd: project });
    expect(created.code, created.output).toBe(0);
    const url = `postgres://postgres@127.0.0.1:5432/scaffold_e2e_${example.replace(/-/g, '_')}`;
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true', TEST_DATABASE_URL: url } });
    expect(tests.code, tests.output).toBe(0);
    expect(tests.output.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
  });

  it('starts and answers every operation as the spec declares over real HTTP', async () => {
    server = await startServer(process.execPath, ['dist/server.js'], {
      cwd: project,
      env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET, API_KEYS: API_KEY, RATE_LIMIT_MAX: '100000', DATA_DIR: resolve(project, '.data', 'pglite'), PAYMENT_GATEWAY_URL: UNREACHABLE_GATEWAY },
      readyPath: '/health/live',
    });
    const { model } = buildModel(await loadSpec(exampleSpec(example)));
    const { probes, findings } = await probeEveryOperation(server.baseUrl, model, { jwtSecret: JWT_SECRET, apiKey: API_KEY });
    expect(findings).toEqual([]);
    const operations = model.resources.reduce((n, r) => n + r.operations.length, 0);
    expect(new Set(probes.map((p) => p.operation)).size).toBe(operations);
    expect(probes.filter((p) => p.kind === 'invalid').length).toBeGreaterThan(0);
    // What the generator implements (CRUD, transitions) never answers 501; only its stubs may.
    const models = exampleModels(example);
    const domain = models ? buildDomainModel(await loadDomainModel(models)) : inferDomainModel(model).domain;
    const implemented = new Set(domain ? [...bindOperations(model, domain).operations.values()].filter((e) => e.implementation.kind !== 'stub').map((e) => e.operationId) : []);
    expect(implemented.size).toBeGreaterThan(0);
    const operationIds = new Map<string, string>(model.resources.flatMap((r) => r.operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.operationId] as const)));
    expect(probes.filter((p) => p.status === 501 && implemented.has(operationIds.get(p.operation) ?? p.operation)).map((p) => `${p.operation} [${p.kind}]`)).toEqual([]);
  });

  // The petstore's user endpoints (a test defined for the petstore only, rather than one skipped in the others).
  if (example === 'petstore')
    it('stores what it is sent, and answers a conflict the spec does not declare as a 400', async () => {
      expect(server).toBeDefined();
      const send = (method: string, path: string, body: unknown) => fetch(`${server?.baseUrl}/v2${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await send('POST', '/user', { username: 'ada', firstName: 'Ada', userStatus: 1 })).status).toBe(200);
      expect((await send('POST', '/user', { username: 'bob' })).status).toBe(200);
      const read = await fetch(`${server?.baseUrl}/v2/user/ada`, { headers: { accept: 'application/json' } });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ username: 'ada', firstName: 'Ada', userStatus: 1 });
      // updateUser declares 400 and 404 only: taking another user's name is a client error all the same, with its code.
      const taken = await send('PUT', '/user/bob', { username: 'ada' });
      expect(taken.status).toBe(400);
      expect(await taken.text()).toContain('ALREADY_EXISTS');
    });

  it('stops gracefully on SIGTERM', async () => {
    expect(server).toBeDefined();
    expect(await server?.stop()).toBe(0);
    server = undefined;
  });
}
