import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { fixtureSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * Names and descriptions from a spec are untrusted: a spec full of comment terminators, template
 * literals, quotes, path traversal and reserved words still yields a project that compiles, whose
 * files all sit inside the output directory, and in which the hostile text is inert.
 */
it('turns a hostile spec into a project that compiles, with every file inside --out', async () => {
  const root = resolve(REPO_ROOT, 'test', '.cache', 'e2e-hostile');
  const out = join(root, 'project');
  await rm(root, { recursive: true, force: true });
  await generate({ spec: fixtureSpec('hostile-names.yaml'), out, name: 'hostile', models: undefined, dryRun: false, force: false });
  expect(await readdir(root)).toEqual(['project']);
  await linkRuntimeModules(out);
  const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: out });
  expect(typecheck.code, typecheck.output).toBe(0);
  const tests = await runCommand('npx', ['vitest', 'run'], { cwd: out, env: { CI: 'true' } });
  expect(tests.code, tests.output).toBe(0);
  const service = await readFile(join(out, 'src', 'services', 'evil-tag.service.gen.ts'), 'utf8');
  expect(service).toContain('*\\/ process.exit(1) /*');
  expect(service).not.toMatch(/\*\/ process\.exit/);
});
