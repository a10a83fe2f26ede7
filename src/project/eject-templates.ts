import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { error, fail, ScaffoldError } from '../diagnostics/diagnostic.js';
import { defaultTemplateFile, listDefaultTemplates, listTemplates } from '../load/list-templates.js';
import { CONFIG_PATH } from '../write/manifest.js';
import { contentHash, ejectedStatus, EJECTED_RECORD, OVERRIDES_DIR, readEjectedRecord, serializeEjectedRecord, type EjectedRecord } from './ejected-templates.js';
import { readProjectConfig } from './project-config.js';

export interface TemplateRow {
  path: string;
  /** `default`: the tool's template is used; `ejected`: the project's copy is; `added`: only the project has it. */
  state: 'default' | 'ejected' | 'added';
  modified: boolean;
  upstreamChanged: boolean;
  /** The tool version the ejected copy came from. */
  ejectedFrom?: string;
  upstreamDiff?: string;
}

const GLOB_TOKENS: Record<string, string> = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

/** `*` matches within a path segment, `**` across segments, `?` one character; a pattern without them matches as a substring. */
export function matchesTemplatePattern(path: string, pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return path.includes(pattern);
  const source = pattern
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => GLOB_TOKENS[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

/**
 * Every template of the project (`templatesDir` is the tool's `templates/` folder): the defaults, partials
 * included, with which of them the project has ejected, and where each stands.
 */
export async function templateRows(projectDir: string, templatesDir: string, toolVersion: string): Promise<TemplateRow[]> {
  await requireProject(projectDir);
  const defaults = await listDefaultTemplates(templatesDir);
  const overrides = await listTemplates(join(projectDir, OVERRIDES_DIR)).catch(() => [] as string[]);
  const record = await readEjectedRecord(projectDir);
  const rows: TemplateRow[] = [];
  for (const path of [...new Set([...defaults, ...overrides])].sort()) {
    if (!overrides.includes(path)) {
      rows.push({ path, state: 'default', modified: false, upstreamChanged: false });
      continue;
    }
    const text = await readFile(join(projectDir, OVERRIDES_DIR, path), 'utf8');
    const current = defaults.includes(path) ? await readFile(defaultTemplateFile(templatesDir, path), 'utf8') : undefined;
    const status = ejectedStatus(path, text, record.templates[path], current, toolVersion);
    rows.push({
      path,
      state: current === undefined && !status.entry ? 'added' : 'ejected',
      modified: status.modified,
      upstreamChanged: status.upstreamChanged,
      ...(status.entry && { ejectedFrom: status.entry.toolVersion }),
      ...(status.upstreamDiff && { upstreamDiff: status.upstreamDiff }),
    });
  }
  return rows;
}

export interface EjectResult {
  ejected: string[];
  /** Already ejected, kept as they are (pass `force` to overwrite them with the default). */
  kept: string[];
}

/** Copies the default templates matching `pattern` into `.scaffold/templates/`, and records where each came from. */
export async function ejectTemplates(projectDir: string, templatesDir: string, toolVersion: string, pattern: string, options: { force?: boolean } = {}): Promise<EjectResult> {
  await requireProject(projectDir);
  const matching = (await listDefaultTemplates(templatesDir)).filter((path) => matchesTemplatePattern(path, pattern));
  if (matching.length === 0) noMatch(pattern);
  const record = await readEjectedRecord(projectDir);
  const result: EjectResult = { ejected: [], kept: [] };
  for (const path of matching) {
    const target = join(projectDir, OVERRIDES_DIR, path);
    const exists = await readFile(target, 'utf8').then(
      () => true,
      () => false,
    );
    if (exists && !options.force) {
      result.kept.push(path);
      continue;
    }
    const text = await readFile(defaultTemplateFile(templatesDir, path), 'utf8');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    record.templates[path] = { toolVersion, hash: contentHash(text), original: text };
    result.ejected.push(path);
  }
  await saveRecord(projectDir, record);
  return result;
}

/**
 * After merging an upstream change into ejected templates: records the current defaults as the ones
 * they came from, so that the change is no longer reported. Returns the templates whose record changed.
 */
export async function acceptUpstream(projectDir: string, templatesDir: string, toolVersion: string, pattern: string): Promise<string[]> {
  const rows = (await templateRows(projectDir, templatesDir, toolVersion)).filter((row) => row.state === 'ejected' && matchesTemplatePattern(row.path, pattern));
  if (rows.length === 0) noMatch(pattern, 'ejected ');
  const record = await readEjectedRecord(projectDir);
  const accepted: string[] = [];
  for (const row of rows.filter((r) => r.upstreamChanged)) {
    const text = await readFile(defaultTemplateFile(templatesDir, row.path), 'utf8').catch(() => undefined);
    if (text === undefined) delete record.templates[row.path];
    else record.templates[row.path] = { toolVersion, hash: contentHash(text), original: text };
    accepted.push(row.path);
  }
  await saveRecord(projectDir, record);
  return accepted;
}

async function requireProject(projectDir: string): Promise<void> {
  if (!(await readProjectConfig(projectDir))) {
    throw new ScaffoldError([
      error('SCF051', `${projectDir} has no ${CONFIG_PATH}: it is not a project scaffold generated`, { file: projectDir }, 'run `scaffold eject` inside a generated project, or pass --project <dir>'),
    ]);
  }
}

function noMatch(pattern: string, kind = ''): never {
  fail('SCF068', `no ${kind}template matches ${JSON.stringify(pattern)}`, undefined, '`scaffold eject --list` shows every template; a pattern is a substring of a path or a glob (`*`, `**`)');
}

/** Written whole then renamed: an interrupted eject never leaves half a record. */
async function saveRecord(projectDir: string, record: EjectedRecord): Promise<void> {
  const file = join(projectDir, EJECTED_RECORD);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, serializeEjectedRecord(record));
  await rename(`${file}.tmp`, file);
}
