import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import { generate, type GenerateResult } from '../engine.js';
import { singular } from '../load/structure/structure-to-document.js';
import { kebabCase, pascalCase } from '../model/naming.js';
import { resolveFromProject, type ProjectConfig } from '../project/project-config.js';
import { parseFields } from './fields.js';
import { addEntityToModel } from './model-edit.js';
import { errorClass, mapError, wireMiddleware, type ErrorClass } from './project-edits.js';
import { addEndpointToSpec, addResourceToSpec, isHttpMethod, specResources } from './spec-edit.js';
import { designSource } from './yaml-splice.js';

/** The project `scaffold add` works in, and what its actions did. */
export interface AddProject {
  dir: string;
  config: ProjectConfig;
  specPath: string;
  modelsPath: string | undefined;
  /** `scaffold add --dry-run`: design actions edit the design in memory and regenerate as a dry run. */
  dryRun: boolean;
  /** Set by a design action: the regeneration that followed the edit (on a dry run, what it would do). */
  regeneration?: GenerateResult;
  /** The design files the actions changed (absolute paths): their text before the first action and after the last. */
  edited: Map<string, { before: string; after: string }>;
}

export async function openProject(dir: string, config: ProjectConfig): Promise<AddProject> {
  return { dir, config, specPath: resolveFromProject(dir, config.spec), modelsPath: config.models ? resolveFromProject(dir, config.models) : undefined, dryRun: false, edited: new Map() };
}

/** The action types that only edit the design and regenerate: the ones a dry run can preview. */
export const DESIGN_EDIT_ACTIONS: readonly string[] = ['scaffold:resource', 'scaffold:endpoint', 'scaffold:entity'];

export async function projectResources(project: AddProject): Promise<string[]> {
  return specResources(designSource(await readFile(project.specPath, 'utf8'), project.specPath));
}

type Answers = Record<string, unknown>;
const text = (answers: Answers, key: string) => String(answers[key] ?? '').trim();

/**
 * Design-first: the edit goes to the spec and the model, then the project is regenerated from them
 * as `scaffold generate` would. When the regeneration fails, the design files are put back as they
 * were, so a refused addition leaves nothing behind. On a dry run the edited texts stay in memory
 * (an earlier action's included) and the regeneration is a dry run on them: nothing is written.
 */
async function editDesignAndRegenerate(project: AddProject, edits: Map<string, (before: string) => string>): Promise<string> {
  const changes = new Map<string, { before: string; after: string }>();
  for (const [path, edit] of edits) {
    const before = (project.dryRun ? project.edited.get(path)?.after : undefined) ?? (await readFile(path, 'utf8'));
    // All edits are computed (and may refuse) before any file is written.
    changes.set(path, { before, after: edit(before) });
  }
  const options = {
    spec: project.specPath,
    out: project.dir,
    name: project.config.name,
    models: project.modelsPath,
    persistence: project.config.persistence ?? 'infer',
    design: project.config.design === undefined ? undefined : resolveFromProject(project.dir, project.config.design),
    allowRemoteRefs: project.config.allowRemoteRefs === true,
    force: false,
  };
  if (project.dryRun) {
    const pending = new Map([...project.edited, ...changes].map(([path, change]) => [resolve(path), change.after]));
    project.regeneration = await generate({ ...options, dryRun: true, designTexts: pending });
  } else {
    try {
      for (const [path, change] of changes) await writeFile(path, change.after);
      project.regeneration = await generate({ ...options, dryRun: false });
    } catch (error) {
      for (const [path, change] of changes) await writeFile(path, change.before);
      throw error;
    }
  }
  for (const [path, change] of changes) project.edited.set(path, { before: project.edited.get(path)?.before ?? change.before, after: change.after });
  return [...changes.keys()].join(', ');
}

export const DESIGN_ACTIONS = {
  'scaffold:resource': async (project: AddProject, answers: Answers) => {
    const resource = kebabCase(text(answers, 'name'));
    const entity = pascalCase(singular(resource));
    const fields = parseFields(text(answers, 'fields'));
    const edits = new Map<string, (before: string) => string>();
    let copied: string[] = [];
    edits.set(project.specPath, (before) => {
      const source = designSource(before, project.specPath);
      copied = addResourceToSpec(source, { resource, entity }, fields, project.specPath);
      return source.toString();
    });
    if (project.modelsPath) edits.set(project.modelsPath, (before) => addEntityToModel(before, entity, fields, pascalCase(resource), project.modelsPath));
    const edited = await editDesignAndRegenerate(project, edits);
    // Said under the edited files: what the new operations copied from the existing ones.
    return [edited, ...copied.map((convention) => `    following the spec's ${convention}`)].join('\n');
  },
  'scaffold:endpoint': async (project: AddProject, answers: Answers) => {
    const method = text(answers, 'method').toLowerCase();
    if (!isHttpMethod(method)) fail('SCF080', `"${method}" is not an HTTP method`);
    const operationId = text(answers, 'operationId');
    const edits = new Map([[project.specPath, (before: string) => {
      const source = designSource(before, project.specPath);
      addEndpointToSpec(source, { resource: text(answers, 'resource'), method, path: text(answers, 'path'), ...(operationId && { operationId }) }, project.specPath);
      return source.toString();
    }]]);
    return editDesignAndRegenerate(project, edits);
  },
  'scaffold:entity': async (project: AddProject, answers: Answers) => {
    const models = project.modelsPath;
    if (!models) fail('SCF080', 'the project has no domain model file to add an entity to', { file: join(project.dir, '.scaffold', 'config.json') }, 'add "models" to .scaffold/config.json, or use `scaffold add resource`, which edits the spec');
    const fields = parseFields(text(answers, 'fields'));
    return editDesignAndRegenerate(project, new Map([[models, (before: string) => addEntityToModel(before, pascalCase(text(answers, 'name')), fields, undefined, models)]]));
  },
  'scaffold:wire-middleware': async (project: AddProject, answers: Answers) => {
    const app = join(project.dir, 'src', 'app.ts');
    await writeFile(app, wireMiddleware(await readFile(app, 'utf8'), text(answers, 'name'), 'src/app.ts'));
    return 'src/app.ts';
  },
  'scaffold:map-error': async (project: AddProject, answers: Answers) => {
    const error = errorClass(text(answers, 'name'), Number(answers.status));
    const table = join(project.dir, 'src', 'errors', 'error-status.ts');
    const index = join(project.dir, 'src', 'errors', 'index.ts');
    const edited = mapError(await readFile(table, 'utf8'), await readFile(index, 'utf8').catch(() => ''), error);
    await writeFile(table, edited.statusTable);
    await writeFile(index, edited.index);
    return 'src/errors/error-status.ts, src/errors/index.ts';
  },
} satisfies Record<string, (project: AddProject, answers: Answers) => Promise<string>>;

/** What the plopfiles' actions and choices can use: `config.scaffold` in a plopfile. */
export interface ScaffoldContext {
  resources(): string[];
  errorClass(name: string, status: number): ErrorClass;
}
