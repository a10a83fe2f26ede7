import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusedLine, summaryLine } from '../../../src/cli/main.js';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { MANIFEST_PATH } from '../../../src/write/manifest.js';
import { writeProject, type FileOutcome, type WriteOptions } from '../../../src/write/write-project.js';

const project = (version: number): EmittedFile[] => [
  { id: 'src/routes.gen.ts', path: 'src/routes.gen.ts', owner: 'generator', content: `// routes\nexport const version = ${version};\nexport const name = 'pets';\n` },
  { id: 'src/app.ts', path: 'src/app.ts', owner: 'user', content: `// app v${version}\n` },
  ...(version > 1 ? [{ id: 'src/new.gen.ts', path: 'src/new.gen.ts', owner: 'generator' as const, content: 'export const added = true;\n' }] : []),
];

const options = (outDir: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({ outDir, toolVersion: '0.0.0', dryRun: false, force: false, ...extra });

async function generatedProject(): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-dry-')), 'project');
  await writeProject(project(1), options(outDir));
  return outDir;
}

describe('--dry-run', () => {
  it('gives a unified diff of every generator-owned rewrite and every created file, and writes nothing', async () => {
    const outDir = await generatedProject();
    const manifest = await readFile(join(outDir, MANIFEST_PATH), 'utf8');
    const steps: string[] = [];

    const result = await writeProject(project(2), options(outDir, { dryRun: true, onStep: (step) => steps.push(step) }));

    expect(result.diffs.map((d) => [d.path, d.action])).toEqual([
      ['src/routes.gen.ts', 'update'],
      ['src/new.gen.ts', 'create'],
    ]);
    expect(result.diffs[0]?.patch).toBe(
      ['--- a/src/routes.gen.ts', '+++ b/src/routes.gen.ts', '@@ -1,3 +1,3 @@', ' // routes', '-export const version = 1;', '+export const version = 2;', " export const name = 'pets';", ''].join('\n'),
    );
    expect(result.diffs[1]?.patch).toBe(['--- /dev/null', '+++ b/src/new.gen.ts', '@@ -0,0 +1,1 @@', '+export const added = true;', ''].join('\n'));
    // the user-owned file that differs is kept, so it has no diff
    expect(result.actions.find((a) => a.path === 'src/app.ts')?.action).toBe('keep');
    expect(steps).toEqual([]);
    expect(existsSync(join(outDir, 'src/new.gen.ts'))).toBe(false);
    expect(await readFile(join(outDir, 'src/routes.gen.ts'), 'utf8')).toContain('version = 1');
    expect(await readFile(join(outDir, MANIFEST_PATH), 'utf8')).toBe(manifest);
  });

  it('on a new project diffs every file from /dev/null and creates nothing, not even the directory', async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-dry-')), 'project');
    const result = await writeProject(project(1), options(outDir, { dryRun: true }));
    expect(result.diffs.map((d) => d.patch.split('\n')[0])).toEqual(['--- /dev/null', '--- /dev/null']);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('a second run with no change', () => {
  it('writes nothing, not even the manifest, and says "nothing changed"', async () => {
    const outDir = await generatedProject();
    await writeFile(join(outDir, 'src/app.ts'), '// my app\n');
    const mtimes = async () => Promise.all(['src/routes.gen.ts', 'src/app.ts', MANIFEST_PATH].map(async (p) => (await stat(join(outDir, p))).mtimeMs));
    const before = await mtimes();
    const steps: string[] = [];

    const result = await writeProject(project(1), options(outDir, { onStep: (step) => steps.push(step) }));

    expect(result.changed).toBe(false);
    expect(steps).toEqual([]);
    expect(await mtimes()).toEqual(before);
    expect(summaryLine(result.actions, 'nothing-changed')).toBe(
      'Summary: 0 added, 0 updated, 0 merged, 1 left alone (yours: user-owned and template files kept), 1 unchanged, 0 conflicts, 0 refused; nothing changed, nothing was written',
    );
  });
});

describe('the summary line every run ends with', () => {
  it('counts files added, updated (or moved), merged, left alone, unchanged, with conflicts and refused', () => {
    const files: FileOutcome[] = [
      { path: 'a', owner: 'generator', action: 'create' },
      { path: 'b', owner: 'generator', action: 'update' },
      { path: 'c', owner: 'generator', action: 'update' },
      { path: 'd', owner: 'user', action: 'keep' },
      { path: 'e', owner: 'template', action: 'keep' },
      { path: 'g', owner: 'template', action: 'merge' },
      { path: 'h', owner: 'template', action: 'conflict' },
      { path: 'i', owner: 'user', action: 'move', movedFrom: 'old-i' },
    ];
    expect(summaryLine(files, 'written')).toBe('Summary: 1 added, 3 updated, 1 merged, 2 left alone (yours: user-owned and template files kept), 0 unchanged, 1 conflict, 0 refused');
  });

  it('on a refused run, says nothing was written and what would have been', () => {
    const line = refusedLine([
      { path: 'a', owner: 'generator', action: 'create' },
      { path: 'b', owner: 'generator', action: 'update' },
      { path: 'c', owner: 'user', action: 'move', movedFrom: 'old-c' },
      { path: 'd', owner: 'user', action: 'keep' },
      { path: 'e', owner: 'generator', action: 'unchanged' },
      { path: 'f', owner: 'generator', action: 'refuse' },
      { path: 'g', owner: 'template', action: 'merge' },
      { path: 'h', owner: 'template', action: 'conflict' },
    ]);
    expect(line).toBe(
      'Refused (1 file, see above): nothing was written. It would have added 1, updated 2, merged 1, left 1 alone (yours: user-owned and template files kept) and 1 unchanged, with 1 conflict.',
    );
  });
});
