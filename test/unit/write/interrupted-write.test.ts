import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { recoverInterruptedWrite, STAGING_DIR, writeProject, type WriteOptions, type WriteStep } from '../../../src/write/write-project.js';

/**
 * Version v of a small project: every generator-owned file changes between versions, v2 adds a file;
 * the template file changes too, so its pristine copy (the base of the next merge) is rewritten with it.
 */
const project = (version: number): EmittedFile[] => [
  { id: 'README.md', path: 'README.md', owner: 'template', content: `# readme v${version}\n\nUsage.\n` },
  { id: 'a.gen.ts', path: 'a.gen.ts', owner: 'generator', content: `// a v${version}\n` },
  { id: 'src/b.gen.ts', path: 'src/b.gen.ts', owner: 'generator', content: `// b v${version}\n` },
  { id: 'src/deep/c.gen.ts', path: 'src/deep/c.gen.ts', owner: 'generator', content: `// c v${version}\n` },
  ...(version > 1 ? [{ id: 'src/d.gen.ts', path: 'src/d.gen.ts', owner: 'generator' as const, content: `// d v${version}\n` }] : []),
  { id: 'src/app.ts', path: 'src/app.ts', owner: 'user', content: '// app\n' },
];

const options = (outDir: string, onStep?: WriteOptions['onStep']): WriteOptions => ({ outDir, toolVersion: '0.0.0', dryRun: false, force: false, onStep });

/** Every file of the project and its content, the interrupted run's staging folder aside. */
async function snapshot(outDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (relative(outDir, path) === STAGING_DIR) continue;
      if (entry.isDirectory()) await walk(path);
      else files[relative(outDir, path)] = await readFile(path, 'utf8');
    }
  };
  await walk(outDir);
  return files;
}

/** A crash at the nth time the write reaches `step`. */
const crashAt = (step: WriteStep, nth = 1) => {
  let seen = 0;
  return (reached: WriteStep) => {
    if (reached === step && ++seen === nth) throw new Error(`simulated crash at ${step} #${nth}`);
  };
};

async function states(): Promise<{ outDir: string; before: Record<string, string>; after: Record<string, string> }> {
  const reference = join(await mkdtemp(join(tmpdir(), 'scaffold-atomic-')), 'reference');
  await writeProject(project(1), options(reference));
  const before = await snapshot(reference);
  await writeProject(project(2), options(reference));
  const after = await snapshot(reference);
  const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-atomic-')), 'project');
  await writeProject(project(1), options(outDir));
  return { outDir, before, after };
}

describe('a regeneration interrupted while writing', () => {
  it('before every file is staged leaves the project exactly as it was, and the next run discards the leftovers', async () => {
    const { outDir, before } = await states();
    await expect(writeProject(project(2), options(outDir, crashAt('staged')))).rejects.toThrow(/simulated crash/);

    expect(await snapshot(outDir)).toEqual(before);
    expect(await recoverInterruptedWrite(outDir)).toBe('discarded');
    expect(existsSync(join(outDir, STAGING_DIR))).toBe(false);
    expect(await snapshot(outDir)).toEqual(before);
  });

  it('after its commit record but before any rename is completed by the next run: the project is then the new one', async () => {
    const { outDir, before, after } = await states();
    await expect(writeProject(project(2), options(outDir, crashAt('committed')))).rejects.toThrow(/simulated crash/);
    expect(await snapshot(outDir)).toEqual(before);

    expect(await recoverInterruptedWrite(outDir)).toBe('completed');
    expect(await snapshot(outDir)).toEqual(after);
  });

  it.each([1, 2, 3, 4, 5, 6])('halfway through the renames (after %i) is completed by the next run, manifest last', async (renamed) => {
    const { outDir, before, after } = await states();
    await expect(writeProject(project(2), options(outDir, crashAt('renamed', renamed)))).rejects.toThrow(/simulated crash/);
    // the manifest is renamed last: until then it still describes the old generation
    expect((await snapshot(outDir))['.scaffold/manifest.json']).toBe(before['.scaffold/manifest.json']);

    // the next regeneration first completes the interrupted one, then has nothing left to do
    const next = await writeProject(project(2), options(outDir));
    expect(next.actions.filter((a) => a.action === 'create' || a.action === 'update')).toEqual([]);
    expect(await snapshot(outDir)).toEqual(after);
    expect(existsSync(join(outDir, STAGING_DIR))).toBe(false);
  });

  it('during a first generation leaves no trace when nothing was committed, so the directory is not "non-empty"', async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-atomic-')), 'project');
    await expect(writeProject(project(1), options(outDir, crashAt('staged')))).rejects.toThrow(/simulated crash/);
    await writeProject(project(1), options(outDir));
    expect(Object.keys(await snapshot(outDir)).sort()).toEqual(['.scaffold/manifest.json', '.scaffold/pristine/README.md', 'README.md', 'a.gen.ts', 'src/app.ts', 'src/b.gen.ts', 'src/deep/c.gen.ts']);
  });

  it('keeps the pristine copies in step with the manifest: after a crash the next run still merges from the right base', async () => {
    const { outDir } = await states();
    await writeFile(join(outDir, 'README.md'), '# readme v1\n\nUsage.\n\nmy notes\n');
    await expect(writeProject(project(2), options(outDir, crashAt('renamed', 1)))).rejects.toThrow(/simulated crash/);
    const next = await writeProject(project(2), options(outDir));
    expect(next.actions.find((a) => a.path === 'README.md')?.action).toBe('keep'); // nothing new upstream since the merge
    expect(await readFile(join(outDir, 'README.md'), 'utf8')).toBe('# readme v2\n\nUsage.\n\nmy notes\n');
    expect(await readFile(join(outDir, '.scaffold/pristine/README.md'), 'utf8')).toBe('# readme v2\n\nUsage.\n');
  });

  it('that moves a file to a new planned path deletes the old one when it is completed', async () => {
    const { outDir, after } = await states();
    const moved = project(2).map((f) => (f.id === 'src/deep/c.gen.ts' ? { ...f, path: 'src/c.gen.ts' } : f));
    await expect(writeProject(moved, options(outDir, crashAt('committed')))).rejects.toThrow(/simulated crash/);
    expect(existsSync(join(outDir, 'src/deep/c.gen.ts'))).toBe(true);

    expect(await recoverInterruptedWrite(outDir)).toBe('completed');
    const files = await snapshot(outDir);
    expect(files['src/deep/c.gen.ts']).toBeUndefined();
    expect(files['src/c.gen.ts']).toBe(after['src/deep/c.gen.ts']);
  });
});
