import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateFixture } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';

/**
 * A list in the common `{ data, meta: { page, pageSize, total, totalPages } }` shape, without the
 * house envelope's `success`, is filled like the envelope: the generated project answers real pages.
 */
let project: string;
let server: RunningServer | undefined;

beforeAll(async () => {
  project = await generateFixture('crud/data-meta-list', 'e2e-list-shapes');
  await buildProject(project);
});

afterAll(async () => {
  await server?.stop();
});

describe('a generated project whose lists answer { data, meta }', () => {
  it('pages the list with the right totals', async () => {
    server = await startServer(process.execPath, ['dist/server.js'], {
      cwd: project,
      env: { LOG_LEVEL: 'warn', NODE_ENV: 'production', DATA_DIR: resolve(project, '.data', 'list-shapes'), RATE_LIMIT_MAX: '1000000' },
      readyPath: '/health/ready',
    });
    // A spec without servers is served under the default base path.
    const base = `${server.baseUrl}/api/v1`;
    for (const title of ['one', 'two', 'three']) {
      const created = await fetch(`${base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
      expect(created.status, await created.clone().text()).toBe(201);
    }
    const first = await fetch(`${base}/notes?page=1&pageSize=2`);
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { data: { title: string }[]; meta: unknown };
    expect(firstBody.data).toHaveLength(2);
    expect(firstBody.meta).toEqual({ page: 1, pageSize: 2, total: 3, totalPages: 2 });
    const second = (await (await fetch(`${base}/notes?page=2&pageSize=2`)).json()) as { data: { title: string }[]; meta: unknown };
    expect(second.data).toHaveLength(1);
    expect(second.meta).toEqual({ page: 2, pageSize: 2, total: 3, totalPages: 2 });
  });

  it('passes its own generated tests, which check the page values in meta', async () => {
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
  });
});
