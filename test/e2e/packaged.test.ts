import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';

/** `npx scaffold` works from an installed tarball, not only from a checkout. */
it('installs from its npm tarball and generates a project with npx scaffold', async () => {
  const work = resolve(REPO_ROOT, 'test', '.cache', 'packaged');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const pack = await runCommand('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: REPO_ROOT });
  expect(pack.code, pack.output).toBe(0);
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  expect(tarball, pack.output).toBeDefined();

  const consumer = join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball ?? '')], { cwd: consumer });
  expect(install.code, install.output).toBe(0);

  const out = join(consumer, 'generated');
  const generated = await runCommand('npx', ['--no-install', 'scaffold', 'generate', '--spec', exampleSpec('petstore'), '--out', out], { cwd: consumer });
  expect(generated.code, generated.output).toBe(0);
  expect(existsSync(join(out, 'src', 'controllers', 'routes.gen.ts'))).toBe(true);
});
