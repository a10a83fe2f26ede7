// What dist/ was built from, so that the launcher of a clone can tell a dist/ older than its sources
// (a `git pull` without `npm run build`) before it runs and fails on templates it does not know.
// Plain JavaScript: it runs before dist/ is loaded, and the build script writes the stamp with it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The stamp `npm run build` writes beside the compiled CLI. */
export const STAMP = join('dist', 'build-stamp.json');

/** What the compiled CLI is built from: every file under src/ and the compiler's settings. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

/**
 * A SHA-256 of the inputs' paths and contents. Reads every source file: the launcher computes it only
 * when the commit it is run from is not the one the stamp names.
 * @param {string} root
 * @returns {string}
 */
export function sourcesHash(root) {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((input) => {
    const path = join(root, input);
    if (!existsSync(path)) return [];
    if (!input.startsWith('src')) return [path];
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  });
  for (const file of files.map((path) => relative(root, path).split(sep).join('/')).sort()) {
    hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/**
 * The commit checked out in `root`, read from .git without running git (a worktree's `.git` file, a
 * symbolic HEAD, loose and packed refs); undefined when there is no repository or it cannot be read.
 * @param {string} root
 * @returns {string | undefined}
 */
export function headCommit(root) {
  try {
    const dotGit = join(root, '.git');
    if (statSync(dotGit).isDirectory()) return resolveHead(dotGit);
    // A linked worktree: `.git` is a file naming its directory.
    const linked = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    return linked?.[1] ? resolveHead(resolve(root, linked[1].trim())) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {string} gitDir
 * @returns {string | undefined}
 */
function resolveHead(gitDir) {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  const symbolic = /^ref: (.+)$/.exec(head);
  if (!symbolic?.[1]) return /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
  const ref = symbolic[1];
  // A linked worktree keeps its HEAD in its own directory and the branches in the main repository's.
  const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
  for (const dir of [gitDir, common]) {
    const loose = join(dir, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  }
  const packed = join(common, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  const line = readFileSync(packed, 'utf8')
    .split('\n')
    .find((entry) => entry.endsWith(` ${ref}`));
  return line?.split(' ')[0];
}

/**
 * @typedef {{ sources: string, commit: string | null }} Stamp
 * `commit`: the checked-out commit when the inputs were exactly that commit's (nothing changed or
 * untracked under them), else null.
 */

/**
 * Why dist/ of a clone at `root` should be rebuilt before it runs, or undefined when it is built from
 * the sources beside it. Cheap when the clone is still at the commit the stamp names (two or three
 * small reads); otherwise the sources are hashed. An installed package (no src/cli/main.ts) is never
 * checked: it ships dist/ and not what it was built from.
 * @param {string} root
 * @returns {string | undefined}
 */
export function staleDist(root) {
  if (!existsSync(join(root, 'src', 'cli', 'main.ts'))) return undefined;
  /** @type {Stamp} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return existsSync(join(root, 'dist'))
      ? 'dist/ was not built by `npm run build` of this version (it has no build stamp)'
      : 'dist/ is missing: the CLI is not built';
  }
  if (stamp.commit !== null && stamp.commit === headCommit(root)) return undefined;
  if (stamp.sources === sourcesHash(root)) return undefined;
  return 'dist/ was built from other sources than src/ (changed since the last build: a pull, a checkout or an edit)';
}

/**
 * The launcher's check: a message for the terminal, or undefined when dist/ may run.
 * @param {string} launcherDir the directory of bin/scaffold.js
 * @returns {string | undefined}
 */
export function launcherCheck(launcherDir) {
  const problem = staleDist(dirname(launcherDir));
  return problem && `scaffold: ${problem}.\nRun \`npm run build\` in ${dirname(launcherDir)} and try again.`;
}
