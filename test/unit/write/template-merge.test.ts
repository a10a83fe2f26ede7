import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { hashContent, MANIFEST_PATH, type Manifest } from '../../../src/write/manifest.js';
import { writeProject, type WriteOptions } from '../../../src/write/write-project.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Generated README, package.json and tsconfig.json, as a spec at version v would give them. */
interface Version {
  readme: string;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  target?: string;
}
const v1: Version = { readme: '# Pets\n\nStart: npm run dev\n\nLicense: MIT\n' };

function project(v: Version): EmittedFile[] {
  return [
    { id: 'README.md', path: 'README.md', owner: 'template', content: v.readme },
    {
      id: 'package.json',
      path: 'package.json',
      owner: 'template',
      content: json({ name: 'pets', scripts: v.scripts ?? { build: 'tsc', dev: 'tsx watch src/server.ts' }, dependencies: v.dependencies ?? { fastify: '^5.0.0' } }),
    },
    { id: 'tsconfig.json', path: 'tsconfig.json', owner: 'template', content: json({ compilerOptions: { strict: true, target: v.target ?? 'ES2022' }, include: ['src'] }) },
    { id: 'src/routes.gen.ts', path: 'src/routes.gen.ts', owner: 'generator', content: `// routes for ${v.readme.length}\n` },
  ];
}

const options = (outDir: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({ outDir, toolVersion: '0.0.0', dryRun: false, force: false, ...extra });

async function generated(): Promise<{ outDir: string; read: (path: string) => Promise<string>; edit: (path: string, change: (text: string) => string) => Promise<void> }> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'scaffold-merge-')), 'project');
  await writeProject(project(v1), options(outDir));
  const read = (path: string) => readFile(join(outDir, path), 'utf8');
  return { outDir, read, edit: async (path, change) => writeFile(join(outDir, path), change(await read(path))) };
}

const actionOf = (result: Awaited<ReturnType<typeof writeProject>>, path: string) => result.actions.find((a) => a.path === path)?.action;

describe('regenerating a template file', () => {
  it('keeps the generated output as the pristine copy, beside the manifest', async () => {
    const { read } = await generated();
    expect(await read('.scaffold/pristine/README.md')).toBe(v1.readme);
    expect(await read('.scaffold/pristine/package.json')).toBe(await read('package.json'));
  });

  it('updates a file you did not edit to the new output', async () => {
    const { outDir, read } = await generated();
    const v2 = { readme: '# Pets\n\nStart: npm run dev\n\nLicense: Apache-2.0\n' };
    const result = await writeProject(project(v2), options(outDir));
    expect(actionOf(result, 'README.md')).toBe('update');
    expect(await read('README.md')).toBe(v2.readme);
    expect(await read('.scaffold/pristine/README.md')).toBe(v2.readme);
  });

  it('keeps your edit when the generator has nothing new for the file', async () => {
    const { outDir, read, edit } = await generated();
    await edit('README.md', (t) => `${t}\nOur notes.\n`);
    const result = await writeProject(project(v1), options(outDir));
    expect(actionOf(result, 'README.md')).toBe('keep');
    expect(await read('README.md')).toBe(`${v1.readme}\nOur notes.\n`);
  });

  it('merges your edit and the generator change when they touch different lines', async () => {
    const { outDir, read, edit } = await generated();
    await edit('README.md', (t) => t.replace('# Pets\n', '# Pets\n\nOwned by the pets team.\n'));
    const result = await writeProject(project({ readme: v1.readme.replace('MIT', 'Apache-2.0') }), options(outDir));
    expect(actionOf(result, 'README.md')).toBe('merge');
    expect(await read('README.md')).toBe('# Pets\n\nOwned by the pets team.\n\nStart: npm run dev\n\nLicense: Apache-2.0\n');
  });

  it('writes conflict markers where both changed the same line, and lists the conflict', async () => {
    const { outDir, read, edit } = await generated();
    await edit('README.md', (t) => t.replace('npm run dev', 'npm run dev -- --port 4000'));
    const result = await writeProject(project({ readme: v1.readme.replace('npm run dev', 'npm start') }), options(outDir));
    expect(result.actions.find((a) => a.path === 'README.md')).toMatchObject({ action: 'conflict', conflict: { count: 1 } });
    expect(await read('README.md')).toBe(
      ['# Pets', '', '<<<<<<< yours', 'Start: npm run dev -- --port 4000', '||||||| last generated', 'Start: npm run dev', '=======', 'Start: npm start', '>>>>>>> generated', '', 'License: MIT', ''].join('\n'),
    );
    // the markers are yours to resolve: the next run with the same output leaves them
    const again = await writeProject(project({ readme: v1.readme.replace('npm run dev', 'npm start') }), options(outDir));
    expect(actionOf(again, 'README.md')).toBe('keep');
    expect(again.changed).toBe(false);
  });
});

