import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { fixtureSpec, REPO_ROOT } from '../support/fixtures.js';
import { buildProject } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * A spec whose names are those every JavaScript object inherits (an entity inferred with properties
 * named toString, valueOf, constructor, hasOwnProperty; a schema named __proto__ referenced from
 * another) and whose paths hold what the router reads as syntax (a colon, parentheses): the project
 * type-checks, starts, routes each odd path to its operation, and stores and returns every value.
 */
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
});

it('generates a project that type-checks, starts, routes odd paths and stores inherited names', async () => {
  const out = resolve(REPO_ROOT, 'test', '.cache', 'e2e-inherited-names', 'project');
  await rm(join(out, '..'), { recursive: true, force: true });
  await generate({ spec: fixtureSpec('inherited-names-odd-paths.yaml'), out, name: 'inherited-names', models: undefined, dryRun: false, force: false });
  await linkRuntimeModules(out);
  const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: out });
  expect(typecheck.code, typecheck.output).toBe(0);
  await buildProject(out);
  server = await startServer(process.execPath, ['dist/server.js'], { cwd: out, env: { LOG_LEVEL: 'warn', DATA_DIR: 'memory://' }, readyPath: '/health/live' });
  const url = (path: string) => `${server!.baseUrl}/api/v1${path}`;

  // Each odd path reaches its operation (a stub: 501), not the router's 404.
  for (const path of ['/a:b', '/f(x)', '/g/1(x)', '/h/1:go', '/holders']) {
    const response = await fetch(url(path));
    expect(`${path} ${response.status}`).toBe(`${path} 501`);
  }
  expect((await fetch(url('/a:c'))).status).toBe(404);

  const item = { toString: 'text', valueOf: 3, constructor: 'made', hasOwnProperty: true };
  const created = await fetch(url('/items'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(item) });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const read = await fetch(url(`/items/${id}`));
  expect(await read.json()).toEqual({ id, ...item });
});
