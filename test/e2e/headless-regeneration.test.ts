import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';

const BIN = resolve(REPO_ROOT, 'bin', 'scaffold.js');

/** The real binary with stdin and stdout pipes, not a terminal (as in CI, or `scaffold < /dev/null`). */
function scaffoldWithoutTerminal(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end();
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Regenerating asks nothing (README): inside a generated project, `scaffold` alone needs no terminal. */
it('regenerates from .scaffold/config.json when run with no arguments and no terminal inside a generated project', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-headless-'));
  const spec = join(dir, 'openapi.yaml');
  await writeFile(spec, await readFile(exampleSpec('petstore'), 'utf8'));
  const project = join(dir, 'project');
  const first = await scaffoldWithoutTerminal(['generate', '--spec', spec, '--out', project], dir);
  expect(first.code, first.stderr).toBe(0);

  await writeFile(spec, (await readFile(spec, 'utf8')).replace('summary: Add a new pet to the store', 'summary: Add a pet to the store'));
  const again = await scaffoldWithoutTerminal([], project);
  expect(again.code, `${again.stdout}${again.stderr}`).toBe(0);
  expect(again.stdout).toMatch(/\nSummary: 0 added, [1-9]\d* updated, .*, 0 refused\n$/);
  expect(await readFile(join(project, 'src', 'controllers', 'pet.controller.gen.ts'), 'utf8')).toContain('Add a pet to the store');

  // Elsewhere, with no terminal to ask in and no project to regenerate, it is still a usage error.
  const outside = await scaffoldWithoutTerminal([], dir);
  expect(outside.code).toBe(2);
  expect(outside.stdout).toContain('Usage: scaffold <command> [options]');
});