describe('regenerating package.json and tsconfig.json', () => {
  it('merges a script you added with a dependency the generator added', async () => {
    const { outDir, read, edit } = await generated();
    await edit('package.json', (t) => json({ ...JSON.parse(t), scripts: { ...JSON.parse(t).scripts, lint: 'eslint .' } }));
    const result = await writeProject(project({ ...v1, dependencies: { fastify: '^5.0.0', pino: '^9.0.0' } }), options(outDir));
    expect(actionOf(result, 'package.json')).toBe('merge');
    expect(JSON.parse(await read('package.json'))).toEqual({
      name: 'pets',
      scripts: { build: 'tsc', dev: 'tsx watch src/server.ts', lint: 'eslint .' },
      dependencies: { fastify: '^5.0.0', pino: '^9.0.0' },
    });
    expect(existsSync(join(outDir, 'package.json.conflicts.json'))).toBe(false);
  });

  it('keeps your value of a script both changed, lists the conflict beside the file, and leaves valid JSON', async () => {
    const { outDir, read, edit } = await generated();
    await edit('package.json', (t) => t.replace('"build": "tsc"', '"build": "tsc -b"'));
    const result = await writeProject(
      project({ ...v1, scripts: { build: 'tsc -p tsconfig.build.json', dev: 'tsx watch src/server.ts' }, dependencies: { fastify: '^5.1.0' } }),
      options(outDir),
    );
    expect(result.actions.find((a) => a.path === 'package.json')).toMatchObject({
      action: 'conflict',
      conflict: { count: 1, keys: ['/scripts/build'], listedIn: 'package.json.conflicts.json' },
    });
    const merged = await read('package.json');
    expect(merged).not.toContain('<<<<<<<');
    expect(JSON.parse(merged)).toEqual({ name: 'pets', scripts: { build: 'tsc -b', dev: 'tsx watch src/server.ts' }, dependencies: { fastify: '^5.1.0' } });
    expect(JSON.parse(await read('package.json.conflicts.json'))).toMatchObject({
      file: 'package.json',
      conflicts: [{ key: '/scripts/build', yours: { value: 'tsc -b' }, lastGenerated: { value: 'tsc' }, generated: { value: 'tsc -p tsconfig.build.json' } }],
    });
  });

  it('merges tsconfig.json key by key', async () => {
    const { outDir, read, edit } = await generated();
    await edit('tsconfig.json', (t) => json({ ...JSON.parse(t), include: ['src', 'scripts'] }));
    const result = await writeProject(project({ ...v1, target: 'ES2023' }), options(outDir));
    expect(actionOf(result, 'tsconfig.json')).toBe('merge');
    expect(JSON.parse(await read('tsconfig.json'))).toEqual({ compilerOptions: { strict: true, target: 'ES2023' }, include: ['src', 'scripts'] });
  });

  it('keeps a JSON file that is no longer valid JSON, with a warning', async () => {
    const { outDir, read, edit } = await generated();
    await edit('tsconfig.json', (t) => `// my comment\n${t}`);
    const result = await writeProject(project({ ...v1, target: 'ES2023' }), options(outDir));
    expect(result.actions.find((a) => a.path === 'tsconfig.json')).toMatchObject({ action: 'keep', unmergeable: 'invalid-json' });
    expect(result.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['SCF042', 'tsconfig.json']]);
    expect(await read('tsconfig.json')).toMatch(/^\/\/ my comment/);
  });
});

