import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, fail, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_GUIDELINES, LAYER_NAMES, type Guidelines, type GuidelinesDocument, type LayerName } from './guidelines-types.js';
import { readLocatedYaml, type LocatedDocument } from './located-yaml.js';
import { readInputFile } from './read-document.js';

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'guidelines.schema.json');

export interface LoadedGuidelines {
  guidelines: Guidelines;
  /** Notes on the file for the run's report (none today: every setting is applied). */
  diagnostics: Diagnostic[];
}

/**
 * Reads a guidelines file (YAML or JSON) and checks it against schemas/guidelines.schema.json; every
 * problem is reported at its file, line and column (SCF070), all of them at once.
 */
export async function loadGuidelines(guidelinesPath: string): Promise<LoadedGuidelines> {
  const path = resolve(guidelinesPath);
  const text = await readInputFile(path, 'the guidelines file');
  const located = readLocatedYaml(path, text);
  const value = located.value ?? {};
  await validate(value, located.locate);
  const written = value as GuidelinesDocument;
  checkLayersApart(written, located.locate);
  return { guidelines: resolveGuidelines(written, path), diagnostics: [] };
}

/** The guidelines of a run: the named file's, or the defaults when none is named. */
export async function loadGuidelinesOption(path: string | undefined): Promise<LoadedGuidelines> {
  return path === undefined ? { guidelines: DEFAULT_GUIDELINES, diagnostics: [] } : loadGuidelines(path);
}

/** The document's settings over the defaults. */
export function resolveGuidelines(written: GuidelinesDocument, file?: string): Guidelines {
  const layers = Object.fromEntries(LAYER_NAMES.map((name) => [name, { ...DEFAULT_GUIDELINES.layers[name], ...written.layers?.[name] }])) as Guidelines['layers'];
  return {
    ...(file !== undefined && { file }),
    fileCase: written.fileCase ?? DEFAULT_GUIDELINES.fileCase,
    layers,
    ...(written.apiPrefix !== undefined && { apiPrefix: written.apiPrefix }),
    ...(written.errorEnvelope !== undefined && { errorEnvelope: written.errorEnvelope }),
    ...(written.idType !== undefined && { idType: written.idType }),
    rules: { ...DEFAULT_GUIDELINES.rules, ...written.rules },
  };
}

/** Two layers in one folder, or with one file suffix, could not be told apart by `scaffold check`. */
function checkLayersApart(written: GuidelinesDocument, locate: LocatedDocument['locate']): void {
  const resolved = resolveGuidelines(written);
  const problems: Diagnostic[] = [];
  for (const key of ['path', 'fileSuffix'] as const) {
    const seen = new Map<string, LayerName>();
    for (const name of LAYER_NAMES) {
      const value = resolved.layers[name][key];
      const other = seen.get(value);
      if (other) problems.push(error('SCF070', `/layers/${name}/${key}: ${JSON.stringify(value)} is also the ${key} of ${other}`, locate(['layers', name, key]), 'give every layer its own folder and file suffix'));
      seen.set(value, name);
    }
  }
  if (problems.length > 0) throw new ScaffoldError(problems);
}

let compiled: ValidateFunction | undefined;

async function validate(value: unknown, locate: LocatedDocument['locate']): Promise<void> {
  compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as object);
  if (compiled(value)) return;
  const seen = new Set<string>();
  const diagnostics = (compiled.errors ?? []).flatMap((e) => {
    const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const what =
      e.keyword === 'additionalProperties'
        ? `unknown property "${String(e.params.additionalProperty)}"`
        : e.keyword === 'enum'
          ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? 'is invalid');
    const message = `${e.instancePath || '(document)'}: ${what}`;
    if (seen.has(message)) return [];
    seen.add(message);
    const at = e.keyword === 'additionalProperties' ? [...segments, String(e.params.additionalProperty)] : segments;
    return [error('SCF070', message, locate(at), 'see docs/guidelines.md')];
  });
  throw new ScaffoldError(diagnostics);
}
