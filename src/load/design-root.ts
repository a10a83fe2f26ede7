import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The folder a design's references may reach: the design folder (`--design`) when the document lies
 * inside it, else the document's own folder.
 */
export function designRootOf(documentPath: string, designFolder: string | undefined): string {
  const document = resolve(documentPath);
  if (designFolder !== undefined && isWithin(resolve(designFolder), document)) return resolve(designFolder);
  return dirname(document);
}

/**
 * Where a referenced path leads: its real path when that is a file inside the root, `missing` when
 * nothing by that name exists inside the root, and `outside` for everything else: a path outside the
 * root (never looked at), a link that leads out of it (followed to its real path), a dangling link, or
 * the kernel's pseudo file systems. Whether something outside the root exists is never told apart.
 */
export async function placeInRoot(root: string, target: string): Promise<string | 'missing' | 'outside'> {
  const path = resolve(target);
  if (!isWithin(resolve(root), path)) return 'outside';
  const realRoot = await realpath(root).catch(() => resolve(root));
  const inside = (real: string) => isWithin(realRoot, real) && !PSEUDO_FILE_SYSTEMS.some((top) => isWithin(top, real));
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined) return inside(real) ? real : 'outside';
  // Nothing at the path: find the nearest folder on it that exists, and where it really is.
  for (let name = path; ; name = dirname(name)) {
    const parent = dirname(name);
    if (parent === name) return 'outside';
    const realParent = await realpath(parent).catch(() => undefined);
    if (realParent === undefined) continue;
    if (!inside(realParent)) return 'outside';
    // A dangling link leads somewhere else: answered like any other path outside.
    const link = await lstat(name).then((stats) => stats.isSymbolicLink(), () => false);
    return link ? 'outside' : 'missing';
  }
}

const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
