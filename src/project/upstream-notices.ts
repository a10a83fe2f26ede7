import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EmittedFile } from '../emit/emit-files.js';
import { isPartialPath } from '../load/list-templates.js';

/** An ejected template whose default changed since it was ejected (SCF067). */
export interface UpstreamChange {
  path: string;
  /** How diagnostics name the project's copy (`.scaffold/templates/<path>`). */
  shownAs: string;
  /** The scaffold version it was ejected from. */
  ejectedFrom: string;
  /** sha256 of the default it was ejected from. */
  fromHash: string;
  /** sha256 of the current default; undefined when this scaffold no longer has it. */
  toHash: string | undefined;
  /** Unified diff from the ejected-from default to the current one. */
  diff: string;
}

/**
 * Which upstream changes a run has already shown as a diff, so that later runs show a one-line reminder
 * instead. Generator-owned and never needed for correctness: a missing or unreadable file only means
 * that the diffs are shown once more.
 */
export const UPSTREAM_NOTICES_PATH = '.scaffold/upstream-notices.json';

interface ShownChange {
  from: string;
  /** `removed`: the diff shown was the removal of the default. */
  to: string;
}

interface UpstreamNotices {
  schemaVersion: 1;
  shown: Record<string, ShownChange>;
}

/**
 * SCF067 for each upstream change: the diff comes with the first run that sees a change (from one
 * default to another), later runs give the same one-line warning without it. Also the notices file
 * this run writes: the changes pending now, all of them shown by the end of the run.
 */
export async function upstreamNotices(projectDir: string, changes: readonly UpstreamChange[], toolVersion: string): Promise<{ diagnostics: Diagnostic[]; file?: EmittedFile }> {
  const previous = await readNotices(projectDir);
  const shown: Record<string, ShownChange> = {};
  const diagnostics = changes.map((change) => {
    const key = { from: change.fromHash, to: change.toHash ?? 'removed' };
    shown[change.path] = key;
    const before = previous?.shown[change.path];
    const seen = before?.from === key.from && before.to === key.to;
    return upstreamWarning(change, toolVersion, !seen);
  });
  // Nothing to record, and no record to empty: a project that never had an upstream change gets no file.
  if (changes.length === 0 && previous === undefined) return { diagnostics };
  const notices: UpstreamNotices = { schemaVersion: 1, shown: Object.fromEntries(Object.entries(shown).sort(([a], [b]) => a.localeCompare(b))) };
  return { diagnostics, file: { id: UPSTREAM_NOTICES_PATH, path: UPSTREAM_NOTICES_PATH, owner: 'generator', content: `${JSON.stringify(notices, null, 2)}\n` } };
}

/** The same message on every run (the report lists it); the diff only as the detail of the first. */
function upstreamWarning(change: UpstreamChange, toolVersion: string, withDiff: boolean): Diagnostic {
  const accept = `\`scaffold eject --accept ${change.path}\``;
  const message =
    change.toHash === undefined
      ? `ejected template ${change.path}: scaffold ${toolVersion} no longer has this default, your template ${isPartialPath(change.path) ? 'stays a partial of the project' : 'renders a file of its own'}; ${accept} records that`
      : `ejected template ${change.path}: its default changed since it was ejected from scaffold ${change.ejectedFrom}; merge the change into your copy (\`scaffold eject --list\` shows it), then run ${accept}`;
  return {
    ...warning('SCF067', message, { file: change.shownAs }),
    ...(withDiff && { detail: `The upstream change (shown once; \`scaffold eject --list\` shows it again):\n${change.diff.replace(/\n$/, '')}` }),
  };
}

/** A missing file is undefined; one that cannot be read as notices is an empty record (its diffs are shown again). */
async function readNotices(projectDir: string): Promise<UpstreamNotices | undefined> {
  const text = await readFile(join(projectDir, UPSTREAM_NOTICES_PATH), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const empty: UpstreamNotices = { schemaVersion: 1, shown: {} };
  try {
    const value = JSON.parse(text) as Partial<UpstreamNotices>;
    const valid =
      value.schemaVersion === 1 &&
      typeof value.shown === 'object' &&
      value.shown !== null &&
      Object.values(value.shown).every((entry) => typeof entry?.from === 'string' && typeof entry.to === 'string');
    return valid ? (value as UpstreamNotices) : empty;
  } catch {
    return empty;
  }
}
