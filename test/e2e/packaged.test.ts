import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { freePort, runCommand } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';
import { privateTerminal, startDevServer, TMUX } from '../support/terminal.js';

/**
 * The README's way to get the CLI from a clone without the registry: `npm pack`, then `npm install -g` of the
 * tarball (here into a throwaway global prefix). `npx scaffold` must then run it from any directory, outside
 * the clone too, where npx would otherwise fetch the unrelated `scaffold` package from the registry.
 * Installed once for both uses below: a script's, and a newcomer's first hour at a terminal.
 */
if (!TMUX) console.warn('packaged.test.ts: the newcomer test is skipped, tmux is not installed (apt-get install tmux)');

const NEWCOMER_DESIGN = join(REPO_ROOT, 'test', 'fixtures', 'newcomer', 'project-management');
const SECRET = 'newcomer-secret-0123456789abcdefghijkl';

let work = '';
/** A global prefix of its own, so the machine's global packages are neither used nor changed; with
 * npm_config_yes=false npx fails instead of installing from the registry if it does not find the command. */
let npmEnv: Record<string, string> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scaffold-packaged-'));
  expect(relative(REPO_ROOT, work).startsWith('..'), 'the tests run outside the clone').toBe(true);
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
  expect(Object.keys(manifest.bin)).toEqual(['scaffold']);
  // `scaffold` on the registry is somebody else's package: ours has its own name, and the README says how to get it.
  expect(manifest.name).not.toBe('scaffold');
  expect(await readFile(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`npm pack && npm install -g ./${manifest.name}-*.tgz`);

  // dist/ is built by the suite's global setup; prepack would rebuild it under the other test files' running CLI.
  const pack = await runCommand('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], { cwd: REPO_ROOT });
  expect(pack.code, pack.output).toBe(0);
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  expect(tarball, pack.output).toBe(`${manifest.name}-${manifest.version}.tgz`);

  npmEnv = { npm_config_prefix: join(work, 'global'), npm_config_yes: 'false', npm_config_update_notifier: 'false' };
  const install = await runCommand('npm', ['install', '--global', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball!)], { cwd: work, env: npmEnv });
  expect(install.code, install.output).toBe(0);
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

it('installs globally from its npm tarball; npx scaffold then generates, and regenerates without a terminal, outside the clone', async () => {
  const elsewhere = join(work, 'elsewhere');
  await mkdir(elsewhere);
  const out = join(elsewhere, 'pets');
  const generated = await runCommand('npx', ['scaffold', 'generate', '--spec', exampleSpec('petstore'), '--out', out], { cwd: elsewhere, env: npmEnv });
  expect(generated.code, generated.output).toBe(0);
  expect(existsSync(join(out, 'src', 'controllers', 'routes.gen.ts'))).toBe(true);

  // Inside the generated project, the command alone regenerates from .scaffold/config.json: no terminal here.
  const regenerated = await runCommand('npx', ['scaffold'], { cwd: out, env: npmEnv });
  expect(regenerated.code, regenerated.output).toBe(0);
  expect(regenerated.output).toMatch(/Summary: 0 added, 0 updated, .*nothing changed, nothing was written/);
});

/**
 * The first hour, as a newcomer lives it: the CLI installed as above, `npx scaffold` at a real terminal
 * (tmux) in the folder of a design that is not an example, every question answered with its default, then
 * the printed next steps with a `.env`: the project type-checks (tests included), its tests pass, it starts
 * on the port the `.env` names and answers real requests as the spec says.
 */
describe.skipIf(!TMUX)('a newcomer on a design of their own', () => {
  const { tmux, waitFor, kill } = privateTerminal('scaffold-newcomer');
  afterAll(kill);

  it('answers every question with its default, then installs, tests, starts and calls the project with a .env', async () => {
    const home = join(work, 'tracker');
    await mkdir(home);
    await cp(join(NEWCOMER_DESIGN, 'openapi.yaml'), join(home, 'openapi.yaml'));
    await cp(join(NEWCOMER_DESIGN, 'domain.yaml'), join(home, 'domain.yaml'));

    // A person at a terminal: CI's own CI=true (which turns the questions off) is not theirs.
    const exports = Object.entries(npmEnv).map(([name, value]) => `${name}=${value}`).join(' ');
    tmux('new-session', '-d', '-s', 'cli', '-x', '140', '-y', '50', '-c', home, `env -u CI NO_COLOR=1 ${exports} npx scaffold; echo "exit code $?"; sleep 600`);
    tmux('set-option', '-t', 'cli', 'remain-on-exit', 'on');
    for (const question of ['? Design folder or OpenAPI file', '? Domain model', '? Naming conventions', '? Output directory', '? Package name', '? Database']) {
      await waitFor(question);
      tmux('send-keys', '-t', 'cli', 'Enter');
    }
    const summary = await waitFor('? Generate the project? (Y/n)');
    expect(summary).toMatch(/Project Tracker API, OpenAPI 3\.1/);
    expect(summary).toContain('domain.yaml');
    tmux('send-keys', '-t', 'cli', 'Enter');
    const end = await waitFor(/exit code \d+/, 180_000);
    expect(end).toContain('exit code 0');
    const next = /Next:\n {2}cd (\S+)\n {2}npm install && npm run dev/.exec(end);
    expect(next, end).not.toBeNull();
    const project = join(home, next![1]!);
    const report = await readFile(join(project, '.scaffold', 'report.md'), 'utf8');
    expect(report, 'every list of the design is filled, none is a 501 stub').not.toMatch(/\| list\w+ .*\| stub \(501\)/);

    // The printed next steps, with a `.env` as `.env.example` asks (the shared install stands in for `npm install`).
    await linkRuntimeModules(project);
    const port = await freePort();
    const example = await readFile(join(project, '.env.example'), 'utf8');
    const dotenv = example
      .replace(/^PORT=.*$/m, `PORT=${port}`)
      .replace(/^HOST=.*$/m, 'HOST=127.0.0.1')
      .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${SECRET}`)
      .replace(/^LOG_LEVEL=.*$/m, 'LOG_LEVEL=warn');
    await writeFile(join(project, '.env'), dotenv);
    const typecheck = await runCommand('npm', ['run', 'typecheck'], { cwd: project });
    expect(typecheck.code, typecheck.output).toBe(0);
    const tests = await runCommand('npm', ['test'], { cwd: project, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);

    // Nothing but the `.env` says where to listen and which secret to trust.
    const env = { ...process.env };
    for (const name of ['PORT', 'HOST', 'JWT_SECRET', 'LOG_LEVEL', 'DATABASE_URL', 'NODE_ENV']) delete env[name];
    const dev = await startDevServer(project, port, env);
    try {
      const token = await new SignJWT({ scope: 'projects:read projects:write tasks:write' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ada')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(SECRET));
      const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer }> => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json().catch(() => ({}))) as Answer };
      };

      const created = await api('POST', '/projects', { key: 'WEB', name: 'Website' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const list = await api('GET', '/projects?pageSize=10');
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body).toEqual({ data: [expect.objectContaining({ key: 'WEB' })], meta: { page: 1, pageSize: 10, total: 1, totalPages: 1 } });

      const task = await api('POST', `/projects/${String(created.body.id)}/tasks`, { title: 'Write the README' });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const edited = await api('PATCH', `/tasks/${String(task.body.id)}`, { title: 'Write the README first' });
      expect(edited.status, `a PATCH without the optional version is applied: ${JSON.stringify(edited.body)}`).toBe(200);
      const stale = await api('PATCH', `/tasks/${String(task.body.id)}`, { priority: 1, version: task.body.version });
      expect(stale.status, 'a PATCH with a stale version is refused').toBe(409);

      const invalid = await api('POST', '/projects', { key: 'web', name: '', color: 'red' });
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body), 'every problem is reported where it is').toMatch(/\/body\/key[\s\S]*\/body\/name|\/body\/name[\s\S]*\/body\/key/);
      expect(JSON.stringify(invalid.body)).toContain('color');
      const forbidden = await api('DELETE', `/projects/${String(created.body.id)}`);
      expect(forbidden.status, 'projects:admin is not among the scopes').toBe(403);
    } finally {
      dev.stop();
    }
  }, 600_000);
});

type Answer = Record<string, unknown>;
