import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { error, fail, ScaffoldError } from '../diagnostics/diagnostic.js';
import type { DomainModelDocument } from './domain-model-types.js';
import { locatedDocument, parseLocatedYaml, type LocatedDocument } from './located-yaml.js';

export interface LoadedDomainModel {
  path: string;
  document: DomainModelDocument;
  locate: LocatedDocument['locate'];
}

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'domain-model.schema.json');

/** Reads a domain model file and checks it against its published JSON Schema, with located errors. */
export async function loadDomainModel(modelPath: string): Promise<LoadedDomainModel> {
  const path = resolve(modelPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    fail('SCF001', `cannot read the domain model ${path}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { file: path });
  }
  const { document, lineCounter } = parseLocatedYaml(text);
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    fail('SCF002', `syntax error: ${first.message.split('\n')[0]}`, { file: path, line, column: col });
  }
  const located = locatedDocument(path, document, lineCounter);

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as object);
  if (!validate(located.value)) {
    const diagnostics = (validate.errors ?? [])
      .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf')
      .map((e) => {
        const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        const where = e.keyword === 'additionalProperties' ? `unknown property "${String(e.params.additionalProperty)}"` : e.keyword === 'propertyNames' ? `invalid name "${String(e.params.propertyName)}"` : e.message ?? 'is invalid';
        return error('SCF030', `${e.instancePath || '(document)'}: ${where}`, located.locate(e.keyword === 'propertyNames' ? [...segments, String(e.params.propertyName)] : segments));
      });
    throw new ScaffoldError(dedupe(diagnostics));
  }
  return { path, document: located.value as DomainModelDocument, locate: located.locate };
}

function dedupe<T extends { message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.message) && seen.add(item.message));
}