describe('a project generated before pristine copies were kept', () => {
  async function oldProject() {
    const fixture = await generated();
    await rm(join(fixture.outDir, '.scaffold', 'pristine'), { recursive: true });
    return fixture;
  }

  it('keeps an edited template file, says it could not merge it, and records the pristine copy for next time', async () => {
    const { outDir, read, edit } = await oldProject();
    await edit('README.md', (t) => `${t}\nOur notes.\n`);
    const v2 = { readme: v1.readme.replace('MIT', 'Apache-2.0') };
    const result = await writeProject(project(v2), options(outDir));
    expect(result.actions.find((a) => a.path === 'README.md')).toMatchObject({ action: 'keep', unmergeable: 'no-last-generated' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SCF041']);
    expect(await read('README.md')).toBe(`${v1.readme}\nOur notes.\n`);
    expect(await read('.scaffold/pristine/README.md')).toBe(v2.readme);

    // from now on it merges
    const v3 = { readme: v2.readme.replace('# Pets', '# Pets API') };
    expect(actionOf(await writeProject(project(v3), options(outDir)), 'README.md')).toBe('merge');
    expect(await read('README.md')).toBe(`${v1.readme.replace('# Pets', '# Pets API')}\nOur notes.\n`);
  });

  it('updates a template file you did not edit (the manifest hash proves it)', async () => {
    const { outDir, read } = await oldProject();
    const v2 = { readme: v1.readme.replace('MIT', 'Apache-2.0') };
    expect(actionOf(await writeProject(project(v2), options(outDir)), 'README.md')).toBe('update');
    expect(await read('README.md')).toBe(v2.readme);
  });
});

describe('--dry-run and a second run', () => {
  it('--dry-run shows the merged result as a diff and writes nothing', async () => {
    const { outDir, read, edit } = await generated();
    await edit('README.md', (t) => t.replace('# Pets\n', '# Pets\n\nOwned by the pets team.\n'));
    const before = await Promise.all(['README.md', MANIFEST_PATH, '.scaffold/pristine/README.md'].map(read));
    const result = await writeProject(project({ readme: v1.readme.replace('MIT', 'Apache-2.0') }), options(outDir, { dryRun: true }));
    expect(result.diffs.find((d) => d.path === 'README.md')).toMatchObject({ action: 'merge' });
    expect(result.diffs.find((d) => d.path === 'README.md')?.patch).toContain('-License: MIT\n+License: Apache-2.0\n');
    expect(await Promise.all(['README.md', MANIFEST_PATH, '.scaffold/pristine/README.md'].map(read))).toEqual(before);
  });

  it('a second run after a merge writes nothing', async () => {
    const { outDir, edit } = await generated();
    await edit('README.md', (t) => `${t}\nOur notes.\n`);
    await edit('package.json', (t) => t.replace('"build": "tsc"', '"build": "tsc -b"'));
    const v2 = { readme: v1.readme.replace('MIT', 'Apache-2.0'), dependencies: { fastify: '^5.0.0', pino: '^9.0.0' } };
    await writeProject(project(v2), options(outDir));
    const mtimes = () => Promise.all(['README.md', 'package.json', MANIFEST_PATH, '.scaffold/pristine/README.md'].map(async (p) => (await stat(join(outDir, p))).mtimeMs));
    const before = await mtimes();
    const steps: string[] = [];
    const again = await writeProject(project(v2), options(outDir, { onStep: (step) => steps.push(step) }));
    expect(again.changed).toBe(false);
    expect(steps).toEqual([]);
    expect(await mtimes()).toEqual(before);
  });

  it('records the hash of the generated output, which the pristine copy has', async () => {
    const { outDir, read, edit } = await generated();
    await edit('README.md', (t) => `${t}\nOur notes.\n`);
    await writeProject(project({ readme: v1.readme.replace('MIT', 'Apache-2.0') }), options(outDir));
    const manifest = JSON.parse(await read(MANIFEST_PATH)) as Manifest;
    expect(manifest.files.find((f) => f.path === 'README.md')?.hash).toBe(hashContent(await read('.scaffold/pristine/README.md')));
  });
});
