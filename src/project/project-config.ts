import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import { CONFIG_PATH } from '../write/manifest.js';

/**
 * `.scaffold/config.json`: the inputs and options of the last generation, so that `scaffold generate`
 * inside the project needs no flags. Paths are relative to the project directory.
 * Its JSON Schema is `schemas/project-config.schema.json`, copied beside it.
 */
export interface ProjectConfig {
  $schema: string;
  schemaVersion: 1;
  spec: string;
  models?: string;
  /** The guidelines file (docs/guidelines.md), relative to the project directory. */
  guidelines?: string;
  /** Without models: `infer` (default) or `none`. */
  persistence?: 'infer' | 'none';
  /** The design folder (`--design`), relative to the project directory: the files a `$ref` may name. */
  design?: string;
  /** `--allow-remote-refs`: http(s) references are fetched. */
  allowRemoteRefs?: true;
  name: string;
  /**
   * An ES module exporting handlebars `helpers` and/or `partials` for the project's templates
   * (docs/templates.md). Set by hand; every generation keeps it.
   */
  templateHelpers?: string;
}

export const CONFIG_SCHEMA_FILE = 'config.schema.json';

export function createProjectConfig(
  outDir: string,
  input: { spec: string; models: string | undefined; guidelines?: string | undefined; persistence: 'infer' | 'none' | undefined; design?: string | undefined; allowRemoteRefs?: boolean | undefined; name: string; templateHelpers?: string },
): ProjectConfig {
  const toProject = (path: string) => relative(outDir, resolve(path)).split('\\').join('/');
  return {
    $schema: `./${CONFIG_SCHEMA_FILE}`,
    schemaVersion: 1,
    spec: toProject(input.spec),
    ...(input.models !== undefined && { models: toProject(input.models) }),
    ...(input.guidelines !== undefined && { guidelines: toProject(input.guidelines) }),
    ...(input.models === undefined && input.persistence === 'none' && { persistence: 'none' as const }),
    // Only a design folder that reaches further than the spec's own folder changes what references may name.
    ...(input.design !== undefined && resolve(input.design) !== dirname(resolve(input.spec)) && { design: toProject(input.design) }),
    ...(input.allowRemoteRefs === true && { allowRemoteRefs: true as const }),
    name: input.name,
    ...(input.templateHelpers !== undefined && { templateHelpers: input.templateHelpers }),
  };
}

/** Reads the config of an existing project, or undefined when the directory has none. */
export async function readProjectConfig(projectDir: string): Promise<ProjectConfig | undefined> {
  const path = join(projectDir, CONFIG_PATH);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let value: Partial<ProjectConfig>;
  try {
    value = JSON.parse(text) as Partial<ProjectConfig>;
  } catch (cause) {
    fail('SCF023', `${CONFIG_PATH} is not valid JSON: ${(cause as Error).message}`, { file: path });
  }
  if (value.schemaVersion !== 1) fail('SCF023', `${CONFIG_PATH} has unsupported schemaVersion ${JSON.stringify(value.schemaVersion)}`, { file: path });
  if (typeof value.spec !== 'string' || typeof value.name !== 'string') fail('SCF023', `${CONFIG_PATH} must name "spec" and "name"`, { file: path });
  if (value.templateHelpers !== undefined && typeof value.templateHelpers !== 'string') fail('SCF023', `${CONFIG_PATH}: "templateHelpers" must be a path`, { file: path });
  if (value.design !== undefined && typeof value.design !== 'string') fail('SCF023', `${CONFIG_PATH}: "design" must be a path`, { file: path });
  if (value.allowRemoteRefs !== undefined && value.allowRemoteRefs !== true) fail('SCF023', `${CONFIG_PATH}: "allowRemoteRefs" can only be true`, { file: path });
  return value as ProjectConfig;
}

export function resolveFromProject(projectDir: string, path: string): string {
  return isAbsolute(path) ? path : join(projectDir, path);
}
