import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { freePort } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';
import { privateTerminal, startDevServer, TMUX } from '../support/terminal.js';

/**
 * The real binary in a real pseudo-terminal (tmux): what a newcomer typing `npx scaffold` sees, up to
 * the running project the printed next steps start.
 * A private tmux server (its own socket) keeps the test away from any session of the user's.
 */
if (!TMUX) console.warn('interactive-terminal.test.ts: skipped, tmux is not installed (apt-get install tmux)');

const { tmux, screen, waitFor, kill } = privateTerminal('scaffold-test');

describe.skipIf(!TMUX)('npx scaffold in a terminal', () => {
  afterAll(kill);

  it('guides from a design folder to a generated project, without colours under NO_COLOR', async () => {
    const work = await mkdtemp(join(tmpdir(), 'scaffold-tty-'));
    await cp(exampleSpec('petstore'), join(work, 'design', 'documents', 'openapi.yaml'), { recursive: true });
    // A person at a terminal: CI's own CI=true (which turns the questions off) is not theirs.
    const command = `env -u CI NO_COLOR=1 node ${join(REPO_ROOT, 'bin', 'scaffold.js')}; echo "exit code $?"; sleep 600`;
    tmux('new-session', '-d', '-s', 'cli', '-x', '120', '-y', '50', '-c', work, command);
    tmux('set-option', '-t', 'cli', 'remain-on-exit', 'on');

    await waitFor('? Design folder or OpenAPI file');
    tmux('send-keys', '-t', 'cli', 'nowhere', 'Enter');
    await waitFor('> nowhere does not exist');
    tmux('send-keys', '-t', 'cli', 'C-u', 'design', 'Enter');
    await waitFor('? Domain model file');
    tmux('send-keys', '-t', 'cli', 'Enter');
    await waitFor('? Without a domain model');
    tmux('send-keys', '-t', 'cli', 'Enter');
    await waitFor('? Naming conventions');
    tmux('send-keys', '-t', 'cli', 'Enter');
    await waitFor('? Output directory (./swagger-petstore)');
    tmux('send-keys', '-t', 'cli', 'Enter');
    await waitFor('? Package name (swagger-petstore)');
    tmux('send-keys', '-t', 'cli', 'Enter');
    await waitFor('? Database');
    tmux('send-keys', '-t', 'cli', 'Enter');
    const summary = await waitFor('? Generate the project? (Y/n)');
    expect(summary).toMatch(/Spec +\.\/design\/documents\/openapi\.yaml \(Swagger Petstore, OpenAPI 3\.0/);
    expect(screen(true)).not.toMatch(/\x1b\[3\dm/);
    tmux('send-keys', '-t', 'cli', 'Enter');

    const end = await waitFor(/exit code \d+/, 120_000);
    expect(end).toContain('exit code 0');
    expect(end).toMatch(/Next:\n  cd swagger-petstore\n  npm install && npm run dev/);
    const project = join(work, 'swagger-petstore');
    const config = JSON.parse(await readFile(join(project, '.scaffold', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ spec: '../design/documents/openapi.yaml', name: 'swagger-petstore' });

    // The next steps printed, as the newcomer runs them (the shared install stands in for `npm install`).
    await linkRuntimeModules(project);
    const port = await freePort();
    const dev = await startDevServer(project, port, { ...process.env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      expect((await fetch(`${dev.baseUrl}/health/ready`)).status).toBe(200);
      const spec = (await (await fetch(`${dev.baseUrl}/openapi.json`)).json()) as { info: { title: string } };
      expect(spec.info.title).toBe('Swagger Petstore');
    } finally {
      dev.stop();
    }
  }, 300_000);
});
