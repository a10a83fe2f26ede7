import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';

/**
 * The README's way to get the CLI from a clone without the registry: `npm pack`, then `npm install -g` of the
 * tarball (here into a throwaway global prefix). `npx scaffold` must then run it from any directory, outside
 * the clone too, where npx would otherwise fetch the unrelated `scaffold` package from the registry.
 */
it('installs globally from its npm tarball; npx scaffold then generates, and regenerates without a terminal, outside the clone', async () => {
  const work = await mkdtemp(join(tmpdir(), 'scaffold-packaged-'));
  expect(relative(REPO_ROOT, work).startsWith('..'), 'the test runs outside the clone').toBe(true);
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
  expect(Object.keys(manifest.bin)).toEqual(['scaffold']);
  // `scaffold` on the registry is somebody else's package: ours has its own name, and the README says how to get it.
  expect(manifest.name).not.toBe('scaffold');
  expect(await readFile(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`npm pack && npm install -g ./${manifest.name}-*.tgz`);

  const pack = await runCommand('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: REPO_ROOT });
  expect(pack.code, pack.output).toBe(0);
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  expect(tarball, pack.output).toBe(`${manifest.name}-${manifest.version}.tgz`);

  // A global prefix of its own, so the machine's global packages are neither used nor changed; with
  // npm_config_yes=false npx fails instead of installing from the registry if it does not find the command.
  const env = { npm_config_prefix: join(work, 'global'), npm_config_yes: 'false', npm_config_update_notifier: 'false' };
  const install = await runCommand('npm', ['install', '--global', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball!)], { cwd: work, env });
  expect(install.code, install.output).toBe(0);

  const elsewhere = join(work, 'elsewhere');
  await mkdir(elsewhere);
  const out = join(elsewhere, 'pets');
  const generated = await runCommand('npx', ['scaffold', 'generate', '--spec', exampleSpec('petstore'), '--out', out], { cwd: elsewhere, env });
  expect(generated.code, generated.output).toBe(0);
  expect(existsSync(join(out, 'src', 'controllers', 'routes.gen.ts'))).toBe(true);

  // Inside the generated project, the command alone regenerates from .scaffold/config.json: no terminal here.
  const regenerated = await runCommand('npx', ['scaffold'], { cwd: out, env });
  expect(regenerated.code, regenerated.output).toBe(0);
  expect(regenerated.output).toMatch(/Summary: 0 added, 0 updated, .*nothing changed, nothing was written/);
  await rm(work, { recursive: true, force: true });
});
