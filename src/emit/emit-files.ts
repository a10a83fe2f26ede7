import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan, PlannedFile } from '../plan/types.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { formatCode, formatKey } from './format-code.js';
import { generateOpenApiTypes } from './openapi-types.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import type { TemplateExtensions } from '../load/template-extensions.js';
import type { TemplateSource } from '../load/project-templates.js';
import { relocateImports, relocatePathMentions } from './relocate-imports.js';
import { createTemplateRenderer } from './render-template.js';

/** A file ready to be written: its final bytes and who owns it. */
export interface EmittedFile {
  id: string;
  path: string;
  owner: PlannedFile['owner'];
  content: string;
}

export interface EmitOptions {
  templatesDir: string;
  document: unknown;
  /** The load stage's fingerprint of the document, when it has one (see LoadedSpec). */
  documentFingerprint?: string | undefined;
  /** The load stage's hashes of the document's pieces, when it cut it into pieces (see LoadedSpec). */
  documentPieceHashes?: SpecPieceHashes | undefined;
  /** The do-not-edit header, rendered (for files no template renders). */
  genHeader: string;
  /** The partials templates include, by name (`genHeader`: the project's replaces the default). */
  partials: Record<string, string>;
  /** The previous run's formatted output and types, reused where their inputs are unchanged. */
  cache?: RunCache;
  /** Where each template is read from (the project's own templates replace defaults); default: `templatesDir/project/`. */
  templateSources?: ReadonlyMap<string, TemplateSource>;
  /** The project's handlebars helpers and partials. */
  extensions?: TemplateExtensions;
}

/** Produces every planned file's text: templates, then openapi-typescript, prettier last for all. */
export async function emitFiles(plan: Plan, options: EmitOptions): Promise<EmittedFile[]> {
  const cache = options.cache ?? noRunCache();
  const renderer = createTemplateRenderer(options.partials, options.extensions, cache);
  const sources = new Map<string, string>();
  const emitted: EmittedFile[] = [];
  // Files the guidelines moved (none by default): every module's relative imports follow them.
  const moved = new Map(plan.files.flatMap((file) => (file.defaultPath === undefined ? [] : [[file.defaultPath, file.path] as const])));
  for (const file of plan.files) {
    let text: string;
    let formatted = false;
    if (file.source.kind === 'template') {
      const defaultPath = join(options.templatesDir, 'project', file.source.template);
      const origin = options.templateSources?.get(file.source.template) ?? { file: defaultPath, shownAs: defaultPath, override: false };
      let source = sources.get(origin.file);
      if (source === undefined) {
        source = await readFile(origin.file, 'utf8');
        sources.set(origin.file, source);
      }
      text = renderer.render(origin.shownAs, source, file.source.data, origin.override ? 'SCF065' : 'SCF024');
    } else if (file.source.kind === 'text') {
      text = file.source.content;
    } else {
      // Formatted as they are put together (a one-operation change formats one path item's types).
      const format = { key: formatKey('typescript'), apply: (generated: string) => formatCode(file.path, generated, cache) };
      text = await generateOpenApiTypes(options.document, options.genHeader, cache, { fingerprint: options.documentFingerprint, pieceHashes: options.documentPieceHashes, format });
      formatted = true;
    }
    if (moved.size > 0) {
      const before = text;
      if (file.path.endsWith('.ts')) text = relocateImports(text, file.defaultPath ?? file.path, file.path, moved);
      text = relocatePathMentions(text, moved, plan.movedFolders ?? new Map());
      formatted &&= text === before;
    }
    emitted.push({ id: file.id, path: file.path, owner: file.owner, content: formatted ? text : await formatCode(file.path, text, cache) });
  }
  return emitted;
}
