import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DiagnosticCode } from '../../src/diagnostics/diagnostic.js';
import type { GenerateOptions } from '../../src/options/options-schema.js';
import { REPO_ROOT } from './fixtures.js';

/**
 * The hostile corpus: one folder per attack under test/fixtures/hostile/, each a design root holding
 * `openapi.(yaml|json)`, any file it references, and `case.json` saying what must happen.
 */
export const HOSTILE_DIR = resolve(REPO_ROOT, 'test', 'fixtures', 'hostile');

export interface HostileCase {
  id: string;
  dir: string;
  spec: string;
  about: string;
  /** `compiles`: generates, and the project type-checks and starts; otherwise the diagnostic that must stop the run. */
  expect: 'compiles' | { diagnostic: DiagnosticCode };
  models?: string;
  options: Partial<GenerateOptions>;
  /** Text that no generated file may contain (a leaked secret, say). */
  mustNotContain: string[];
  /** Per path the started server answers GET on, text its body must not contain (unescaped markup, say). */
  served: Record<string, string[]>;
}

interface CaseFile {
  about?: unknown;
  expect?: unknown;
  models?: unknown;
  options?: unknown;
  mustNotContain?: unknown;
  served?: unknown;
}

export function hostileCases(): HostileCase[] {
  return readdirSync(HOSTILE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readCase(entry.name))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function readCase(id: string): HostileCase {
  const dir = join(HOSTILE_DIR, id);
  const file = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
  const invalid = (what: string): never => {
    throw new Error(`test/fixtures/hostile/${id}/case.json: ${what}`);
  };
  const spec = ['openapi.yaml', 'openapi.yml', 'openapi.json'].map((name) => join(dir, name)).find((path) => existsSync(path)) ?? invalid('no openapi.(yaml|yml|json) beside it');
  if (typeof file.about !== 'string' || file.about.length === 0) invalid('"about" must say what the attack is');
  const expected = file.expect;
  const isDiagnostic = (value: unknown): value is { diagnostic: DiagnosticCode } =>
    typeof value === 'object' && value !== null && typeof (value as { diagnostic?: unknown }).diagnostic === 'string' && /^SCF\d{3}$/.test((value as { diagnostic: string }).diagnostic);
  if (expected !== 'compiles' && !isDiagnostic(expected)) invalid('"expect" must be "compiles" or { "diagnostic": "SCFnnn" }');
  if (file.models !== undefined && typeof file.models !== 'string') invalid('"models" must name a file of the case');
  if (file.mustNotContain !== undefined && !(Array.isArray(file.mustNotContain) && file.mustNotContain.every((s) => typeof s === 'string'))) invalid('"mustNotContain" must be a list of strings');
  const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((s) => typeof s === 'string');
  if (file.served !== undefined && !(typeof file.served === 'object' && file.served !== null && Object.values(file.served).every(isTextList))) invalid('"served" must map paths to lists of strings');
  if (file.options !== undefined && (typeof file.options !== 'object' || file.options === null)) invalid('"options" must be an object of generate options');
  return {
    id,
    dir,
    spec,
    about: file.about as string,
    expect: expected as HostileCase['expect'],
    ...(typeof file.models === 'string' && { models: join(dir, file.models) }),
    // `null` in case.json stands for an option left out (`"name": null`: the name comes from the spec's title).
    options: Object.fromEntries(Object.entries(file.options ?? {}).map(([key, value]) => [key, value ?? undefined])) as Partial<GenerateOptions>,
    mustNotContain: (file.mustNotContain ?? []) as string[],
    served: (file.served ?? {}) as Record<string, string[]>,
  };
}
