import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodePlop, { type NodePlopAPI, type PlopCfg } from 'node-plop';
import { fail, ScaffoldError } from '../diagnostics/diagnostic.js';
import { checkPrompts, type Answers, type PlopPrompt } from './ask.js';
import { DESIGN_ACTIONS, DESIGN_EDIT_ACTIONS, type AddProject, type ScaffoldContext } from './design-actions.js';

const actionErrors = new WeakMap<NodePlopAPI, { error?: unknown }>();

/** scaffold's own plopfile, shipped in the package beside src/ and dist/. */
export const BUILT_IN_PLOPFILE = fileURLToPath(new URL('../../generators/plopfile.js', import.meta.url));

/** Where a project keeps its own generators: a plopfile at its root, as plop itself looks for one. */
export const PROJECT_PLOPFILES = ['plopfile.js', 'plopfile.mjs', 'plopfile.ts'] as const;

export interface AddGenerator {
  name: string;
  description: string;
  /** `scaffold`, or the project's plopfile (relative to the project). */
  source: string;
  prompts: PlopPrompt[];
  /**
   * Whether its actions (a list, not a function of the answers) only edit the design and regenerate
   * (`scaffold:resource`, `:endpoint`, `:entity`): then `--dry-run` can preview it.
   */
  editsDesignOnly: boolean;
  /** Runs the generator's actions with these answers; returns what each action did. */
  run(answers: Answers): Promise<string[]>;
}

/**
 * The generator registry: node-plop loads scaffold's plopfile and the project's, each in its own
 * instance (so their relative template paths resolve against their own folder), with the scaffold
 * action types registered in both. Files are written relative to the project directory.
 */
export async function loadGenerators(project: AddProject, context: ScaffoldContext): Promise<AddGenerator[]> {
  const generators = fromPlop(await plopInstance(BUILT_IN_PLOPFILE, project, context), 'scaffold', BUILT_IN_PLOPFILE);
  const teamFile = projectPlopfile(project.dir);
  if (teamFile === undefined) return generators;
  const team = fromPlop(await loadProjectPlopfile(teamFile, project, context), relative(project.dir, teamFile), teamFile);
  for (const generator of team) {
    if (generators.some((g) => g.name === generator.name)) {
      fail('SCF082', `the project's generator "${generator.name}" has the name of a built-in generator`, { file: teamFile }, 'rename it in the plopfile');
    }
  }
  return [...generators, ...team];
}

function projectPlopfile(dir: string): string | undefined {
  const found = PROJECT_PLOPFILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
  if (found.length > 1) fail('SCF081', `the project has several plopfiles (${found.map((p) => relative(dir, p)).join(', ')}); scaffold add loads one`, { file: found[0] }, 'keep one of them');
  return found[0];
}

async function plopInstance(file: string, project: AddProject, context: ScaffoldContext): Promise<NodePlopAPI> {
  const plop = await nodePlop(file, { destBasePath: project.dir, force: false, scaffold: context } as PlopCfg);
  const failed: { error?: unknown } = {};
  actionErrors.set(plop, failed);
  for (const [type, action] of Object.entries(DESIGN_ACTIONS)) {
    plop.setActionType(type, async (answers) => {
      try {
        return await action(project, answers);
      } catch (error) {
        // node-plop keeps only the message of a failed action; the diagnostic is kept here.
        failed.error ??= error;
        throw error;
      }
    });
  }
  return plop;
}

/**
 * A project plopfile: .js/.mjs as they are; .ts through tsx's loader (Node 20 cannot strip types),
 * registered only while the file is imported.
 */
async function loadProjectPlopfile(file: string, project: AddProject, context: ScaffoldContext): Promise<NodePlopAPI> {
  const unregister = file.endsWith('.ts') ? (await import('tsx/esm/api')).register() : undefined;
  try {
    return await plopInstance(file, project, context);
  } catch (error) {
    if (error instanceof ScaffoldError) throw error;
    return fail('SCF081', `${relative(project.dir, file)} could not be loaded: ${(error as Error).message.split('\n')[0]}`, { file }, 'fix the plopfile; `node --import tsx` (for .ts) or `node` on it shows the full error');
  } finally {
    await unregister?.();
  }
}

function fromPlop(plop: NodePlopAPI, source: string, file: string): AddGenerator[] {
  return plop.getGeneratorList().map(({ name, description }) => {
    const generator = plop.getGenerator(name);
    return {
      name,
      description: description ?? '',
      source,
      prompts: checkPrompts(name, generator.prompts, file),
      editsDesignOnly:
        Array.isArray(generator.actions) &&
        generator.actions.length > 0 &&
        generator.actions.every((action) => typeof action === 'object' && action !== null && 'type' in action && DESIGN_EDIT_ACTIONS.includes(action.type)),
      async run(answers) {
        // node-plop records a failed action (and skips the rest); a refused edit keeps its own diagnostic.
        const slot = actionErrors.get(plop)!;
        slot.error = undefined;
        const { changes, failures } = await generator.runActions(answers);
        const failed = failures[0];
        if (slot.error instanceof ScaffoldError) throw slot.error;
        if (slot.error) throw slot.error;
        if (failed) fail('SCF084', `generator "${name}", action ${failed.type}${failed.path ? ` (${failed.path})` : ''}: ${failed.error}`, { file });
        return changes.map((c) => `${c.type}: ${c.path}`);
      },
    };
  });
}
