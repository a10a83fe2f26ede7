import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR } from '../support/runtime-deps.js';
import { CORPUS_PACKAGES } from './corpus.js';

const run = promisify(execFile);

/**
 * Installs the corpus packages at their pinned versions into test/.cache/corpus once; a marker file
 * holding the hash of the package list makes later runs free, and a changed list reinstalls.
 * Returns the folder that holds node_modules. Scripts are not run: the packages are data.
 */
export async function installCorpus(): Promise<string> {
  const manifest = {
    name: 'scaffold-robustness-corpus',
    private: true,
    dependencies: Object.fromEntries(CORPUS_PACKAGES.map((p) => [p.name, p.version])),
  };
  const key = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const dir = join(CACHE_DIR, 'corpus');
  const marker = join(dir, '.installed');
  if (!existsSync(marker) || (await readFile(marker, 'utf8')) !== key) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', '--loglevel=error'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    await writeFile(marker, key);
  }
  return dir;
}
