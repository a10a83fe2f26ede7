import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { MANIFEST_PATH } from '../../../src/write/manifest.js';
import { writeProject, WriteRefusedError, type WriteOptions } from '../../../src/write/write-project.js';

const project = (version: string): EmittedFile[] => [
  { id: 'src/services/pet.service.gen.ts', path: 'src/services/pet.service.gen.ts', owner: 'generator', content: `// base ${version}\n` },
  { id: 'src/services/pet.service.ts', path: 'src/services/pet.service.ts', owner: 'user', content: '// yours\n' },
  { id: 'src/controllers/routes.gen.ts', path: 'src/controllers/routes.gen.ts', owner: 'generator', content: `// routes ${version}\n` },
  { id: 'package.json', path: 'package.json', owner: 'template', content: '{}\n' },
];

const options = (outDir: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({
  outDir,
  toolVersion: '0.0.0',
  dryRun: false,
  force: false,
  now: () => new Date('2030-01-02T03:04:05.678Z'),
  ...extra,
});

async function generatedProject(): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-guard-')), 'project');
  await writeProject(project('v1'), options(outDir));
  return outDir;
}

const read = (outDir: string, path: string) => readFile(join(outDir, path), 'utf8');

describe('a generator-owned file the user edited', () => {
  it('is never silently overwritten: the run refuses with SCF026 naming it and writes nothing', async () => {
    const outDir = await generatedProject();
    await writeFile(join(outDir, 'src/services/pet.service.gen.ts'), '// base v1\n// my fix\n');
    const manifestBefore = await read(outDir, MANIFEST_PATH);

    const refusal = await writeProject(project('v2'), options(outDir)).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(WriteRefusedError);
    const diagnostics = (refusal as ScaffoldError).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'SCF026', severity: 'error', location: { file: 'src/services/pet.service.gen.ts' } });
    expect(diagnostics[0]?.hint).toContain('move your change into src/services/pet.service.ts, which extends it');
    expect(diagnostics[0]?.hint).toContain('--force');
    expect((refusal as WriteRefusedError).actions.find((a) => a.action === 'refuse')?.path).toBe('src/services/pet.service.gen.ts');
    // nothing written: not the edited file, not the other generated file that did change, not the manifest
    expect(await read(outDir, 'src/services/pet.service.gen.ts')).toBe('// base v1\n// my fix\n');
    expect(await read(outDir, 'src/controllers/routes.gen.ts')).toBe('// routes v1\n');
    expect(await read(outDir, MANIFEST_PATH)).toBe(manifestBefore);
    expect(existsSync(join(outDir, '.scaffold/backup'))).toBe(false);
  });

  it('lists every edited file, and says how to move the change when no user-owned file extends it', async () => {
    const outDir = await generatedProject();
    await writeFile(join(outDir, 'src/services/pet.service.gen.ts'), '// edited\n');
    await writeFile(join(outDir, 'src/controllers/routes.gen.ts'), '// edited too\n');
    const refusal = (await writeProject(project('v2'), options(outDir)).catch((error: unknown) => error)) as ScaffoldError;
    expect(refusal.diagnostics.map((d) => d.location?.file)).toEqual(['src/services/pet.service.gen.ts', 'src/controllers/routes.gen.ts']);
    expect(refusal.diagnostics[1]?.hint).toContain('rewritten from the spec and models');
  });

  it('with --force, is saved under .scaffold/backup/<timestamp>/<path> and then overwritten', async () => {
    const outDir = await generatedProject();
    await writeFile(join(outDir, 'src/services/pet.service.gen.ts'), '// my fix\n');

    const result = await writeProject(project('v2'), options(outDir, { force: true }));

    const backupDir = '.scaffold/backup/2030-01-02T03-04-05-678Z';
    expect(result.backupDir).toBe(backupDir);
    expect(result.actions.find((a) => a.path === 'src/services/pet.service.gen.ts')).toMatchObject({ action: 'update', backup: `${backupDir}/src/services/pet.service.gen.ts` });
    expect(await read(outDir, `${backupDir}/src/services/pet.service.gen.ts`)).toBe('// my fix\n');
    expect(await read(outDir, 'src/services/pet.service.gen.ts')).toBe('// base v2\n');
    // a file that was not edited is rewritten without a backup
    expect(await read(outDir, 'src/controllers/routes.gen.ts')).toBe('// routes v2\n');
    expect(existsSync(join(outDir, backupDir, 'src/controllers/routes.gen.ts'))).toBe(false);
  });

  it('is not an edit when it holds exactly the new output, or when the generator reads it back as input', async () => {
    const outDir = await generatedProject();
    await writeFile(join(outDir, 'src/services/pet.service.gen.ts'), '// base v2\n');
    await writeFile(join(outDir, 'src/controllers/routes.gen.ts'), '// edited input\n');
    const result = await writeProject(project('v2'), options(outDir, { readBack: ['src/controllers/routes.gen.ts'] }));
    expect(result.actions.filter((a) => a.owner === 'generator').map((a) => a.action)).toEqual(['unchanged', 'update']);
  });

  it('is refused when scaffold never wrote it (no manifest entry), like an edit', async () => {
    const outDir = await generatedProject();
    const extra: EmittedFile = { id: 'src/dto/new.gen.ts', path: 'src/dto/new.gen.ts', owner: 'generator', content: '// new\n' };
    await writeFile(join(outDir, 'package.json'), '{"mine":true}\n');
    await mkdir(join(outDir, 'src/dto'), { recursive: true });
    await writeFile(join(outDir, 'src/dto/new.gen.ts'), '// hand-written\n');
    const refusal = (await writeProject([...project('v1'), extra], options(outDir)).catch((error: unknown) => error)) as ScaffoldError;
    expect(refusal.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('exists but scaffold did not write it')]);
  });
});

describe('--force into a non-empty directory scaffold did not generate (SCF020)', () => {
  it('keeps files at user-owned and template paths and backs up those it overwrites', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'scaffold-guard-'));
    await writeFile(join(outDir, 'package.json'), '{"name":"theirs"}\n');
    await mkdir(join(outDir, 'src/controllers'), { recursive: true });
    await writeFile(join(outDir, 'src/controllers/routes.gen.ts'), '// theirs\n');

    await expect(writeProject(project('v1'), options(outDir))).rejects.toThrow(/SCF020/);
    const result = await writeProject(project('v1'), options(outDir, { force: true }));

    expect(await read(outDir, 'package.json')).toBe('{"name":"theirs"}\n');
    expect(await read(outDir, 'src/controllers/routes.gen.ts')).toBe('// routes v1\n');
    expect(await read(outDir, `${result.backupDir}/src/controllers/routes.gen.ts`)).toBe('// theirs\n');
  });
});
