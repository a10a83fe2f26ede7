import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, generateFixture } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';

/**
 * What a newcomer meets in the first hour of a generated project (issue 15): a PATCH that leaves the
 * optional version out, a `.env` file, `db:migrate` beside a running server, and a 400 that says
 * everything that is wrong with the request.
 */
let project: string;
const servers: RunningServer[] = [];

async function start(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer(process.execPath, ['dist/server.js'], {
    cwd: project,
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: 'memory://', ...env },
    readyPath: '/health/live',
  });
  servers.push(server);
  return server;
}

let inMemory: Promise<RunningServer> | undefined;
/** One server on an in-memory database for the tests that only send requests (each start takes seconds). */
function sharedServer(): Promise<RunningServer> {
  inMemory ??= start();
  return inMemory;
}

function send(server: RunningServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}/api/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface ErrorBody {
  success: false;
  error: { code: string; message: string; details: { location: string; message: string }[] };
}

beforeAll(async () => {
  project = await generateFixture('crud/tasks', 'e2e-first-hour');
  await buildProject(project);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('optimistic locking with an optional version', () => {
  it('applies a PATCH without a version, and refuses one on a stale version with 409', async () => {
    const server = await sharedServer();
    const created = await send(server, 'POST', '/tasks', { title: 'Write the report', priority: 2 });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string; version: number };

    const unversioned = await send(server, 'PATCH', `/tasks/${task.id}`, { title: 'Write the final report' });
    expect(unversioned.status, await unversioned.clone().text()).toBe(200);
    expect(await unversioned.json()).toMatchObject({ title: 'Write the final report', version: task.version + 1 });

    const stale = await send(server, 'PATCH', `/tasks/${task.id}`, { priority: 3, version: task.version });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.message).toContain(`is at version ${task.version + 1}, not ${task.version}`);

    const current = await send(server, 'PATCH', `/tasks/${task.id}`, { priority: 3, version: task.version + 1 });
    expect(current.status).toBe(200);
  });
});

describe('validation errors', () => {
  it('reports every problem of the body, each where it is, naming the property that is missing or not allowed', async () => {
    const server = await sharedServer();
    const response = await send(server, 'POST', '/tasks', { title: '', priority: 9, extra: true });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.success).toBe(false);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const locations = body.error.details.map((d) => d.location);
    expect(locations).toEqual(expect.arrayContaining(['/body/title', '/body/priority', '/body/extra']));
    expect(body.error.details).toHaveLength(3);
    expect(body.error.details.find((d) => d.location === '/body/extra')?.message).toMatch(/not allowed/);
    expect(body.error.message).toContain('/body/title');

    const missing = (await (await send(server, 'POST', '/tasks', {})).json()) as ErrorBody;
    expect(missing.error.details.map((d) => d.location).sort()).toEqual(['/body/priority', '/body/title']);
  });

  it('locates parameters by the spec`s `in`: /query, /path, /header', async () => {
    const server = await sharedServer();
    const query = (await (await send(server, 'GET', '/tasks?page=0')).json()) as ErrorBody;
    expect(query.error.details.map((d) => d.location)).toEqual(['/query/page']);
    const header = (await (await send(server, 'GET', '/tasks', undefined, { 'x-team': 'NOT LOWER' })).json()) as ErrorBody;
    expect(header.error.details.map((d) => d.location)).toEqual(['/header/x-team']);
    const path = (await (await send(server, 'GET', '/tasks/not-a-uuid')).json()) as ErrorBody;
    expect(path.error.details.map((d) => d.location)).toEqual(['/path/taskId']);
  });

  it('bounds the list, and says how many more there were; lists only the first problem of a large body', async () => {
    const server = await sharedServer();
    const extras = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, i]));
    const body = (await (await send(server, 'POST', '/tasks', { title: 'ok', priority: 1, ...extras })).json()) as ErrorBody;
    expect(body.error.details).toHaveLength(21);
    expect(body.error.details.at(-1)?.message).toMatch(/10 more/);

    // A large body gets its first problem only: listing every one would cost memory in proportion.
    const large = { title: 5, priority: 'high', tags: Array.from({ length: 2000 }, () => 0) };
    const first = (await (await send(server, 'POST', '/tasks', large)).json()) as ErrorBody;
    expect(first.error.details).toHaveLength(1);
  });
});

