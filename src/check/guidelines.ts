import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { LAYER_NAMES, type Guidelines, type LayerName, type RuleName } from '../load/guidelines-types.js';
import { followsCase, layerOf } from '../plan/guidelines-layout.js';
import { sectionStatus, type CheckRow, type CheckSection } from './check-result.js';
import { findCycles, listTypeScriptFiles, readModules, type ProjectModule } from './import-graph.js';

/** Packages a model must not import: the web framework and the persistence stack. */
const FRAMEWORK = /^(?:fastify|@fastify\/|fastify-|drizzle-orm|drizzle-kit|pg$|pg\/|postgres$|@electric-sql\/pglite)/;

export interface GuidelinesInput {
  project: string;
  guidelines: Guidelines;
  /** The project files the generator plans (project-relative): a layer with none needs no folder. */
  plannedPaths: readonly string[];
  /** The spec's operations, each of which needs a route handler. */
  operationIds: readonly string[];
}

/**
 * The guidelines section of `scaffold check`: the project on disk against its guidelines (docs/guidelines.md).
 * One passing row per rule that holds, one failing row per offending file (and line).
 */
export async function guidelinesSection(input: GuidelinesInput): Promise<CheckSection> {
  const { project, guidelines } = input;
  const modules = await readModules(project, await listTypeScriptFiles(project, 'src'));
  const rows: CheckRow[] = [
    ...check('layer-folders', layerFolders(input), 'every layer folder exists'),
    ...check('file-case', fileCase(modules, guidelines), `every file name under src/ is ${guidelines.fileCase} case`),
    ...check('file-suffixes', fileSuffixes(modules, guidelines), 'layer files lie in their folders, their classes end with the layer suffix'),
  ];
  const rules: Record<RuleName, () => CheckRow[]> = {
    'controllers-no-repositories': () => check('controllers-no-repositories', controllersNoRepositories(modules, guidelines), 'no controller imports a repository'),
    'models-no-framework': () => check('models-no-framework', modelsNoFramework(modules, guidelines), 'no model imports framework code'),
    'no-circular-imports': () => check('no-circular-imports', circularImports(modules), 'no import cycle under src/'),
    'operations-have-handlers': () => check('operations-have-handlers', operationsHaveHandlers(modules, input), `${input.operationIds.length} operations, each with a route handler`),
  };
  for (const [rule, run] of Object.entries(rules) as [RuleName, () => CheckRow[]][]) if (guidelines.rules[rule]) rows.push(...run());
  return { name: 'guidelines', title: 'Guidelines', status: sectionStatus(rows), results: rows };
}

type Finding = Omit<CheckRow, 'check' | 'status'>;

function check(name: string, findings: Finding[], passed: string): CheckRow[] {
  if (findings.length === 0) return [{ check: name, status: 'pass', detail: passed }];
  return findings.map((finding) => ({ check: name, status: 'fail', ...finding }));
}

const at = (file: string, line: number) => ({ file, line });

function layerFolders({ project, guidelines, plannedPaths }: GuidelinesInput): Finding[] {
  return LAYER_NAMES.filter((name) => plannedPaths.some((path) => layerOf(path, guidelines) === name))
    .filter((name) => !existsSync(join(project, guidelines.layers[name].path)))
    .map((name) => ({ file: guidelines.layers[name].path, detail: `the ${name} folder is missing` }));
}

function fileCase(modules: readonly ProjectModule[], guidelines: Guidelines): Finding[] {
  return modules
    .filter((m) => {
      const name = posix.basename(m.path);
      return !followsCase(name.slice(0, name.indexOf('.')), guidelines.fileCase);
    })
    .map((m) => ({ file: m.path, detail: `the name is not ${guidelines.fileCase} case` }));
}

/** `orders.handler.gen.ts` -> `.handler`; `app.ts` -> undefined. */
function fileSuffixOf(path: string): string | undefined {
  return /^[^.]+(\.[^.]+)(?:\.gen)?\.ts$/.exec(posix.basename(path))?.[1];
}

function fileSuffixes(modules: readonly ProjectModule[], guidelines: Guidelines): Finding[] {
  const findings: Finding[] = [];
  for (const module of modules) {
    const suffix = fileSuffixOf(module.path);
    const layer = LAYER_NAMES.find((name) => guidelines.layers[name].fileSuffix === suffix);
    if (!layer) continue;
    const convention = guidelines.layers[layer];
    if (layerOf(module.path, guidelines) !== layer) findings.push({ file: module.path, detail: `a ${convention.fileSuffix} file outside ${convention.path}` });
    if (convention.classSuffix === '') continue;
    for (const cls of module.classes) {
      if (!cls.name.endsWith(convention.classSuffix) && !cls.name.endsWith(`${convention.classSuffix}Base`)) {
        findings.push({ ...at(module.path, cls.line), detail: `class ${cls.name} does not end with ${convention.classSuffix}` });
      }
    }
  }
  return findings;
}

function inLayer(modules: readonly ProjectModule[], guidelines: Guidelines, layer: LayerName): ProjectModule[] {
  return modules.filter((m) => layerOf(m.path, guidelines) === layer);
}

function controllersNoRepositories(modules: readonly ProjectModule[], guidelines: Guidelines): Finding[] {
  return inLayer(modules, guidelines, 'controllers').flatMap((module) =>
    module.imports
      .filter((i) => i.target !== undefined && layerOf(i.target, guidelines) === 'repositories')
      .map((i) => ({ ...at(module.path, i.line), detail: `a controller imports the repository module ${i.target}: go through a service` })),
  );
}

function modelsNoFramework(modules: readonly ProjectModule[], guidelines: Guidelines): Finding[] {
  return inLayer(modules, guidelines, 'models').flatMap((module) =>
    module.imports.filter((i) => FRAMEWORK.test(i.specifier)).map((i) => ({ ...at(module.path, i.line), detail: `a model imports framework code (${i.specifier})` })),
  );
}

function circularImports(modules: readonly ProjectModule[]): Finding[] {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  return findCycles(modules).map((cycle) => {
    const first = cycle[0] as string;
    const into = byPath.get(first)?.imports.find((i) => !i.typeOnly && i.target !== undefined && cycle.includes(i.target));
    return { ...(into ? at(first, into.line) : { file: first }), detail: `import cycle: ${cycle.join(' -> ')} -> ${first}` };
  });
}

/** Every operation of the spec appears in the route table (`routes.gen.ts` of the controllers folder). */
function operationsHaveHandlers(modules: readonly ProjectModule[], { guidelines, operationIds }: GuidelinesInput): Finding[] {
  const table = inLayer(modules, guidelines, 'controllers').find((m) => posix.basename(m.path).toLowerCase() === 'routes.gen.ts');
  const routed = new Set(table?.routedOperations ?? []);
  return operationIds.filter((id) => !routed.has(id)).map((id) => ({ file: table?.path ?? guidelines.layers.controllers.path, detail: `operation ${id} has no route handler` }));
}
