import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { fail, ScaffoldError, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { onlyUnknownFieldTypes, schemaErrorsOf } from './domain-model-errors.js';
import { designRootOf, placeInRoot } from './design-root.js';
import type { DomainModelDocument, OverlayDocument } from './domain-model-types.js';
import { readInputFile } from './read-document.js';
import { readLocatedYaml, type LocatedDocument } from './located-yaml.js';
import { readStructure, type StructureFormat } from './structure/read-structure.js';
import { pointer, structureToDocument, type Overlay } from './structure/structure-to-document.js';

export interface LoadedDomainModel {
  path: string;
  document: DomainModelDocument;
  locate: LocatedDocument['locate'];
  /** Read from a structure (DBML, SQL): every table's id column says its identity, so no default applies. */
  fromStructure?: true;
}

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'domain-model.schema.json');

/**
 * Reads a domain model and checks it against its published JSON Schema, with located errors. The
 * model is a YAML/JSON file in our format; or a DBML (`.dbml`) or PostgreSQL DDL (`.sql`) file, which
 * gives structure only; or an overlay in our format whose `structure` names such a file and which adds
 * the behaviour. All three give the same document, so everything after loading is the same.
 * `modelText`, when given, is the file's content, read instead of the disk.
 */
export async function loadDomainModel(modelPath: string, modelText?: string, designFolder?: string): Promise<LoadedDomainModel> {
  const path = resolve(modelPath);
  const format = structureFormat(path);
  if (format) return fromStructure(path, modelText === undefined ? await readStructureFile(path, format) : await readStructure(modelText, path, format), undefined);

  const text = modelText ?? (await readInputFile(path, 'the domain model'));
  const located = readLocatedYaml(path, text);
  await validate(located.value, located.locate);

  const structure = (located.value as Partial<OverlayDocument>).structure;
  if (typeof structure !== 'string') return { path, document: located.value as DomainModelDocument, locate: located.locate };
  const structurePath = resolve(dirname(path), structure);
  const root = designRootOf(path, designFolder);
  const place = await placeInRoot(root, structurePath);
  if (place === 'outside') {
    fail('SCF007', `the structure ${structurePath} is not a file inside the design root ${root}: a model may only name files in that folder`, located.locate(['structure']), 'move the structure file into the design folder, or pass --design with the folder that holds every file of the design');
  }
  const structureFile = await readStructureFile(structurePath, structureFormat(structurePath) ?? 'dbml', located.locate(['structure']));
  return fromStructure(path, structureFile, { document: located.value as OverlayDocument, locate: located.locate, value: located.value });
}

function structureFormat(path: string): StructureFormat | undefined {
  const extension = extname(path).toLowerCase();
  return extension === '.dbml' ? 'dbml' : extension === '.sql' ? 'postgres' : undefined;
}

async function readStructureFile(path: string, format: StructureFormat, from?: SourceLocation) {
  return readStructure(await readInputFile(path, `the ${format === 'dbml' ? 'DBML' : 'SQL'} structure`, from), path, format);
}

/**
 * The document from a structure (and overlay), checked like a model file. A problem is located where
 * the part it names was written: a column in the structure file, an invariant in the overlay. Of the
 * two, the one that has the deeper part of the path wins; on a tie (an entity), the structure.
 */
async function fromStructure(path: string, structure: Awaited<ReturnType<typeof readStructure>>, overlay: (Overlay & { value: unknown }) | undefined): Promise<LoadedDomainModel> {
  const converted = structureToDocument(structure, overlay);
  if (converted.diagnostics.length > 0) throw new ScaffoldError(converted.diagnostics);
  const locate = (at: readonly (string | number)[]): SourceLocation => {
    let structureDepth = -1;
    let found: SourceLocation | undefined;
    for (let depth = at.length; depth >= 1 && found === undefined; depth -= 1) {
      found = converted.locations.get(pointer(at.slice(0, depth)));
      if (found) structureDepth = depth;
    }
    if (overlay && existingDepth(overlay.value, at) > structureDepth) return overlay.locate(at);
    return { ...(found ?? { file: structure.file }), pointer: pointer(at) };
  };
  await validate(converted.document, locate);
  return { path, document: converted.document, locate, fromStructure: true };
}

/** How many leading segments of `path` exist in `value`. */
function existingDepth(value: unknown, path: readonly (string | number)[]): number {
  let node = value;
  for (let depth = 0; depth < path.length; depth += 1) {
    if (node === null || typeof node !== 'object' || !(String(path[depth]) in node)) return depth;
    node = (node as Record<string, unknown>)[String(path[depth])];
  }
  return path.length;
}

let compiled: ValidateFunction | undefined;

/**
 * Checks the model against its schema. A field type no scalar or value object is spelled like (`uid`)
 * is left to the model check when it is the only kind of problem, so it is reported with the model's
 * other unknown names; with other schema errors it is reported here, in the same words.
 */
async function validate(value: unknown, locate: LocatedDocument['locate']): Promise<void> {
  compiled ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as object);
  if (compiled(value)) return;
  const diagnostics = dedupe(schemaErrorsOf(compiled.errors ?? [], value, locate));
  if (onlyUnknownFieldTypes(diagnostics)) return;
  throw new ScaffoldError(diagnostics.sort(byPosition));
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const at = (d: Diagnostic) => [d.location?.file ?? '', d.location?.line ?? 0, d.location?.column ?? 0] as const;
  const [fileA, lineA, columnA] = at(a);
  const [fileB, lineB, columnB] = at(b);
  return fileA.localeCompare(fileB) || lineA - lineB || columnA - columnB;
}

function dedupe(items: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.location?.pointer ?? ''} ${item.message}`;
    return !seen.has(key) && seen.add(key);
  });
}
