// Imported first: it replaces inquirer's prompts with ones driven by `screen` (a virtual terminal).
import { screen } from '@inquirer/testing/vitest';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Terminal } from '../../../src/cli/prompts/terminal.js';
import { fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';

const TERMINAL: Terminal = { interactive: true, tty: false, color: false };

/** Runs the CLI as on a terminal; prompts go to `screen`, everything else is collected. */
function run(args: string[]): { done: Promise<number>; output: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  err.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { done: main(args, out, err, TERMINAL), output: () => output };
}

/** Waits until the current prompt shows `text` (prompts come after async checks, so poll). */
async function waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = screen.getScreen();
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${shown}`);
    await Promise.race([screen.next(), new Promise((resolve) => setTimeout(resolve, 50))]);
  }
}

async function answer(question: string, typed?: string): Promise<void> {
  await waitFor(question);
  if (typed !== undefined) screen.type(typed);
  screen.keypress('enter');
}

const manifest = async (dir: string) => JSON.parse(await readFile(join(dir, '.scaffold', 'manifest.json'), 'utf8')) as unknown;

let workDir: string;
let previousCwd: string;
beforeEach(async () => {
  previousCwd = process.cwd();
  workDir = await mkdtemp(join(tmpdir(), 'scaffold-session-'));
  await cp(join(REPO_ROOT, 'examples', 'ecommerce'), join(workDir, 'design'), { recursive: true });
  process.chdir(workDir);
});
afterEach(() => process.chdir(previousCwd));

describe('scaffold on a terminal', () => {
  it('asks, re-asks a bad spec path, and creates the same project as the equivalent flags; regenerating asks nothing', async () => {
    const session = run([]);
    await answer('Design folder or OpenAPI file', fixtureSpec('broken-syntax.yaml'));
    expect(await waitFor(/> .*broken-syntax\.yaml cannot be used/)).toMatch(/error SCF002/);
    screen.keypress({ name: 'u', ctrl: true });
    await answer('Design folder or OpenAPI file', 'design');
    const models = await waitFor('Domain model');
    expect(models).toMatch(/❯ \.\/design\/domain\.yaml\n\s+\.\/design\/domain\.dbml\n\s+\.\/design\/domain\.overlay\.yaml/);
    screen.keypress('enter');
    expect(await waitFor('Naming conventions')).toMatch(/❯ the default conventions/);
    screen.keypress('enter');
    await answer('Output directory (./e-commerce-api)');
    await answer('Package name (e-commerce-api)');
    await answer('embedded PostgreSQL (PGlite)');
    await answer('Generate the project?');
    expect(await session.done, session.output()).toBe(0);
    expect(session.output()).toMatch(/Conventions +the default conventions/);
    expect(session.output()).toContain('Same without questions: npx scaffold generate --spec ./design/openapi.yaml --out ./e-commerce-api --models ./design/domain.yaml --name e-commerce-api');
    expect(session.output()).toMatch(/Next:\n  cd e-commerce-api\n  npm install && npm run dev/);

    const flagged = run(['generate', '--spec', 'design/openapi.yaml', '--out', 'flagged', '--models', 'design/domain.yaml', '--name', 'e-commerce-api']);
    expect(await flagged.done, flagged.output()).toBe(0);
    expect(await manifest(join(workDir, 'e-commerce-api'))).toEqual(await manifest(join(workDir, 'flagged')));

    process.chdir(join(workDir, 'e-commerce-api'));
    const again = run([]);
    expect(await again.done, again.output()).toBe(0);
    expect(again.output()).toContain('nothing changed, nothing was written');
  }, 90_000);

  it('Ctrl-C during the questions leaves nothing behind (exit 130)', async () => {
    const session = run(['generate']);
    await answer('Design folder or OpenAPI file', 'design');
    await answer('Domain model');
    await answer('Naming conventions');
    await waitFor('Output directory');
    screen.keypress({ name: 'c', ctrl: true });
    expect(await session.done).toBe(130);
    expect(session.output()).toContain('Cancelled: nothing was written.');
    expect(await readdir(workDir)).toEqual(['design']);
  }, 30_000);

  it('"no" to the summary writes nothing (exit 1); a PostgreSQL server goes into the next steps only', async () => {
    await mkdir(join(workDir, 'empty-out'));
    const session = run(['generate', '--out', 'empty-out', '--persistence', 'infer']);
    await answer('Design folder or OpenAPI file', 'design/openapi.yaml');
    await answer('Domain model');
    await answer('Naming conventions');
    await answer('Package name');
    await waitFor('embedded PostgreSQL (PGlite)');
    screen.keypress('down');
    screen.keypress('enter');
    await answer('PostgreSQL URL');
    const summary = await waitFor('Generate the project?');
    expect(summary).toContain('Generate the project?');
    expect(session.output()).toMatch(/Database +PostgreSQL server \(DATABASE_URL, not stored\)/);
    screen.type('n');
    screen.keypress('enter');
    expect(await session.done).toBe(1);
    expect(session.output()).toContain('Nothing was written.');
    expect(await readdir(join(workDir, 'empty-out'))).toEqual([]);
    expect(existsSync(join(workDir, 'e-commerce-api'))).toBe(false);
  }, 30_000);

  it('offers the guidelines file found beside the spec; the chosen one shapes the project and is saved', async () => {
    await writeFile(join(workDir, 'design', 'guidelines.yaml'), 'layers:\n  controllers: { path: src/api/controllers, fileSuffix: .handler, classSuffix: Handler }\n');
    const session = run(['generate', '--out', 'shop', '--name', 'shop']);
    await answer('Design folder or OpenAPI file', 'design');
    await answer('Domain model');
    expect(await waitFor('Naming conventions')).toMatch(/❯ \.\/design\/guidelines\.yaml\n\s+the default conventions.*\n\s+another file\.\.\./);
    screen.keypress('enter');
    await answer('embedded PostgreSQL (PGlite)');
    await answer('Generate the project?');
    expect(await session.done, session.output()).toBe(0);
    expect(session.output()).toMatch(/Conventions +\.\/design\/guidelines\.yaml/);
    expect(session.output()).toContain('--models ./design/domain.yaml --guidelines ./design/guidelines.yaml --name shop');
    expect(existsSync(join(workDir, 'shop', 'src', 'api', 'controllers', 'orders.handler.ts'))).toBe(true);
    const config = JSON.parse(await readFile(join(workDir, 'shop', '.scaffold', 'config.json'), 'utf8')) as { guidelines?: string };
    expect(config.guidelines).toMatch(/design\/guidelines\.yaml$/);
  }, 90_000);

  it('a broken guidelines file is reported at its line and asked again; "another file..." is checked as typed', async () => {
    await writeFile(join(workDir, 'design', 'conventions.yaml'), 'fileCase: shouty\n');
    await writeFile(join(workDir, 'team.yaml'), 'fileCase: snake\n');
    const session = run(['generate', '--out', 'shop', '--name', 'shop', '--persistence', 'none', '--models', '']);
    await answer('Design folder or OpenAPI file', 'design');
    await answer('Naming conventions');
    await expect.poll(session.output, { timeout: 15_000 }).toMatch(/conventions\.yaml cannot be used:\nerror SCF070: .*conventions\.yaml:1:\d+ .*fileCase/);
    await waitFor('Naming conventions');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter');
    await answer('Naming conventions file', 'design/conventions.yaml');
    expect(await waitFor(/> .*conventions\.yaml cannot be used/)).toMatch(/SCF070/);
    screen.keypress({ name: 'u', ctrl: true });
    await answer('Naming conventions file', 'team.yaml');
    await answer('Generate the project?');
    expect(await session.done, session.output()).toBe(0);
    expect(session.output()).toMatch(/Conventions +\.\/team\.yaml/);
    expect(existsSync(join(workDir, 'shop', 'src', 'app.ts'))).toBe(true);
  }, 90_000);
});
