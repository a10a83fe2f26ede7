import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteRefusedError, writeProject, type WriteOptions } from '../../../src/write/write-project.js';
import { MANIFEST_PATH, type Manifest } from '../../../src/write/manifest.js';
import type { EmittedFile } from '../../../src/emit/emit-files.js';

const service = 'export class PetService extends PetServiceBase {}\n';

/** A project whose layout puts services in `servicesDir`. */
const project = (servicesDir = 'src/services'): EmittedFile[] => [
  { id: 'service.gen#pet', path: `${servicesDir}/pet.service.gen.ts`, owner: 'generator', content: 'export abstract class PetServiceBase {}\n' },
  { id: 'service#pet', path: `${servicesDir}/pet.service.ts`, owner: 'user', content: service },
  { id: 'README.md', path: 'README.md', owner: 'template', content: '# Pets\n' },
];

const options = (outDir: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({ outDir, toolVersion: '0.0.0', dryRun: false, force: false, ...extra });

async function generated(): Promise<{ outDir: string; at: (path: string) => string; manifest: () => Promise<Manifest> }> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-ids-')), 'project');
  await writeProject(project(), options(outDir));
  return { outDir, at: (path) => join(outDir, path), manifest: async () => JSON.parse(await readFile(join(outDir, MANIFEST_PATH), 'utf8')) as Manifest };
}

async function move(from: string, to: string, change: (text: string) => string = (t) => t): Promise<void> {
  const text = await readFile(from, 'utf8');
  await mkdir(join(to, '..'), { recursive: true });
  await rename(from, to);
  await writeFile(to, change(text));
}

describe('a file the user moved', () => {
  it('is found by its unchanged content, kept where it is, recorded there, and not recreated', async () => {
    const { outDir, at, manifest } = await generated();
    await move(at('src/services/pet.service.ts'), at('src/domain/pets/pet.service.ts'));

    const result = await writeProject(project(), options(outDir));
    expect(result.actions.find((a) => a.owner === 'user')).toEqual({ path: 'src/domain/pets/pet.service.ts', owner: 'user', action: 'keep', movedFrom: 'src/services/pet.service.ts' });
    expect(existsSync(at('src/services/pet.service.ts'))).toBe(false);
    expect((await manifest()).files.find((f) => f.id === 'service#pet')).toMatchObject({ path: 'src/domain/pets/pet.service.ts', generatedPath: 'src/services/pet.service.ts' });

    // the next run finds it where the manifest says, and has nothing to do
    const again = await writeProject(project(), options(outDir));
    expect(again.changed).toBe(false);
    expect(again.actions.find((a) => a.owner === 'user')).toEqual({ path: 'src/domain/pets/pet.service.ts', owner: 'user', action: 'keep' });
  });

  it('is found by the exported class it declares when the user also edited it', async () => {
    const { outDir, at } = await generated();
    await move(at('src/services/pet.service.ts'), at('src/pets.ts'), (t) => t.replace('{}', '{\n  count() {\n    return 1;\n  }\n}'));
    const result = await writeProject(project(), options(outDir));
    expect(result.actions.find((a) => a.owner === 'user')).toMatchObject({ path: 'src/pets.ts', action: 'keep', movedFrom: 'src/services/pet.service.ts' });
    expect(existsSync(at('src/services/pet.service.ts'))).toBe(false);
  });

  it('is recreated when nothing in the project can be it, and not guessed when two files can (SCF043)', async () => {
    const { outDir, at } = await generated();
    await move(at('src/services/pet.service.ts'), at('src/a.ts'));
    await writeFile(at('src/b.ts'), service);
    const ambiguous = await writeProject(project(), options(outDir));
    expect(ambiguous.diagnostics.map((d) => d.code)).toEqual(['SCF043']);
    expect(existsSync(at('src/services/pet.service.ts'))).toBe(false);

    const { outDir: other, at: atOther } = await generated();
    await writeFile(atOther('src/services/pet.service.ts'), '');
    await move(atOther('src/services/pet.service.ts'), atOther('trash.txt'));
    const recreated = await writeProject(project(), options(other));
    expect(recreated.actions.find((a) => a.owner === 'user')).toEqual({ path: 'src/services/pet.service.ts', owner: 'user', action: 'create' });
  });

  it('merges a moved template file where it is', async () => {
    const { outDir, at } = await generated();
    await move(at('README.md'), at('docs/README.md'));
    const next = project().map((f) => (f.id === 'README.md' ? { ...f, content: '# Pets API\n' } : f));
    const result = await writeProject(next, options(outDir));
    expect(result.actions.find((a) => a.owner === 'template')).toMatchObject({ path: 'docs/README.md', action: 'update', movedFrom: 'README.md' });
    expect(await readFile(at('docs/README.md'), 'utf8')).toBe('# Pets API\n');
    expect(existsSync(at('README.md'))).toBe(false);
  });
});

describe('a layout change (the planned path of an id changes)', () => {
  it('moves a generator-owned file: written at the new path, the old one deleted in the same commit', async () => {
    const { outDir, at } = await generated();
    const moved = project('src/modules/pet').map((f) => (f.owner === 'user' ? { ...f, path: 'src/services/pet.service.ts' } : f));
    const result = await writeProject(moved, options(outDir));
    expect(result.actions[0]).toMatchObject({ path: 'src/modules/pet/pet.service.gen.ts', action: 'move', movedFrom: 'src/services/pet.service.gen.ts' });
    expect(existsSync(at('src/services/pet.service.gen.ts'))).toBe(false);
    expect(await readFile(at('src/modules/pet/pet.service.gen.ts'), 'utf8')).toContain('PetServiceBase');
  });

  it('moves a user-owned file that nothing of the user imports', async () => {
    const { outDir, at, manifest } = await generated();
    const result = await writeProject(project('src/modules/pet'), options(outDir));
    expect(result.actions.find((a) => a.owner === 'user')).toMatchObject({ path: 'src/modules/pet/pet.service.ts', action: 'move', movedFrom: 'src/services/pet.service.ts' });
    expect(await readFile(at('src/modules/pet/pet.service.ts'), 'utf8')).toBe(service);
    expect(existsSync(at('src/services/pet.service.ts'))).toBe(false);
    expect((await manifest()).files.find((f) => f.id === 'service#pet')).toEqual(expect.objectContaining({ path: 'src/modules/pet/pet.service.ts' }));
  });

  it('refuses to move a user-owned file a file of the user imports, saying which move to make (SCF040)', async () => {
    const { outDir, at } = await generated();
    await writeFile(at('src/jobs.ts'), "import { PetService } from './services/pet.service.js';\n");
    const error = await writeProject(project('src/modules/pet'), options(outDir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteRefusedError);
    const [diagnostic] = (error as WriteRefusedError).diagnostics;
    expect(diagnostic).toMatchObject({ code: 'SCF040', location: { file: 'src/services/pet.service.ts' } });
    expect(diagnostic?.message).toContain('src/modules/pet/pet.service.ts');
    expect(diagnostic?.hint).toBe('move src/services/pet.service.ts to src/modules/pet/pet.service.ts and update the imports in src/jobs.ts, then run again');
    expect(existsSync(at('src/modules/pet'))).toBe(false);
    expect(existsSync(at('src/services/pet.service.gen.ts'))).toBe(true);
  });
});
