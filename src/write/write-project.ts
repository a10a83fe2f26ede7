import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { error, fail, ScaffoldError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EmittedFile } from '../emit/emit-files.js';
import { FileReader } from './file-reader.js';
import { locateFiles } from './locate-files.js';
import { hashContent, MANIFEST_PATH, parseManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { mergeTemplateFile, type TemplateConflict } from './merge-template-file.js';
import { plannedPathOf, pristinePath, readLastGenerated } from './pristine.js';
import { resolveInside } from './safe-path.js';
import { ProjectRoot } from './symlink-guard.js';

/**
 * What a run does to one file: `create` a missing file, `update` a generator-owned one (or a template file
 * the user did not edit), leave an identical one `unchanged`, `keep` a user-owned or template file that
 * exists (it is the user's), `extend` a user-owned file with what the new version adds (src/write/extend/),
 * `merge` upstream changes into an edited template file, write one with a `conflict` (markers in text, a
 * conflicts file beside JSON), `move` a file whose planned path changed, or `refuse` to overwrite a
 * generator-owned file the user edited (SCF026) or to move a file of the user's that is imported (SCF040).
 */
export type FileAction = 'create' | 'update' | 'unchanged' | 'keep' | 'extend' | 'merge' | 'conflict' | 'move' | 'refuse';

export interface FileOutcome {
  path: string;
  owner: EmittedFile['owner'];
  action: FileAction;
  /** With --force, where the edited content of an overwritten generator-owned file was saved. */
  backup?: string;
  /** Where the file was before: moved by the user (then kept where it is) or by a layout change (`move`). */
  movedFrom?: string;
  /** A template file kept as it is because it cannot be merged this time (SCF041, SCF042). */
  unmergeable?: 'no-last-generated' | 'invalid-json';
  /** For `conflict`: how many regions or keys conflict and, for JSON, the file listing them. */
  conflict?: TemplateConflictSummary;
  /** For `extend`, what was added (`+ orders registration`). */
  additions?: string[];
}

export type TemplateConflictSummary = Omit<TemplateConflict, 'conflictFile'>;

export interface WriteResult {
  actions: FileOutcome[];
  manifest: Manifest;
  /** The folder (relative to the project) holding this run's backups, when --force saved any. */
  backupDir?: string;
  /** Whether the run had anything to write (a file to create or update, or a new manifest). */
  changed: boolean;
  /** On a dry run, a unified diff of every file that would be created, updated or extended, in plan order. */
  diffs: FileDiff[];
  /** Warnings of the write: template files that could not be merged, moved files found twice. */
  diagnostics: Diagnostic[];
}

export interface FileDiff {
  path: string;
  action: 'create' | 'update' | 'extend' | 'merge' | 'conflict' | 'move';
  /** A unified diff (`--- a/path`, `+++ b/path`; `/dev/null` for a new file). */
  patch: string;
}

export interface WriteOptions {
  outDir: string;
  toolVersion: string;
  dryRun: boolean;
  force: boolean;
  /**
   * Generator-owned files the generator reads back as input (`.scaffold/config.json`, the migration
   * journal, the schema snapshot): an edit to them reaches the new output, so it is not an edit to refuse.
   */
  readBack?: readonly string[];
  /** New content for user-owned files that exist, extended with what their new version adds (src/write/extend/). */
  extended?: ReadonlyMap<string, { content: string; additions: string[] }>;
  /** The project's files as the run found them, when something before the write already read some. */
  reader?: FileReader;
  /** The clock that names the backup folder (tests pin it). */
  now?: () => Date;
  /**
   * Test seam, not reachable from the CLI: called after each step of the write (every file staged,
   * commit record written, each file renamed into place); throwing there simulates a crash at that point.
   */
  onStep?: (step: WriteStep, path?: string) => void;
}

export type WriteStep = 'staged' | 'committed' | 'renamed';

/**
 * A run stages every file it writes under `.scaffold/staging/files/<path>`, then records the list in
 * `.scaffold/staging/commit.json` (the commit point), then renames each file into place, the manifest
 * last, and removes the staging folder. A run killed before the commit point left the project as it was;
 * one killed after it is completed by the next run (`recoverInterruptedWrite`).
 */
export const STAGING_DIR = '.scaffold/staging';
const COMMIT_RECORD = `${STAGING_DIR}/commit.json`;
const STAGED_FILES = `${STAGING_DIR}/files`;

export const BACKUP_DIR = '.scaffold/backup';

/** Raised when the run refuses to overwrite edited generator-owned files; carries what the run found. */
export class WriteRefusedError extends ScaffoldError {
  readonly actions: FileOutcome[];

  constructor(diagnostics: Diagnostic[], actions: FileOutcome[]) {
    super(diagnostics);
    this.actions = actions;
  }
}

/**
 * Compares each file with the disk and writes only what changed. Generator-owned files are rewritten,
 * unless the user edited one since the last generation (its content no longer has the hash the manifest
 * recorded): then the run refuses and writes nothing, or, with --force, saves the edited file under
 * `.scaffold/backup/<timestamp>/` and overwrites it. User-owned files that exist are kept as they are;
 * template files get the generator's changes merged three ways with the user's (merge-template-file.ts),
 * their new output kept as the base of the next merge under `.scaffold/pristine/`. Files are found by id,
 * where the user moved them (locate-files.ts).
 */
export async function writeProject(files: EmittedFile[], options: WriteOptions): Promise<WriteResult> {
  if (!options.dryRun) await recoverInterruptedWrite(options.outDir);
  const existingManifest = await readManifest(options.outDir);
  if (!existingManifest && !options.force && (await isNonEmptyDirectory(options.outDir))) {
    fail('SCF020', `${options.outDir} is not empty and was not generated by scaffold`, { file: options.outDir }, 'choose an empty or new directory, or pass --force to write into it anyway (files it would overwrite are backed up first)');
  }
  const readBack = new Set(options.readBack ?? []);
  const backupDir = `${BACKUP_DIR}/${(options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-')}`;
  const reader = options.reader ?? new FileReader(options.outDir);
  const previousEntries = existingManifest?.manifest.files ?? [];
  reader.prefetch([
    ...files.map((f) => f.path),
    ...previousEntries.map((e) => e.path),
    ...files.filter((f) => f.owner === 'template').map((f) => pristinePath(f.path)),
    ...previousEntries.filter((e) => e.owner === 'template').map((e) => pristinePath(plannedPathOf(e))),
  ]);
  const located = await locateFiles(options.outDir, files, existingManifest?.manifest, reader);
  // The project's files, where this run found or plans them, must be inside it: checked before any of them
  // is compared (an edited file behind a link is not this project's), and the writes again below.
  const root = new ProjectRoot(options.outDir);
  await root.assertInside(files.flatMap((file) => {
    const location = located.locations.get(file);
    return [location?.at ?? file.path, ...(location?.relocateFrom ? [file.path, location.relocateFrom] : [])];
  }));

  const actions: FileOutcome[] = [];
  const pending: { path: string; content: string }[] = [];
  const deletions: string[] = [];
  const diffs: FileDiff[] = [];
  const backups: { path: string; target: string; content: string }[] = [];
  const refusals: Diagnostic[] = [...located.refusals];
  const diagnostics: Diagnostic[] = [...located.warnings];
  const entries: ManifestEntry[] = [];
  for (const file of files) {
    const { at, previous, movedFrom, relocateFrom, ambiguous } = located.locations.get(file) ?? { at: file.path };
    const current = await reader.read(at);
    const base = { path: at, owner: file.owner, ...(movedFrom && { movedFrom }) };
    let outcome: FileOutcome;
    let content: string | undefined = file.content;
    if (ambiguous) outcome = { ...base, action: 'keep' };
    else if (current === undefined) outcome = { ...base, action: 'create' };
    else if (file.owner === 'user') {
      // A user-owned TypeScript file gets what the new version adds, inserted into the user's text.
      const extension = at === file.path ? options.extended?.get(file.path) : undefined;
      if (extension && extension.content !== current) {
        outcome = { ...base, action: 'extend', additions: extension.additions };
        content = extension.content;
      } else outcome = { ...base, action: 'keep' };
    }
    else if (file.owner === 'template') {
      const merged = mergeTemplateFile(at, await readLastGenerated(reader, previous, current), current, file.content);
      outcome = { ...base, action: merged.action };
      content = 'content' in merged ? merged.content : merged.action === 'update' ? file.content : undefined;
      if (merged.action === 'keep' && merged.unmergeable) {
        outcome.unmergeable = merged.unmergeable;
        diagnostics.push(unmergeableDiagnostic(at, merged.unmergeable));
      }
      if (merged.action === 'conflict') {
        const { conflictFile, ...conflict } = merged.conflict;
        outcome.conflict = conflict;
        if (conflictFile) {
          pending.push(conflictFile);
          if (options.dryRun) diffs.push({ path: conflictFile.path, action: 'create', patch: unifiedDiff(conflictFile.path, undefined, conflictFile.content) });
        }
      }
    } else if (current === file.content && !relocateFrom) outcome = { ...base, action: 'unchanged' };
    else {
      const hash = previous?.hash;
      const edited = current !== file.content && !readBack.has(file.path) && hash !== hashContent(current);
      if (!edited) outcome = { ...base, action: 'update' };
      else if (options.force) {
        const backup = `${backupDir}/${at}`;
        backups.push({ path: backup, target: resolveInside(options.outDir, backup), content: current });
        outcome = { ...base, action: 'update', backup };
      } else {
        outcome = { ...base, action: 'refuse' };
        refusals.push(editedFileDiagnostic(file.path, hash === undefined, files));
      }
    }
    if (relocateFrom) {
      // A layout change: the file is written at its new planned path and the old one deleted, in one commit.
      const moved = file.owner === 'generator' ? file.content : (content ?? current ?? file.content);
      const old = file.owner === 'generator' ? await reader.read(relocateFrom) : current;
      if (file.owner === 'generator' && old !== undefined) {
        if (!readBack.has(file.path) && previous?.hash !== hashContent(old)) {
          if (options.force) backups.push({ path: `${backupDir}/${relocateFrom}`, target: resolveInside(options.outDir, `${backupDir}/${relocateFrom}`), content: old });
          else refusals.push(editedFileDiagnostic(relocateFrom, false, files));
        }
      }
      outcome = { ...outcome, path: file.path, action: outcome.action === 'conflict' ? 'conflict' : 'move', movedFrom: relocateFrom };
      pending.push({ path: file.path, content: moved });
      deletions.push(relocateFrom);
      if (options.dryRun) diffs.push({ path: file.path, action: 'move', patch: unifiedDiff(file.path, old ?? '', moved, relocateFrom) });
    } else if (content !== undefined && ['create', 'update', 'extend', 'merge', 'conflict'].includes(outcome.action)) {
      pending.push({ path: at, content });
      if (options.dryRun) diffs.push({ path: at, action: outcome.action as FileDiff['action'], patch: unifiedDiff(at, current, content) });
    }
    actions.push(outcome);
    entries.push({ id: file.id, path: outcome.path, ...(outcome.path !== file.path && { generatedPath: file.path }), owner: file.owner, hash: hashContent(file.content) });
  }
  if (refusals.length > 0) throw new WriteRefusedError(refusals, actions);

  const pristine = await pristineChanges(options.outDir, reader, files, existingManifest?.manifest);
  pending.push(...pristine.writes);
  deletions.push(...pristine.deletions);
  // Every path this run writes, deletes or backs up to, checked before the first write (on a dry run too:
  // its diffs would show what lies behind a link).
  await root.assertInside(commitPaths([...pending.map((p) => p.path), MANIFEST_PATH], deletions, backups.map((b) => b.path)));
  const manifest: Manifest = { schemaVersion: 1, toolVersion: options.toolVersion, files: entries };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  // An identical manifest is not rewritten either: a run with nothing new writes nothing.
  const changed = pending.length > 0 || deletions.length > 0 || manifestText !== existingManifest?.text;
  if (!options.dryRun && changed) {
    for (const { target, content } of backups) await writeAtomically(target, content);
    await commitFiles(options.outDir, [...pending, { path: MANIFEST_PATH, content: manifestText }], deletions, options.onStep);
  }
  return { actions, manifest, changed, diffs, diagnostics, ...(backups.length > 0 && { backupDir }) };
}

/**
 * The pristine copies this run writes (each template file's new output, when it differs from the one on
 * disk) and deletes (those of template files no longer planned at that path).
 */
async function pristineChanges(outDir: string, reader: FileReader, files: readonly EmittedFile[], previous: Manifest | undefined): Promise<{ writes: { path: string; content: string }[]; deletions: string[] }> {
  const templates = files.filter((f) => f.owner === 'template');
  const writes: { path: string; content: string }[] = [];
  for (const file of templates) {
    const path = pristinePath(file.path);
    if ((await reader.read(path)) !== file.content) writes.push({ path, content: file.content });
  }
  const planned = new Set(templates.map((f) => f.path));
  const stale = (previous?.files ?? []).filter((e) => e.owner === 'template' && !planned.has(plannedPathOf(e))).map((e) => pristinePath(plannedPathOf(e)));
  const deletions: string[] = [];
  for (const path of stale) if (existsSync(resolveInside(outDir, path))) deletions.push(path);
  return { writes, deletions };
}

/** SCF041/SCF042: a template file kept as it is, without the generator's changes, and why. */
function unmergeableDiagnostic(path: string, reason: NonNullable<FileOutcome['unmergeable']>): Diagnostic {
  return reason === 'no-last-generated'
    ? warning('SCF041', 'kept as you edited it, without this generation\'s changes: scaffold has no copy of what it generated last time (the project predates pristine copies)', { file: path }, `compare it with ${pristinePath(path)}, recorded now, and take what you need; the next regeneration merges`)
    : warning('SCF042', 'kept as it is, without this generation\'s changes: it is not valid JSON, so it cannot be merged key by key', { file: path }, 'make it valid JSON (no comments or trailing commas), then run again');
}

/**
 * SCF026 for one generator-owned file whose content is not what scaffold last wrote. The hint points at
 * the user-owned file that extends it (`x.service.gen.ts` -> `x.service.ts`) when the project has one.
 */
function editedFileDiagnostic(path: string, untracked: boolean, files: readonly EmittedFile[]): Diagnostic {
  const extender = files.find((f) => f.owner === 'user' && f.path === path.replace(/\.gen(\.[a-z]+)$/, '$1') && f.path !== path);
  const what = untracked
    ? `exists but scaffold did not write it (it has no entry in ${MANIFEST_PATH}); regenerating would overwrite it`
    : `edited since scaffold generated it (its hash differs from ${MANIFEST_PATH}); regenerating would discard the edit`;
  const move = extender
    ? `move your change into ${extender.path}, which extends it and is never rewritten`
    : 'this file is rewritten from the spec and models: make the change there, or in a user-owned file that uses this one';
  return error('SCF026', what, { file: path }, `${move}, then run again; or pass --force to overwrite it after a backup under ${BACKUP_DIR}/<timestamp>/`);
}

/**
 * Stages every file, records the commit (the files to move into place and the files to delete), then
 * applies it: files in order, deletions, the manifest (the last file) last.
 */
async function commitFiles(outDir: string, files: { path: string; content: string }[], deletions: string[], onStep: WriteOptions['onStep'] = () => {}): Promise<void> {
  await rm(resolveInside(outDir, STAGING_DIR), { recursive: true, force: true });
  for (const { path, content } of files) {
    const staged = resolveInside(outDir, `${STAGED_FILES}/${path}`);
    await mkdir(dirname(staged), { recursive: true });
    await writeFile(staged, content, 'utf8');
  }
  onStep('staged');
  const record: CommitRecord = { files: files.map((f) => f.path), ...(deletions.length > 0 && { deletions }) };
  await writeAtomically(resolveInside(outDir, COMMIT_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  onStep('committed');
  await applyCommit(outDir, record, onStep);
  await rm(resolveInside(outDir, STAGING_DIR), { recursive: true, force: true });
}

interface CommitRecord {
  files: string[];
  /** Files the commit removes (the old paths of moved files, pristine copies no longer needed). */
  deletions?: string[];
}

/** The paths a commit touches: its staging files, the files it moves into place or deletes, and backups. */
function commitPaths(files: readonly string[], deletions: readonly string[] = [], backups: readonly string[] = []): string[] {
  return [COMMIT_RECORD, ...files.flatMap((path) => [path, `${STAGED_FILES}/${path}`]), ...deletions, ...backups];
}

/** Moves the staged files into place and deletes what the commit removes; the last file (the manifest) goes last. */
async function applyCommit(outDir: string, record: CommitRecord, onStep: WriteOptions['onStep'] = () => {}): Promise<void> {
  // A recorded commit is finished by the next run: its paths are checked again, the links may have changed since.
  await new ProjectRoot(outDir).assertInside(commitPaths(record.files, record.deletions));
  await moveStagedFiles(outDir, record.files.slice(0, -1), onStep);
  for (const path of record.deletions ?? []) await rm(resolveInside(outDir, path), { force: true });
  await moveStagedFiles(outDir, record.files.slice(-1), onStep);
}

/** Renames each staged file over its target; a file already moved (by the run that was interrupted) is skipped. */
async function moveStagedFiles(outDir: string, paths: readonly string[], onStep: WriteOptions['onStep'] = () => {}): Promise<void> {
  for (const path of paths) {
    const target = resolveInside(outDir, path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(resolveInside(outDir, `${STAGED_FILES}/${path}`), target);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
      continue;
    }
    onStep('renamed', path);
  }
}

/**
 * Finishes what an interrupted run left in `.scaffold/staging`: past its commit point, the remaining
 * files are moved into place (the project becomes what that run generated); before it, the staged files
 * are discarded (the project is as it was). Returns what it did, or undefined when nothing was left.
 */
export async function recoverInterruptedWrite(outDir: string): Promise<'completed' | 'discarded' | undefined> {
  const staging = join(outDir, STAGING_DIR);
  if (!(await exists(staging))) return undefined;
  const record = await readFile(join(outDir, COMMIT_RECORD), 'utf8').then(parseCommitRecord, () => undefined);
  if (record) await applyCommit(outDir, record);
  await rm(staging, { recursive: true, force: true });
  // A first generation that never committed leaves no trace, so the directory is empty again.
  await rmdir(join(outDir, '.scaffold')).catch(() => undefined);
  return record ? 'completed' : 'discarded';
}

function parseCommitRecord(text: string): CommitRecord | undefined {
  const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((f) => typeof f === 'string');
  try {
    const value = JSON.parse(text) as { files?: unknown; deletions?: unknown };
    if (!strings(value.files) || (value.deletions !== undefined && !strings(value.deletions))) return undefined;
    return { files: value.files, ...(value.deletions !== undefined && { deletions: value.deletions }) };
  } catch {
    return undefined;
  }
}

/** Whether an interrupted run left staged files (a dry run reports it and leaves them). */
export async function hasInterruptedWrite(outDir: string): Promise<boolean> {
  return exists(join(outDir, STAGING_DIR));
}

async function exists(path: string): Promise<boolean> {
  return readdir(path).then(
    () => true,
    () => false,
  );
}

export async function writeAtomically(target: string, content: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, target);
}

async function readManifest(outDir: string): Promise<{ manifest: Manifest; text: string } | undefined> {
  const text = await readFile(join(outDir, MANIFEST_PATH), 'utf8').catch(() => undefined);
  const manifest = text === undefined ? undefined : parseManifest(text);
  return manifest && text !== undefined ? { manifest, text } : undefined;
}

/** A unified diff with three lines of context, from the file on disk (or nothing; or where it was) to the new content. */
export function unifiedDiff(path: string, current: string | undefined, next: string, from = path): string {
  return createTwoFilesPatch(current === undefined ? '/dev/null' : `a/${from}`, `b/${path}`, current ?? '', next, undefined, undefined, { context: 3 })
    .replace(/^=+\n/, '');
}

async function isNonEmptyDirectory(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((cause as NodeJS.ErrnoException).code === 'ENOTDIR') fail('SCF020', `${path} exists and is not a directory`, { file: path });
    throw cause;
  }
}
