import type { FileReader } from './file-reader.js';
import { hashContent, type ManifestEntry } from './manifest.js';

/**
 * The pristine copies: what scaffold last generated for each template file, the base of the next
 * three-way merge. One file per template file, mirroring its planned path, instead of inside the
 * manifest: together they weigh about ten times the manifest (120 KB for petstore), each is rewritten
 * only when its output changes (so a no-op run writes none and a commit diff shows exactly what the
 * generator changed), and `diff .scaffold/pristine/README.md README.md` shows your edits. They are
 * staged and committed with the manifest, so an interrupted run never leaves one out of step with it.
 */
export const PRISTINE_DIR = '.scaffold/pristine';

export function pristinePath(plannedPath: string): string {
  return `${PRISTINE_DIR}/${plannedPath}`;
}

/** The path the generator planned an entry at (the user may have moved the file since). */
export function plannedPathOf(entry: ManifestEntry): string {
  return entry.generatedPath ?? entry.path;
}

/**
 * What scaffold generated last time for a template file: its pristine copy when that is intact (it has
 * the hash the manifest recorded), else the file on disk when the user has not edited it (same hash).
 * Undefined when neither holds, e.g. for a project generated before pristine copies were kept.
 */
export async function readLastGenerated(reader: FileReader, previous: ManifestEntry | undefined, current: string): Promise<string | undefined> {
  if (!previous) return undefined;
  const pristine = await reader.read(pristinePath(plannedPathOf(previous)));
  if (pristine !== undefined && hashContent(pristine) === previous.hash) return pristine;
  return hashContent(current) === previous.hash ? current : undefined;
}
