import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaffoldError } from '../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../src/model/domain/build-domain.js';
import type { DomainModel } from '../../src/model/domain/types.js';

/** The domain model a YAML text declares, loaded from a file as the CLI loads it. */
export async function modelOf(text: string): Promise<DomainModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-domain-'));
  await writeFile(join(dir, 'domain.yaml'), text);
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

/** What is wrong with a model text, as `<code> <message>` lines; none when it builds. */
export async function problemsOf(text: string): Promise<string[]> {
  try {
    await modelOf(text);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics.map((d) => `${d.code} ${d.message}`);
    throw error;
  }
  return [];
}
