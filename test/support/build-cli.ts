import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Global setup of the end-to-end suite: builds dist/ once, before any test file runs. The tests run the
 * real `bin/scaffold.js` (which runs dist/), several files at a time; a build inside one of them would
 * rewrite dist/ under another's running CLI. A dist/ written after every source and build setting was
 * last changed is kept: `npm ci` (CI's first step) has just built it through `prepare`.
 */
export default function buildCli(): void {
  if (upToDate()) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

function upToDate(): boolean {
  const dist = join(ROOT, 'dist');
  if (!existsSync(dist)) return false;
  const built = mtimes(dist);
  if (built.length === 0) return false;
  const inputs = [...mtimes(join(ROOT, 'src')), ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((name) => statSync(join(ROOT, name)).mtimeMs)];
  return Math.max(...inputs) < Math.min(...built);
}

/** The modification times of every file under `dir`. */
function mtimes(dir: string): number[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs);
}
