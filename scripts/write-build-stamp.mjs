// The last step of `npm run build`: records what dist/ was built from (bin/build-stamp.js), so that the
// launcher of a clone refuses to run a dist/ older than its sources.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { headCommit, sourcesHash, STAMP } from '../bin/build-stamp.js';

const root = resolve(import.meta.dirname, '..');

/** The checked-out commit, when the build's inputs are exactly that commit's; else null (or no git at all). */
function cleanCommit() {
  const commit = headCommit(root);
  if (commit === undefined) return null;
  try {
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'src', 'tsconfig.json', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    return changed.trim() === '' ? commit : null;
  } catch {
    return null;
  }
}

writeFileSync(join(root, STAMP), `${JSON.stringify({ sources: sourcesHash(root), commit: cleanCommit() }, null, 2)}\n`);
