import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { fail } from '../diagnostics/diagnostic.js';

/** Handlebars helpers and partials a project registers for its templates (`templateHelpers` in .scaffold/config.json). */
export interface TemplateExtensions {
  helpers: Record<string, (...args: unknown[]) => unknown>;
  partials: Record<string, string>;
}

export const NO_EXTENSIONS: TemplateExtensions = { helpers: {}, partials: {} };

/**
 * Imports the helpers module (ES module exporting `helpers` and/or `partials`). The URL carries the
 * file's mtime, so that a long-lived process (tests, watch mode) sees an edited module, not Node's cached one.
 */
export async function loadTemplateExtensions(file: string, shownAs: string): Promise<TemplateExtensions> {
  const broken = (cause: string): never =>
    fail('SCF066', `template helpers module ${shownAs} ${cause}`, { file: shownAs }, 'export `helpers` (an object of functions) and/or `partials` (an object of template strings) from an ES module (.mjs or .js)');
  const stats = await stat(file).catch(() => undefined);
  if (!stats?.isFile()) broken('does not exist');
  let module: Record<string, unknown>;
  try {
    module = (await import(`${pathToFileURL(file).href}?mtime=${stats!.mtimeMs}`)) as Record<string, unknown>;
  } catch (cause) {
    return broken(`failed to load: ${(cause as Error).message ?? String(cause)}`);
  }
  const helpers = module.helpers ?? {};
  const partials = module.partials ?? {};
  if (module.helpers === undefined && module.partials === undefined) broken('exports neither `helpers` nor `partials`');
  if (!isRecordOf(helpers, (v) => typeof v === 'function')) broken('exports `helpers` that is not an object of functions');
  if (!isRecordOf(partials, (v) => typeof v === 'string')) broken('exports `partials` that is not an object of strings');
  return { helpers: helpers as TemplateExtensions['helpers'], partials: partials as TemplateExtensions['partials'] };
}

function isRecordOf(value: unknown, check: (v: unknown) => boolean): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(check);
}
