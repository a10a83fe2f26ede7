import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every `.hbs` file under a template root, as sorted POSIX paths relative to it. */
export async function listTemplates(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}
