import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the running generator's modules: dist/ when built, src/ under the tests. */
const CODE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const fingerprints = new Map<string, string>();

/**
 * A hash of the generator's own code as it runs: part of the key of what scaffold's code computes from
 * a whole input (the spec's types). The version alone is not enough: between releases (and in a
 * checkout) the code changes while the version does not, and a cached value from other code would be
 * reused. Computed once per run, on first use (a few hundred small files).
 */
export function codeFingerprint(root = CODE_ROOT): string {
  let fingerprint = fingerprints.get(root);
  if (fingerprint === undefined) {
    const digest = createHash('sha256');
    for (const file of codeFiles(root)) digest.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
    fingerprint = digest.digest('hex').slice(0, 40);
    fingerprints.set(root, fingerprint);
  }
  return fingerprint;
}

/** The .js and .ts files below `root`, by relative path in a fixed order. */
function codeFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => /\.(?:js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.split('\\').join('/'))
    .sort();
}
