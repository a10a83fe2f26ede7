import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { buildProject } from '../support/generated-project.js';
import { startServer, type RunningServer } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * Issue 14 item 7 over real HTTP: a spec whose patterns backtrack exponentially (`^(a+)+$`, where 28
 * characters and a `!` take Node's RegExp seconds) in a body, a path, a query, a header and a
 * patternProperties key. The server answers 400 at once and keeps serving others meanwhile.
 */
const CASE = resolve(REPO_ROOT, 'test', 'fixtures', 'hostile', '07-redos-every-place');
const HOSTILE = `${'a'.repeat(28)}!`;
let project: string;
let server: RunningServer;

beforeAll(async () => {
  project = resolve(REPO_ROOT, 'test', '.cache', 'e2e-redos', 'project');
  await generate({ spec: resolve(CASE, 'openapi.yaml'), out: project, name: 'redos', models: undefined, dryRun: false, force: true });
  await linkRuntimeModules(project);
  await buildProject(project);
  server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' }, readyPath: '/health/live' });
});

afterAll(async () => {
  await server?.stop();
});

async function putWord(slug: string, options: { query?: string; tag?: string; body?: Record<string, unknown> } = {}): Promise<Response> {
  const query = options.query === undefined ? '' : `?filter=${encodeURIComponent(options.query)}`;
  return fetch(`${server.baseUrl}/api/v1/words/${encodeURIComponent(slug)}${query}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(options.tag !== undefined && { 'x-tag': options.tag }) },
    body: JSON.stringify(options.body ?? { text: 'aaa' }),
  });
}

describe('a pattern that backtracks exponentially', () => {
  it('is tested with RE2 by the generated server, or on short values only where RE2 cannot express it', async () => {
    const patterns = (await import(pathToFileURL(resolve(project, 'dist', 'utils', 'patterns.js')).href)) as {
      compilePattern(pattern: string, flags: string): { test(value: string): boolean; toString(): string };
    };
    expect(String(patterns.compilePattern('^(a+)+$', 'u'))).toBe('re2:/^(a+)+$/');
    expect(String(patterns.compilePattern('^(a+)+\\1$', 'u'))).toMatch(/^bounded:/);
    expect(String(patterns.compilePattern('^[a-z]+(-[a-z]+)*$', 'u'))).toBe('/^[a-z]+(-[a-z]+)*$/u');
  });

  it('still accepts what it matches', async () => {
    const response = await putWord('aaaa', { query: 'aa', tag: 'abc', body: { text: 'aaaa', labels: { aaa: 'x' }, twice: 'aaaa', safe: 'a-b' } });
    expect(response.status).toBe(501); // valid: the operation is a stub
  });

  it.each([
    ['a body property', () => putWord('aaaa', { body: { text: HOSTILE } })],
    ['a body property whose pattern has a backreference', () => putWord('aaaa', { body: { twice: HOSTILE } })],
    ['a patternProperties key', () => putWord('aaaa', { body: { labels: { [HOSTILE.replace(/a/g, 'aa')]: 'x' } } })],
    ['a path parameter', () => putWord(HOSTILE)],
    ['a query parameter', () => putWord('aaaa', { query: HOSTILE })],
    ['a header', () => putWord('aaaa', { tag: HOSTILE })],
  ])('in %s answers 400 at once, and other requests are served meanwhile', async (_place, send) => {
    const started = performance.now();
    const [response, health] = await Promise.all([send(), fetch(`${server.baseUrl}/health/live`)]);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(400);
    expect(health.status).toBe(200);
    // Node's RegExp takes seconds on this input; the bound is generous so that a busy machine passes.
    expect(elapsed).toBeLessThan(1_000);
  });
});
