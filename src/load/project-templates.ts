import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { templateFailure } from '../diagnostics/template-error.js';
import { contentHash, ejectedStatus, OVERRIDES_DIR, readEjectedRecord } from '../project/ejected-templates.js';
import { readProjectConfig, resolveFromProject } from '../project/project-config.js';
import type { UpstreamChange } from '../project/upstream-notices.js';
import { defaultTemplateFile, isPartialPath, listDefaultTemplates, listTemplates, partialName } from './list-templates.js';
import { loadTemplateExtensions, NO_EXTENSIONS, type TemplateExtensions } from './template-extensions.js';

/** Where a template's text comes from, and how errors name it. */
export interface TemplateSource {
  file: string;
  shownAs: string;
  /** The project's own template (`.scaffold/templates/`), not the tool's default. */
  override: boolean;
}

/** A partial templates include by name (`{{> genHeader}}`), with its text. */
export interface PartialTemplate {
  source: TemplateSource;
  text: string;
}

export interface ProjectTemplates {
  /** Every template that renders files (path relative to the template root): the defaults, plus any only the project has. */
  paths: string[];
  /** Where each template is read from, partials included (`partials/gen-header.hbs`). */
  sources: Map<string, TemplateSource>;
  /** The partials, by the name templates include them by; the project's replace the defaults. */
  partials: Map<string, PartialTemplate>;
  extensions: TemplateExtensions;
  /** `templateHelpers` of the project config, carried into the config this run writes. */
  helpersModule?: string;
  /** Ejected templates whose default changed since they were ejected (SCF067, src/project/upstream-notices.ts). */
  upstreamChanges: UpstreamChange[];
}

/**
 * The templates of a generation: the tool's defaults (`templatesDir` is its `templates/` folder), each
 * replaced by the project's template of the same path under `.scaffold/templates/`, and the project's
 * helpers and partials. The project's templates are parsed here, so that a broken one stops the run
 * before anything is rendered or written, even one that this run renders no file from.
 */
export async function loadProjectTemplates(projectDir: string, templatesDir: string, toolVersion: string): Promise<ProjectTemplates> {
  const defaults = await listDefaultTemplates(templatesDir);
  const sources = new Map<string, TemplateSource>(
    defaults.map((path) => {
      const file = defaultTemplateFile(templatesDir, path);
      return [path, { file, shownAs: file, override: false }];
    }),
  );
  const overrideRoot = join(projectDir, OVERRIDES_DIR);
  const overrides = (await stat(overrideRoot).catch(() => undefined))?.isDirectory() ? await listTemplates(overrideRoot) : [];
  const upstreamChanges: UpstreamChange[] = [];
  const errors: Diagnostic[] = [];
  const record = overrides.length > 0 ? await readEjectedRecord(projectDir) : undefined;
  for (const path of overrides) {
    const shownAs = `${OVERRIDES_DIR}/${path}`;
    const text = await readFile(join(overrideRoot, path), 'utf8');
    try {
      Handlebars.parse(text);
    } catch (cause) {
      errors.push(templateFailure('SCF065', shownAs, text, cause));
    }
    sources.set(path, { file: join(overrideRoot, path), shownAs, override: true });
    const entry = record?.templates[path];
    if (!entry) continue;
    const current = defaults.includes(path) ? await readFile(defaultTemplateFile(templatesDir, path), 'utf8') : undefined;
    const status = ejectedStatus(path, text, entry, current, toolVersion);
    if (status.upstreamChanged) {
      upstreamChanges.push({ path, shownAs, ejectedFrom: entry.toolVersion, fromHash: entry.hash, toHash: current === undefined ? undefined : contentHash(current), diff: status.upstreamDiff ?? '' });
    }
  }
  if (errors.length > 0) throw new ScaffoldError(errors);

  const partials = new Map<string, PartialTemplate>();
  for (const [path, source] of sources) {
    if (isPartialPath(path)) partials.set(partialName(path), { source, text: await readFile(source.file, 'utf8') });
  }
  const helpersModule = (await readProjectConfig(projectDir))?.templateHelpers;
  const extensions = helpersModule === undefined ? NO_EXTENSIONS : await loadTemplateExtensions(resolveFromProject(projectDir, helpersModule), helpersModule);
  return {
    paths: [...sources.keys()].filter((path) => !isPartialPath(path)).sort(),
    sources,
    partials,
    extensions,
    ...(helpersModule !== undefined && { helpersModule }),
    upstreamChanges,
  };
}
