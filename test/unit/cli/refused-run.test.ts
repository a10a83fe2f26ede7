import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exampleSpec } from '../../support/fixtures.js';
import { runCli } from '../../support/cli.js';

/**
 * A regeneration refused because a generated file was edited (SCF026) writes nothing: what it reports must
 * read as what it would have written, never as counts of writes that happened.
 */
it('a refused run says nothing was written and what it would have written, in text and in JSON', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-refused-'));
  const spec = join(dir, 'openapi.yaml');
  const out = join(dir, 'project');
  await copyFile(exampleSpec('petstore'), spec);
  expect((await runCli(['generate', '--spec', spec, '--out', out])).code).toBe(0);

  // The design changes (a summary shows up in generated code) and a generated file was edited by hand.
  await writeFile(spec, (await readFile(spec, 'utf8')).replace('summary: Add a new pet to the store', 'summary: Add a pet to the store'));
  const edited = join(out, 'src', 'services', 'pet.service.gen.ts');
  await writeFile(edited, `${await readFile(edited, 'utf8')}// a hot fix\n`);
  const before = await readFile(join(out, 'src', 'controllers', 'pet.controller.gen.ts'), 'utf8');

  const refused = await runCli(['generate', '--out', out]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('error SCF026: src/services/pet.service.gen.ts');
  expect(refused.stderr).not.toContain('Summary:');
  const [, wouldUpdate] = /\nRefused \(1 file, see above\): nothing was written\. It would have added 0, updated (\d+), merged 0, left \d+ alone \(yours: user-owned and template files kept\) and \d+ unchanged, with 0 conflicts\.\n$/.exec(refused.stderr) ?? [];
  expect(Number(wouldUpdate), refused.stderr).toBeGreaterThan(0);
  expect(await readFile(join(out, 'src', 'controllers', 'pet.controller.gen.ts'), 'utf8')).toBe(before);

  const json = JSON.parse((await runCli(['generate', '--out', out, '--json'])).stdout) as { status: string; exitCode: number; changed: boolean; files: { path: string; action: string }[] };
  expect(json).toMatchObject({ status: 'error', exitCode: 1, changed: false });
  expect(json.files.filter((f) => f.action === 'update')).toHaveLength(Number(wouldUpdate));
  expect(json.files.find((f) => f.action === 'refuse')?.path).toBe('src/services/pet.service.gen.ts');
  expect(await readFile(join(out, 'src', 'controllers', 'pet.controller.gen.ts'), 'utf8')).toBe(before);
});
