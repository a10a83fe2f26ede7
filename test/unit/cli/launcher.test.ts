import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/fixtures.js';

const run = promisify(execFile);

/**
 * The launcher (bin/scaffold.js) of a clone refuses a dist/ built from other sources than the src/
 * beside it (a `git pull` without `npm run build`), saying to rebuild; an installed package, which has
 * no sources, runs as it is. Each test builds a miniature clone: the real launcher, stamp module and
 * stamp script, a src/ and a dist/ whose CLI only says that it ran.
 */
let root: string;

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function miniatureClone(options: { sources: boolean }): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'scaffold-launcher-'));
  await cp(join(REPO_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'scripts'));
  await cp(join(REPO_ROOT, 'scripts', 'write-build-stamp.mjs'), join(root, 'scripts', 'write-build-stamp.mjs'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  await mkdir(join(root, 'dist', 'cli'), { recursive: true });
  await writeFile(join(root, 'dist', 'cli', 'main.js'), 'export async function main(args) { console.log(`ran ${args.join(" ")}`); return 0; }\n');
  if (options.sources) {
    await mkdir(join(root, 'src', 'cli'), { recursive: true });
    await writeFile(join(root, 'src', 'cli', 'main.ts'), 'export const version = 1;\n');
    await writeFile(join(root, 'tsconfig.json'), '{}\n');
  }
  return root;
}

const launch = async (dir: string) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(dir, 'bin', 'scaffold.js'), '--version'], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};
const stamp = (dir: string) => run(process.execPath, [join(dir, 'scripts', 'write-build-stamp.mjs')], { cwd: dir });
const git = (dir: string, ...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });

describe('the launcher of a clone', () => {
  it('runs a dist/ built from the sources beside it, and refuses one built from others, saying to run npm run build', async () => {
    const dir = await miniatureClone({ sources: true });
    await stamp(dir);
    expect(await launch(dir)).toMatchObject({ code: 0, stdout: 'ran --version\n' });

    await writeFile(join(dir, 'src', 'cli', 'main.ts'), 'export const version = 2;\n');
    const refused = await launch(dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('dist/ was built from other sources than src/');
    expect(refused.stderr).toContain('Run `npm run build`');

    // A new source file, or a changed compiler setting, is a change too; building again is the cure.
    await stamp(dir);
    await writeFile(join(dir, 'src', 'cli', 'new.ts'), 'export {};\n');
    expect((await launch(dir)).code).toBe(1);
    await stamp(dir);
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }\n');
    expect((await launch(dir)).code).toBe(1);
    await stamp(dir);
    expect((await launch(dir)).code).toBe(0);
  });

  it('refuses a dist/ without a stamp (built before stamps, or by tsc alone)', async () => {
    const dir = await miniatureClone({ sources: true });
    const refused = await launch(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('no build stamp');
  });

  it('trusts the stamp`s commit while the clone is at it, and hashes the sources once it moved (a pull)', async () => {
    const dir = await miniatureClone({ sources: true });
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '.');
    await git(dir, 'commit', '-q', '-m', 'first');
    await stamp(dir);
    const written = JSON.parse(await readFile(join(dir, 'dist', 'build-stamp.json'), 'utf8')) as { sources: string; commit: string | null };
    expect(written.commit).toBe((await git(dir, 'rev-parse', 'HEAD')).stdout.trim());
    // At the stamped commit the sources are not read: a stamp whose hash is wrong still passes.
    await writeFile(join(dir, 'dist', 'build-stamp.json'), JSON.stringify({ ...written, sources: 'not-read' }));
    expect((await launch(dir)).code).toBe(0);

    await writeFile(join(dir, 'dist', 'build-stamp.json'), JSON.stringify(written));
    await writeFile(join(dir, 'src', 'cli', 'main.ts'), 'export const version = 2;\n');
    await git(dir, 'commit', '-q', '-am', 'pulled');
    const refused = await launch(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('npm run build');

    // A commit that changed nothing under src/ (the clone's own, after building) keeps dist/ usable.
    await stamp(dir);
    await writeFile(join(dir, 'README.md'), 'docs\n');
    await git(dir, 'add', 'README.md');
    await git(dir, 'commit', '-q', '-m', 'docs');
    expect((await launch(dir)).code).toBe(0);

    // Sources changed but not committed when building: the stamp names no commit, the hash decides.
    await writeFile(join(dir, 'src', 'cli', 'main.ts'), 'export const version = 3;\n');
    await stamp(dir);
    expect(JSON.parse(await readFile(join(dir, 'dist', 'build-stamp.json'), 'utf8'))).toMatchObject({ commit: null });
    expect((await launch(dir)).code).toBe(0);
    await git(dir, 'checkout', '--', 'src');
    expect((await launch(dir)).code).toBe(1);
  });

  it('runs an installed package (dist/ without its sources) as it is', async () => {
    const dir = await miniatureClone({ sources: false });
    expect(await launch(dir)).toMatchObject({ code: 0, stdout: 'ran --version\n' });
  });
});
