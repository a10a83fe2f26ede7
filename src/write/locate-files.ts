import { readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EmittedFile } from '../emit/emit-files.js';
import { FileReader } from './file-reader.js';
import { hashContent, type Manifest, type ManifestEntry } from './manifest.js';
import { plannedPathOf } from './pristine.js';
import { resolveInside } from './safe-path.js';

/** Where this run finds a planned file's current copy, tracked by id through the manifest. */
export interface FileLocation {
  /** The path of the file on disk (to read, and to write unless `relocateFrom` is set). */
  at: string;
  /** The last run's manifest entry for the file (by id, else by path). */
  previous?: ManifestEntry;
  /** The user moved the file since the last run, from this path to `at`: it is kept where it is now. */
  movedFrom?: string;
  /** The layout changed: the file moves from `at` to its new planned path, the old one is deleted in the same commit. */
  relocateFrom?: string;
  /** Several files could be the moved one (SCF043): none is touched and nothing is recreated. */
  ambiguous?: boolean;
}

export interface LocatedFiles {
  locations: Map<EmittedFile, FileLocation>;
  /** Layout changes that would break a user's import (SCF040): the run refuses. */
  refusals: Diagnostic[];
  warnings: Diagnostic[];
}

/** Folders never searched for a moved file: dependencies, build output, scaffold's own state. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.scaffold', 'dist', 'coverage', '.data']);
const SCRIPT = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * Finds every planned file on disk by its id. A user-owned or template file missing at its recorded path
 * is looked for elsewhere in the project (the same content as generated, or for TypeScript a file
 * declaring the same exported class) and kept where the user moved it. When the planned path of an id
 * changed (a layout change), a generator-owned file simply moves; a user-owned or template file moves
 * too when nothing of the user's imports it, else the run refuses and says which move to make.
 */
export async function locateFiles(outDir: string, files: readonly EmittedFile[], manifest: Manifest | undefined, reader = new FileReader(outDir)): Promise<LocatedFiles> {
  const project = new ProjectFiles(outDir, reader);
  const byId = new Map((manifest?.files ?? []).map((entry) => [entry.id, entry]));
  const byPath = new Map((manifest?.files ?? []).map((entry) => [entry.path, entry]));
  const claimed = new Set([...files.map((f) => f.path), ...(manifest?.files ?? []).map((e) => e.path)]);
  const generated = new Set(files.filter((f) => f.owner === 'generator').map((f) => f.path));
  const located: LocatedFiles = { locations: new Map(), refusals: [], warnings: [] };

  for (const file of files) {
    const previous = byId.get(file.id) ?? byPath.get(file.path);
    const location = (at: string, extra: Omit<FileLocation, 'at' | 'previous'> = {}) => located.locations.set(file, { at, ...(previous && { previous }), ...extra });
    if (!previous) {
      location(file.path);
      continue;
    }
    const layoutChanged = plannedPathOf(previous) !== file.path;
    const stillThere = await project.exists(previous.path);
    if (file.owner === 'generator') {
      const relocate = stillThere && layoutChanged && previous.path !== file.path && !files.some((f) => f !== file && f.path === previous.path);
      location(file.path, relocate ? { relocateFrom: previous.path } : {});
    } else if (!stillThere) {
      const found = (await project.exists(file.path)) ? [] : await project.findMoved(previous, file, claimed);
      if (found.length === 1) location(found[0]!, { movedFrom: previous.path });
      else if (found.length === 0) location(file.path);
      else {
        location(previous.path, { ambiguous: true });
        located.warnings.push(
          warning('SCF043', `${previous.path} is missing and several files could be it, moved: ${found.join(', ')}`, { file: previous.path }, 'keep one (or rename the class in the others); scaffold recreates nothing until then'),
        );
      }
    } else if (!layoutChanged || previous.path !== plannedPathOf(previous)) {
      // where it was generated, or where the user moved it (a new planned path does not move it again)
      location(previous.path);
    } else {
      const importers = await project.importersOf(previous.path, generated);
      if (importers.length === 0 && !(await project.exists(file.path))) location(previous.path, { relocateFrom: previous.path });
      else {
        location(previous.path);
        located.refusals.push(layoutMoveRefusal(previous.path, file.path, importers));
      }
    }
  }
  return located;
}

function layoutMoveRefusal(from: string, to: string, importers: readonly string[]): Diagnostic {
  const why = importers.length > 0 ? `${importers.join(', ')} import${importers.length === 1 ? 's' : ''} it` : `${to} already exists`;
  return error(
    'SCF040',
    `scaffold now generates ${from} at ${to}, but it is yours and ${why}, so it was not moved`,
    { file: from },
    importers.length > 0 ? `move ${from} to ${to} and update the imports in ${importers.join(', ')}, then run again` : `merge ${from} into ${to} and delete ${from}, then run again`,
  );
}

/** The project's files, listed and read at most once, and only when a file has to be looked for. */
class ProjectFiles {
  private listing?: Promise<string[]>;

  constructor(
    private readonly outDir: string,
    private readonly reader: FileReader,
  ) {}

  async exists(path: string): Promise<boolean> {
    return (await this.read(path)) !== undefined;
  }

  /** Files that could be `entry` moved: same content as generated, or (TypeScript) declaring the same exported class. */
  async findMoved(entry: ManifestEntry, file: EmittedFile, claimed: ReadonlySet<string>): Promise<string[]> {
    const classes = SCRIPT.test(file.path) ? exportedClasses(file.content) : [];
    const found: string[] = [];
    for (const path of await this.list()) {
      if (claimed.has(path)) continue;
      const content = await this.read(path);
      if (content === undefined) continue;
      if (hashContent(content) === entry.hash || (SCRIPT.test(path) && exportedClasses(content).some((name) => classes.includes(name)))) found.push(path);
    }
    return found;
  }

  /** The scripts (other than generator-owned ones, which are rewritten) with a relative import of `path`. */
  async importersOf(path: string, generated: ReadonlySet<string>): Promise<string[]> {
    const target = path.replace(SCRIPT, '');
    const importers: string[] = [];
    for (const file of await this.list()) {
      if (file === path || generated.has(file) || !SCRIPT.test(file)) continue;
      const specifiers = [...((await this.read(file)) ?? '').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
      if (specifiers.some((s) => posix.join(posix.dirname(file), s).replace(SCRIPT, '') === target)) importers.push(file);
    }
    return importers;
  }

  private read(path: string): Promise<string | undefined> {
    return this.reader.read(path);
  }

  private list(): Promise<string[]> {
    this.listing ??= walk(this.outDir, '');
    return this.listing;
  }
}

async function walk(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir === '' ? root : resolveInside(root, dir), { withFileTypes: true }).catch(() => []);
  const paths: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) paths.push(...(await walk(root, path)));
    else if (entry.isFile()) paths.push(path);
  }
  return paths;
}

function exportedClasses(source: string): string[] {
  return [...source.matchAll(/^\s*export\s+(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}
