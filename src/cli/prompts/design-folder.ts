import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What a design folder holds, as absolute paths. */
export interface DesignFiles {
  spec: string | undefined;
  /** Domain model files, the likeliest first (`domain.yaml` before `domain.overlay.yaml` or `domain.dbml`). */
  models: string[];
  /** A guidelines/conventions file: applied when YAML/JSON (docs/guidelines.md), reported when prose (SCF061). */
  guidelines: string | undefined;
  /** Every guidelines/conventions file scaffold can apply (YAML/JSON), in the order they are offered. */
  conventions: string[];
}

const SPEC_FILES = ['openapi.yaml', 'openapi.yml', 'openapi.json'];
const MODEL_FILE = /^domain(?:[.-][\w-]+)*\.(ya?ml|json|dbml|sql)$/i;
const MODEL_PREFERENCE = ['domain.yaml', 'domain.yml', 'domain.json', 'domain.dbml', 'domain.sql'];
const GUIDELINES_FILE = /^(?:guidelines|conventions)(?:[.-][\w-]+)*\.(?:md|ya?ml|json)$/i;
/** Guidelines written as data: the ones scaffold applies (a prose file is only reported, SCF061). */
export const APPLICABLE_GUIDELINES = /\.(?:ya?ml|json)$/i;

/**
 * The files of a design folder, as designs usually come: `openapi.(yaml|yml|json)`, the domain model
 * (`domain.*`) and a guidelines file, in the folder itself or in its `documents/` subfolder.
 */
export async function findDesignFiles(folder: string): Promise<DesignFiles> {
  const found: DesignFiles = { spec: undefined, models: [], guidelines: undefined, conventions: [] };
  for (const dir of [folder, join(folder, 'documents')]) {
    const names: string[] = await readdir(dir, { withFileTypes: true }).then(
      (entries) => entries.filter((e) => e.isFile()).map((e) => e.name),
      () => [],
    );
    found.spec ??= SPEC_FILES.filter((name) => names.includes(name)).map((name) => join(dir, name))[0];
    found.models.push(...names.filter((name) => MODEL_FILE.test(name)).sort(byPreference).map((name) => join(dir, name)));
    const guidelines = names.filter((name) => GUIDELINES_FILE.test(name)).sort().map((name) => join(dir, name));
    found.guidelines ??= guidelines[0];
    found.conventions.push(...guidelines.filter((path) => APPLICABLE_GUIDELINES.test(path)));
  }
  return found;
}

function byPreference(a: string, b: string): number {
  const rank = (name: string) => (MODEL_PREFERENCE.includes(name) ? MODEL_PREFERENCE.indexOf(name) : MODEL_PREFERENCE.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}
