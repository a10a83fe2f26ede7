import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';

/** Resolves a planned relative path inside the output directory; anything that would land outside is refused. */
export function resolveInside(outDir: string, relativePath: string): string {
  const target = resolve(outDir, relativePath);
  const rel = relative(outDir, target);
  if (relativePath.includes('\0') || isAbsolute(relativePath) || rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    fail('SCF021', `refusing to write ${JSON.stringify(relativePath)}: it resolves outside ${outDir}`);
  }
  return target;
}
