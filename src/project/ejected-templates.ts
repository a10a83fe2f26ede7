import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { fail } from '../diagnostics/diagnostic.js';

/** Where a project keeps its own templates: one overrides the default of the same path. */
export const OVERRIDES_DIR = '.scaffold/templates';
/** Which default each ejected template was copied from: the tool version, its hash and its text. */
export const EJECTED_RECORD = `${OVERRIDES_DIR}/.ejected.json`;

export interface EjectedEntry {
  /** The scaffold version whose default was copied. */
  toolVersion: string;
  /** sha256 of that default's text. */
  hash: string;
  /** That default's text: the base of the upstream diff when the default changes. */
  original: string;
}

export interface EjectedRecord {
  schemaVersion: 1;
  templates: Record<string, EjectedEntry>;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function readEjectedRecord(projectDir: string): Promise<EjectedRecord> {
  const path = join(projectDir, EJECTED_RECORD);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { schemaVersion: 1, templates: {} };
  let value: Partial<EjectedRecord>;
  try {
    value = JSON.parse(text) as Partial<EjectedRecord>;
  } catch (cause) {
    fail('SCF069', `${EJECTED_RECORD} is not valid JSON: ${(cause as Error).message}`, { file: path }, 'restore it from version control, or delete it and eject again');
  }
  const entries = value.templates;
  const valid =
    value.schemaVersion === 1 &&
    typeof entries === 'object' &&
    entries !== null &&
    Object.values(entries).every((e) => typeof e?.toolVersion === 'string' && typeof e.hash === 'string' && typeof e.original === 'string');
  if (!valid) fail('SCF069', `${EJECTED_RECORD} is not in the shape scaffold writes`, { file: path }, 'restore it from version control, or delete it and eject again');
  return value as EjectedRecord;
}

export function serializeEjectedRecord(record: EjectedRecord): string {
  const templates = Object.fromEntries(Object.entries(record.templates).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ schemaVersion: 1, templates }, null, 2)}\n`;
}

/** Where an ejected template stands against the default it came from and the current default. */
export interface EjectedStatus {
  path: string;
  /** The project's copy differs from the default it was ejected from. */
  modified: boolean;
  /** The current default differs from the one it was ejected from (or was removed: `current` undefined). */
  upstreamChanged: boolean;
  entry: EjectedEntry | undefined;
  /** Unified diff from the ejected-from default to the current one, when upstream changed. */
  upstreamDiff?: string;
}

export function ejectedStatus(path: string, overrideText: string, entry: EjectedEntry | undefined, currentDefault: string | undefined, currentVersion: string): EjectedStatus {
  if (!entry) return { path, modified: currentDefault === undefined || overrideText !== currentDefault, upstreamChanged: false, entry };
  const upstreamChanged = currentDefault === undefined || contentHash(currentDefault) !== entry.hash;
  return {
    path,
    entry,
    modified: contentHash(overrideText) !== entry.hash,
    upstreamChanged,
    ...(upstreamChanged && {
      upstreamDiff: createTwoFilesPatch(
        `${path} (default of scaffold ${entry.toolVersion}, ejected)`,
        currentDefault === undefined ? `${path} (removed in scaffold ${currentVersion})` : `${path} (default of scaffold ${currentVersion})`,
        entry.original,
        currentDefault ?? '',
      ),
    }),
  };
}
