import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Global setup of the end-to-end suite: builds dist/ once, before any test file runs. The tests run the
 * real `bin/scaffold.js` (which runs dist/), several files at a time; a build inside one of them would
 * rewrite dist/ under another's running CLI.
 */
export default function buildCli(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '..', '..'), stdio: 'inherit' });
}
