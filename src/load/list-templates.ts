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

/**
 * Template paths name the tool's templates in one namespace, the one `.scaffold/templates/` mirrors: a
 * project template by its path under `templates/project/` (`src/app.ts.hbs`), a partial by its path under
 * `templates/` (`partials/gen-header.hbs`). No project template lives under `partials/`, so the two never
 * collide, and a project's `.scaffold/templates/partials/x.hbs` is a partial, never a file of its own.
 */
const PARTIALS_FOLDER = 'partials';

export function isPartialPath(path: string): boolean {
  return path.startsWith(`${PARTIALS_FOLDER}/`);
}

/** The name templates include a partial by: `partials/gen-header.hbs` is `{{> genHeader}}`. */
export function partialName(path: string): string {
  return path
    .slice(PARTIALS_FOLDER.length + 1)
    .replace(/\.hbs$/, '')
    .replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Every default template of the tool (`templatesDir` is its `templates/` folder): the project's, then the partials. */
export async function listDefaultTemplates(templatesDir: string): Promise<string[]> {
  const partials = (await listTemplates(join(templatesDir, PARTIALS_FOLDER))).map((path) => `${PARTIALS_FOLDER}/${path}`);
  return [...(await listTemplates(join(templatesDir, 'project'))), ...partials].sort();
}

/** The file of a default template, by its path in the namespace above. */
export function defaultTemplateFile(templatesDir: string, path: string): string {
  return isPartialPath(path) ? join(templatesDir, path) : join(templatesDir, 'project', path);
}
