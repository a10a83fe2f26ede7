import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { generate } from '../../../src/engine.js';
import { writeProject, type WriteOptions } from '../../../src/write/write-project.js';
import { fixtureSpec } from '../../support/fixtures.js';

const project = (version: string): EmittedFile[] => [
  { id: 'src/services/pet.service.gen.ts', path: 'src/services/pet.service.gen.ts', owner: 'generator', content: `// base ${version}\n` },
  { id: 'src/services/pet.service.ts', path: 'src/services/pet.service.ts', owner: 'user', content: '// yours\n' },
  { id: 'src/controllers/routes.gen.ts', path: 'src/controllers/routes.gen.ts', owner: 'generator', content: `// routes ${version}\n` },
];

const options = (outDir: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({ outDir, toolVersion: '0.0.0', dryRun: false, force: false, ...extra });

/** Every file under `dir` with its content, links not followed: what must not change. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries.filter((e) => e.isFile() || e.isSymbolicLink()).map(async (e) => {
      const path = join(e.parentPath, e.name);
      return [relative(dir, path), e.isSymbolicLink() ? 'link' : await readFile(path, 'utf8')] as const;
    }),
  );
  return Object.fromEntries(files.sort(([a], [b]) => a.localeCompare(b)));
}

async function refusal(run: Promise<unknown>): Promise<readonly Diagnostic[]> {
  const error = await run.then(() => undefined, (cause: unknown) => cause);
  if (!(error instanceof ScaffoldError)) throw new Error(`expected the run to be refused, got ${String(error)}`);
  return error.diagnostics;
}

/** A generated project whose `dir` is moved out of it and replaced by a link to where it went. */
async function withLinkedOut(dir: string, generateProject: (outDir: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), 'scaffold-symlink-'));
  const outDir = join(root, 'project');
  const elsewhere = join(root, 'elsewhere');
  await generateProject(outDir);
  await rename(join(outDir, dir), elsewhere);
  await symlink(elsewhere, join(outDir, dir), 'dir');
  return { outDir, elsewhere };
}

describe('a project directory that is a link leading out of the project', () => {
  it.each([false, true])('stops the write before anything is written, naming the link (force: %s)', async (force) => {
    const { outDir, elsewhere } = await withLinkedOut('src/services', (out) => writeProject(project('v1'), options(out)).then(() => undefined));
    const [outside, inside] = [await snapshot(elsewhere), await snapshot(outDir)];
    await writeFile(join(elsewhere, 'pet.service.gen.ts'), '// edited\n'); // --force would back it up, then overwrite it
    const edited = await snapshot(elsewhere);

    const diagnostics = await refusal(writeProject(project('v2'), options(outDir, { force })));

    expect(diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['SCF021', join(outDir, 'src/services')]]);
    expect(diagnostics[0]?.message).toContain(`src/services is a symbolic link to ${elsewhere}`);
    expect(diagnostics[0]?.message).toContain('src/services/pet.service.gen.ts');
    expect(await snapshot(elsewhere)).toEqual(edited);
    expect(await snapshot(outDir)).toEqual(inside);
    expect(outside).not.toEqual(edited);
  });

  it('is refused on a dry run too, whose diff would show what lies behind the link', async () => {
    const { outDir } = await withLinkedOut('src/services', (out) => writeProject(project('v1'), options(out)).then(() => undefined));
    expect((await refusal(writeProject(project('v2'), options(outDir, { dryRun: true })))).map((d) => d.code)).toEqual(['SCF021']);
  });

  it('covers the state folder, where the staging area, the manifest and the backups are written', async () => {
    const { outDir, elsewhere } = await withLinkedOut('.scaffold', (out) => writeProject(project('v1'), options(out)).then(() => undefined));
    const outside = await snapshot(elsewhere);
    const diagnostics = await refusal(writeProject(project('v2'), options(outDir, { force: true })));
    expect(diagnostics.map((d) => d.location?.file)).toEqual([join(outDir, '.scaffold')]);
    expect(await snapshot(elsewhere)).toEqual(outside);
  });

  it('covers a file that is a link, even one whose target does not exist yet', async () => {
    const root = await mkdtemp(join(tmpdir(), 'scaffold-symlink-'));
    const outDir = join(root, 'project');
    await writeProject(project('v1'), options(outDir));
    await rm(join(outDir, 'src/controllers/routes.gen.ts'));
    await symlink(join(root, 'planted.ts'), join(outDir, 'src/controllers/routes.gen.ts'));
    const diagnostics = await refusal(writeProject(project('v2'), options(outDir, { force: true })));
    expect(diagnostics.map((d) => d.location?.file)).toEqual([join(outDir, 'src/controllers/routes.gen.ts')]);
    expect(await readdir(root)).toEqual(['project']);
  });

  it('is followed as usual when it stays inside the project', async () => {
    const { outDir } = await withLinkedOut('src/services', async (out) => {
      await writeProject(project('v1'), options(out));
    });
    // the moved folder comes back inside the project, under another name, and the link points there
    await cp(join(outDir, '..', 'elsewhere'), join(outDir, 'lib', 'services'), { recursive: true });
    await rm(join(outDir, 'src/services'));
    await mkdir(join(outDir, 'src'), { recursive: true });
    await symlink(join(outDir, 'lib', 'services'), join(outDir, 'src/services'), 'dir');
    await writeProject(project('v2'), options(outDir));
    expect(await readFile(join(outDir, 'lib/services/pet.service.gen.ts'), 'utf8')).toBe('// base v2\n');
  });
});

describe('regenerating a project whose src/services links outside it', () => {
  it.each([false, true])('refuses after a spec change, writes nothing there or in the project (force: %s)', async (force) => {
    const root = await mkdtemp(join(tmpdir(), 'scaffold-symlink-'));
    const spec = join(root, 'openapi.yaml');
    const minimal = await readFile(fixtureSpec('minimal.yaml'), 'utf8');
    await writeFile(spec, minimal);
    const { outDir, elsewhere } = await withLinkedOut('src/services', async (out) => {
      await generate({ spec, out, name: 'linked', models: undefined, persistence: 'none', dryRun: false, force: false });
    });
    const [outside, inside] = [await snapshot(elsewhere), await snapshot(outDir)];
    // a second operation on the same resource: its service base and the user's service change
    await writeFile(spec, minimal.replace('paths:\n', 'paths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \'204\': { description: none }\n'));

    const diagnostics = await refusal(generate({ spec, out: outDir, name: 'linked', models: undefined, persistence: 'none', dryRun: false, force }));

    expect(diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['SCF021', join(outDir, 'src/services')]]);
    expect(await snapshot(elsewhere)).toEqual(outside);
    expect(await snapshot(outDir)).toEqual(inside);
  });
});
