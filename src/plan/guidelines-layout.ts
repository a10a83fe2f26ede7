import { posix } from 'node:path';
import { DEFAULT_GUIDELINES, LAYER_NAMES, type FileCase, type Guidelines, type LayerName } from '../load/guidelines-types.js';
import { words } from '../model/naming.js';

/**
 * Where a file of the default layout goes under a team's guidelines. Templates are written for the
 * default layout (`src/controllers/pets.controller.ts`); the plan moves each file to its place
 * (`src/api/controllers/pets.handler.ts`) and the emit stage rewrites the relative imports between
 * them (src/emit/relocate-imports.ts). With the default guidelines every path maps to itself.
 */
export function layoutPath(defaultPath: string, guidelines: Guidelines): string {
  if (!/^(src|test)\/.*\.ts$/.test(defaultPath)) return defaultPath;
  let dir = posix.dirname(defaultPath);
  let name = posix.basename(defaultPath);
  const layer = layerOfDefaultPath(defaultPath);
  if (layer && defaultPath.startsWith('src/')) {
    const from = DEFAULT_GUIDELINES.layers[layer];
    const to = guidelines.layers[layer];
    dir = to.path + dir.slice(from.path.length);
    name = name.replace(new RegExp(`${escape(from.fileSuffix)}((?:\\.gen)?\\.ts)$`), `${to.fileSuffix}$1`);
  }
  const dot = name.indexOf('.');
  return posix.join(dir, caseFileStem(name.slice(0, dot), guidelines.fileCase) + name.slice(dot));
}

/** The layer whose default folder holds a path (`src/controllers/...` -> controllers). */
function layerOfDefaultPath(path: string): LayerName | undefined {
  return LAYER_NAMES.find((name) => path.startsWith(`${DEFAULT_GUIDELINES.layers[name].path}/`));
}

/** The layer whose (team) folder holds a project path, for `scaffold check`. */
export function layerOf(path: string, guidelines: Guidelines): LayerName | undefined {
  return LAYER_NAMES.find((name) => path.startsWith(`${guidelines.layers[name].path}/`));
}

/** A file name's stem (`user-accounts`) in a case: userAccounts, UserAccounts, user_accounts. */
export function caseFileStem(stem: string, fileCase: FileCase): string {
  const parts = words(stem);
  if (parts.length === 0) return stem;
  const capitalized = parts.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  switch (fileCase) {
    case 'kebab':
      return parts.join('-');
    case 'snake':
      return parts.join('_');
    case 'pascal':
      return capitalized.join('');
    case 'camel':
      return (parts[0] ?? '') + capitalized.slice(1).join('');
  }
}

/** Whether a stem is written in a case (what `scaffold check` asks of every file name). */
export function followsCase(stem: string, fileCase: FileCase): boolean {
  const pattern = { kebab: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, snake: /^[a-z0-9]+(?:_[a-z0-9]+)*$/, camel: /^[a-z][a-zA-Z0-9]*$/, pascal: /^[A-Z][a-zA-Z0-9]*$/ }[fileCase];
  return pattern.test(stem);
}

/** Default layer folders the guidelines move, e.g. `src/controllers` -> `src/api/controllers`. */
export function movedLayerFolders(guidelines: Guidelines): Map<string, string> {
  return new Map(LAYER_NAMES.filter((name) => guidelines.layers[name].path !== DEFAULT_GUIDELINES.layers[name].path).map((name) => [DEFAULT_GUIDELINES.layers[name].path, guidelines.layers[name].path]));
}

/** Whether the guidelines move or rename nothing (the default output, byte for byte). */
export function isDefaultLayout(guidelines: Guidelines): boolean {
  return guidelines.fileCase === DEFAULT_GUIDELINES.fileCase && LAYER_NAMES.every((name) => sameLayer(guidelines, name));
}

function sameLayer(guidelines: Guidelines, name: LayerName): boolean {
  const a = guidelines.layers[name];
  const b = DEFAULT_GUIDELINES.layers[name];
  return a.path === b.path && a.fileSuffix === b.fileSuffix;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
