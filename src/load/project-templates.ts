import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { ScaffoldError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { templateFailure } from '../diagnostics/template-error.js';
import { ejectedStatus, EJECTED_RECORD, OVERRIDES_DIR, readEjectedRecord } from '../project/ejected-templates.js';
import { readProjectConfig, resolveFromProject } from '../project/project-config.js';
import { listTemplates } from './list-templates.js';
import { loadTemplateExtensions, NO_EXTENSIONS, type TemplateExtensions } from './template-extensions.js';

/** Where a template's text comes from, and how errors name it. */
export interface TemplateSource {
  file: string;
  shownAs: string;
  /** The project's own template (`.scaffold/templates/`), not the tool's default. */
  override: boolean;
}

export interface ProjectTemplates {
  /** Every template path (relative to the template root): the defaults, plus any only the project has. */
  paths: string[];
  sources: Map<string, TemplateSource>;
  extensions: TemplateExtensions;
  /** `templateHelpers` of the project config, carried into the config this run writes. */
  helpersModule?: string;
  /** SCF067: an ejected template whose default changed since it was ejected. */
  diagnostics: Diagnostic[];
}

/**
 * The templates of a generation: the tool's defaults, each replaced by the project's template of the
 * same path under `.scaffold/templates/`, and the project's helpers and partials. The project's
 * templates are parsed here, so that a broken one stops the run before anything is rendered or written,
 * even one that this run renders no file from.
 */
export async function loadProjectTemplates(projectDir: string, defaultsRoot: string, toolVersion: string): Promise<ProjectTemplates> {
  const defaults = await listTemplates(defaultsRoot);
  const sources = new Map<string, TemplateSource>(defaults.map((path) => [path, { file: join(defaultsRoot, path), shownAs: join(defaultsRoot, path), override: false }]));
  const overrideRoot = join(projectDir, OVERRIDES_DIR);
  const overrides = (await stat(overrideRoot).catch(() => undefined))?.isDirectory() ? await listTemplates(overrideRoot) : [];
  const diagnostics: Diagnostic[] = [];
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
    const current = defaults.includes(path) ? await readFile(join(defaultsRoot, path), 'utf8') : undefined;
    const status = ejectedStatus(path, text, entry, current, toolVersion);
    if (status.upstreamChanged) {
      diagnostics.push(
        warning(
          'SCF067',
          current === undefined
            ? `ejected template ${path}: scaffold ${toolVersion} no longer has this default; your template renders a file of its own`
            : `ejected template ${path}: its default changed since it was ejected from scaffold ${entry.toolVersion}`,
          { file: shownAs },
          `merge the upstream change below into ${shownAs}, then record it with \`scaffold eject --accept ${path}\` (see ${EJECTED_RECORD})\n${status.upstreamDiff}`,
        ),
      );
    }
  }
  if (errors.length > 0) throw new ScaffoldError(errors);

  const helpersModule = (await readProjectConfig(projectDir))?.templateHelpers;
  const extensions = helpersModule === undefined ? NO_EXTENSIONS : await loadTemplateExtensions(resolveFromProject(projectDir, helpersModule), helpersModule);
  return { paths: [...sources.keys()].sort(), sources, extensions, ...(helpersModule !== undefined && { helpersModule }), diagnostics };
}
