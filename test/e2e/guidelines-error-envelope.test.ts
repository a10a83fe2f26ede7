import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * Guidelines `errorEnvelope: false`: the petstore (no error schema of its own) answers its errors as
 * a plain `{ code, message, details, requestId }`, and its own contract tests agree.
 */
describe('a project generated with errorEnvelope: false', () => {
  let project: string;

  beforeAll(async () => {
    const dir = resolve(REPO_ROOT, 'test', '.cache', 'e2e-plain-errors');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'guidelines.yaml'), 'errorEnvelope: false\n');
    project = join(dir, 'petstore');
    const args = ['generate', '--spec', exampleSpec('petstore'), '--guidelines', join(dir, 'guidelines.yaml'), '--out', project];
    const generated = await runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd: REPO_ROOT });
    expect(generated.code, generated.output).toBe(0);
    await linkRuntimeModules(project);
  });

  it('type-checks and passes its own tests', async () => {
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: project });
    expect(typecheck.code, typecheck.output).toBe(0);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project });
    expect(tests.code, tests.output).toBe(0);
  });
});