describe('the .env file', () => {
  const envFile = (): string => join(project, '.env');
  afterAll(async () => {
    await rm(envFile(), { force: true });
  });

  it('is read by `npm start`; a variable set in the environment wins over it', async () => {
    // PORT in the file loses to the PORT the test sets; BODY_LIMIT_BYTES from the file is honoured.
    await writeFile(envFile(), '# local settings\nPORT=1\nBODY_LIMIT_BYTES=300\nLOG_LEVEL="warn"\n');
    const server = await start();
    const large = await send(server, 'POST', '/tasks', { title: 'x'.repeat(400), priority: 1 });
    expect(large.status).toBe(413);
    const small = await send(server, 'POST', '/tasks', { title: 'fits', priority: 1 });
    expect(small.status).toBe(201);
  });

  it('is read by the sources `npm run dev` runs (src/server.ts through tsx)', async () => {
    await writeFile(envFile(), 'BODY_LIMIT_BYTES=300\n');
    const server = await startServer(join(project, 'node_modules', '.bin', 'tsx'), ['src/server.ts'], {
      cwd: project,
      env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: 'memory://' },
      readyPath: '/health/live',
    });
    servers.push(server);
    expect((await send(server, 'POST', '/tasks', { title: 'x'.repeat(400), priority: 1 })).status).toBe(413);
    await server.stop();
  });

  it('is read by `npm run db:migrate`', async () => {
    await writeFile(envFile(), 'DATA_DIR=.data/from-env-file\n');
    await rm(join(project, '.data'), { recursive: true, force: true });
    const migrated = await runCommand('npm', ['run', 'db:migrate'], { cwd: project });
    expect(migrated.code, migrated.output).toBe(0);
    expect(existsSync(join(project, '.data', 'from-env-file'))).toBe(true);
    // The first start creates the database, which takes seconds: it says so, once.
    expect(migrated.output).toContain('Creating the embedded database in .data/from-env-file (first start only');
    const again = await runCommand('npm', ['run', 'db:migrate'], { cwd: project });
    expect(again.output).not.toContain('Creating the embedded database');
  });

  it('stops startup with the line when a line is not NAME=value', async () => {
    await writeFile(envFile(), 'PORT=3000\nthis is not a setting\nLOG_LEVEL=warn\n');
    const started = await runCommand(process.execPath, ['dist/server.js'], { cwd: project, env: { DATA_DIR: 'memory://' }, timeoutMs: 60_000 });
    expect(started.code).toBe(1);
    expect(started.output).toContain('.env line 2');
    expect(started.output).not.toMatch(/^\s+at /m);
  });

  it('may be absent', async () => {
    await rm(envFile(), { force: true });
    const migrated = await runCommand('npm', ['run', 'db:migrate'], { cwd: project, env: { DATA_DIR: 'memory://' } });
    expect(migrated.code, migrated.output).toBe(0);
  });
});

describe('db:migrate beside a running server on the embedded database', () => {
  it('explains the lock in one paragraph and exits non-zero, without a stack trace', async () => {
    const dataDir = join(project, '.data', 'locked');
    await rm(dataDir, { recursive: true, force: true });
    const server = await start({ DATA_DIR: dataDir });
    const migrated = await runCommand('npm', ['run', 'db:migrate'], { cwd: project, env: { DATA_DIR: dataDir } });
    expect(migrated.code).not.toBe(0);
    expect(migrated.output).toContain(`in use by process ${server.process.pid}`);
    expect(migrated.output).toMatch(/stop it|DATABASE_URL/i);
    expect(migrated.output).not.toMatch(/^\s+at /m);
    await server.stop();
  });
});
