import { contentHash } from '../cache/content-hash.js';
import type { GlobalContext, OpenAPI3 } from 'openapi-typescript';
import { isRecord } from '../model/json-schema.js';
import type { RunCache } from '../cache/run-cache.js';
import { loadOpenApiTypescript, openApiTypescript } from './openapi-typescript-lib.js';
import { scanDiscriminatorsOnce } from './scan-discriminators.js';

/**
 * openapi-typescript's output, assembled from pieces: one per path item and one per component, each
 * transformed by openapi-typescript's own `transformSchema` on a document holding that piece alone (with
 * refs resolved and discriminators scanned against the whole document, as the whole run does), printed,
 * and cut out of the printed text. A one-operation change re-transforms one path item instead of the whole
 * spec. Each piece's text is cached under the piece, every component (refs resolve into them) and the
 * discriminators, so a hit is always what the transform would print.
 *
 * The whole run also lints and bundles its input. The input is already bundled by the load stage (so only
 * local refs remain) and linted there with `struct` and `no-unresolved-refs` as errors; the one error of
 * openapi-typescript's lint the load stage does not raise, a duplicate operationId, sends the spec to the
 * whole run (which reports it), as does any construct this assembly does not cover: webhooks, `$defs`,
 * path items among the components, refs outside `#/components/`. Returns undefined for those.
 */
export function generateTypesInPieces(input: unknown, options: PieceOptions, cache: RunCache, keyParts: readonly string[]): Promise<AssembledTypes> | undefined {
  if (!coveredByPieces(input)) return undefined;
  return assemble(input, options, cache, keyParts);
}

/** The assembled types, and what each path item contributed to them (see openapi-types-by-item.ts). */
export interface AssembledTypes {
  text: string;
  items: PathItemTypes[];
}

/** A path item's lines in the `paths` interface (its member) and in the `operations` interface. */
export interface PathItemTypes {
  url: string;
  member: string[];
  operations: string[];
  /** What printing it added to openapi-typescript's footer, in order. */
  footer: Footer[];
}

/**
 * The declarations openapi-typescript adds after the components as the transforms ask for them (with
 * these options): the `operations` interface, at the first operation with an operationId, and the
 * `WithRequired` helper, at the first `allOf` that requires properties of a ref. Their order in the whole
 * file is the order the whole run first asked for them, piece by piece in the document's order.
 */
export type Footer = 'operations' | 'WithRequired';

export interface PieceOptions {
  alphabetize: false;
  silent: true;
  readWriteMarkers: true;
}

const COLLECTIONS = ['schemas', 'responses', 'parameters', 'requestBodies', 'headers'] as const;

/**
 * Prints pieces of a prepared document with openapi-typescript's transforms, against the whole of it:
 * its discriminators are scanned once (which patches the schemas they map, as the whole run does).
 */
export async function createPiecePrinter(document: Record<string, unknown>, options: PieceOptions) {
  const { astToString, transformSchema } = await loadOpenApiTypescript();
  const schema = document as unknown as OpenAPI3;
  const discriminators = scanDiscriminatorsOnce(schema, options);
  const print = (piece: Record<string, unknown>) => astToString(transformSchema(piece as unknown as OpenAPI3, createContext(schema, discriminators)));
  return {
    discriminators,
    print,
    /** The lines one path item contributes and its footer, as JSON `[member, operations, footer]` (the lines undefined when absent). */
    pathItem: (url: string, item: unknown) => {
      const printed = print({ paths: { [url]: item } });
      return JSON.stringify([body(printed, PATHS, ''), body(printed, OPERATIONS, ''), footerOf(printed.split('\n'))]);
    },
  };
}

async function assemble(document: Record<string, unknown>, options: PieceOptions, cache: RunCache, keyParts: readonly string[]): Promise<AssembledTypes> {
  const { discriminators, print, pathItem } = await createPiecePrinter(document, options);
  const components = isRecord(document.components) ? document.components : undefined;
  const context = contentHash(JSON.stringify([discriminators, components ?? null]));
  const memo = (kind: string, piece: Record<string, unknown>, compute: () => string) => cache.memo([...keyParts, 'piece', PIECE_FORMAT, kind, context], JSON.stringify(piece), async () => compute());

  // Path items, in order: the `paths` member and the `operations` members each one contributes.
  const paths = isRecord(document.paths) ? Object.entries(document.paths) : [];
  const pathPieces = await Promise.all(
    paths.map(async ([url, item]) => {
      const text = await memo('path', { paths: { [url]: item } }, () => pathItem(url, item));
      const [member, operations, footer] = JSON.parse(text) as [string[] | undefined, string[] | undefined, Footer[]];
      return { url, item, member: member ?? [], operations: operations ?? [], footer };
    }),
  );
  const collections = await Promise.all(
    COLLECTIONS.map(async (collection) => {
      const entries = components && isRecord(components[collection]) ? Object.entries(components[collection]) : [];
      const members = await Promise.all(
        entries.map(async ([name, item]) => {
          const piece = { components: { [collection]: { [name]: item } } };
          const text = await memo(collection, piece, () => {
            const printed = print(piece);
            return JSON.stringify([componentBody(printed, collection) ?? [], footerOf(printed.split('\n'))]);
          });
          return JSON.parse(text) as [string[], Footer[]];
        }),
      );
      return { collection, entries, members: members.flatMap(([lines]) => lines), footer: members.flatMap(([, footer]) => footer) };
    }),
  );

  // The frame: the document with one piece per non-empty part, whose bodies are then replaced by all of them.
  const framePath = pathPieces.find((piece) => piece.operations.length > 0) ?? pathPieces.find((piece) => piece.member.length > 0);
  const frame: Record<string, unknown> = {};
  if (document.paths !== undefined) frame.paths = framePath ? { [framePath.url]: framePath.item } : document.paths;
  if (components) {
    frame.components = { ...components };
    for (const { collection, entries, members } of collections) {
      if (members.length > 0) (frame.components as Record<string, unknown>)[collection] = Object.fromEntries(entries.slice(0, 1));
    }
  }
  // The frame's footer is its own pieces'; the whole file's is every piece's, in the order they came.
  const footer = mergeFooters([...pathPieces.map((piece) => piece.footer), ...collections.map((collection) => collection.footer)]);
  let lines = withFooter(print(frame).split('\n'), footer);
  if (framePath) {
    lines = replaceBody(lines, PATHS, '', 0, pathPieces.flatMap((piece) => piece.member));
    const operations = pathPieces.flatMap((piece) => piece.operations);
    if (operations.length > 0) lines = replaceBody(lines, OPERATIONS, '', 0, operations);
  }
  const componentsAt = lines.indexOf('export interface components {');
  for (const { collection, members } of collections) {
    if (members.length > 0) lines = replaceBody(lines, `    ${collection}: {`, '    ', componentsAt, members);
  }
  return { text: lines.join('\n'), items: pathPieces.map(({ url, member, operations, footer }) => ({ url, member, operations, footer })) };
}

/** Cached pieces are `[lines, footer]`; entries of an earlier layout are not read as this one. */
const PIECE_FORMAT = 'with-footer';
/** The first lines of the interfaces the path items print into, as openapi-typescript prints them. */
export const PATHS = 'export interface paths {';
export const OPERATIONS = 'export interface operations {';
/** openapi-typescript's `WithRequired` helper, as it prints it. */
const WITH_REQUIRED = ['type WithRequired<T, K extends keyof T> = T & {', '    [P in K]-?: T[P];', '};'];

/** What a printed piece's footer holds, in order. */
function footerOf(lines: readonly string[]): Footer[] {
  const found = ([['operations', lines.indexOf(OPERATIONS)], ['WithRequired', lines.indexOf(WITH_REQUIRED[0]!)]] as const).filter(([, at]) => at >= 0);
  return found.sort(([, a], [, b]) => a - b).map(([name]) => name);
}

/** The footer of pieces printed together: each declaration where a piece first asked for it. */
export function mergeFooters(footers: readonly (readonly Footer[])[]): Footer[] {
  return [...new Set(footers.flat())];
}

/**
 * Printed lines with `WithRequired` where `footer` has it: before the operations when it came first,
 * else after them (the `operations` alias of a document without operations comes after the whole footer).
 */
function withFooter(lines: string[], footer: readonly Footer[]): string[] {
  const declared = lines.indexOf(WITH_REQUIRED[0]!);
  const without = declared < 0 ? lines : [...lines.slice(0, declared), ...lines.slice(declared + WITH_REQUIRED.length)];
  if (!footer.includes('WithRequired')) return without;
  const operationsAt = without.indexOf(OPERATIONS);
  const at =
    operationsAt < 0
      ? without.indexOf('export type operations = Record<string, never>;')
      : footer.indexOf('WithRequired') < footer.indexOf('operations')
        ? operationsAt
        : closing(without, operationsAt, '') + 1;
  if (at < 0) throw new Error('openapi-typescript printed no "operations"');
  return [...without.slice(0, at), ...WITH_REQUIRED, ...without.slice(at)];
}

/** What openapiTS builds from its options (openapi-typescript 7's defaults), for the options used here. */
function createContext(schema: OpenAPI3, discriminators: GlobalContext['discriminators']): GlobalContext {
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators,
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as unknown as GlobalContext['redoc'], // not read by the transforms
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: true,
    resolve($ref: string) {
      return openApiTypescript().resolveRef(schema, $ref, { silent: true });
    },
  } as GlobalContext;
}

/** The lines between `header` (at or after line `from`) and its closing `}`/`};` at `indent`. */
function body(printed: string, header: string, indent: string, from = 0): string[] | undefined {
  const lines = printed.split('\n');
  const start = lines.indexOf(header, from);
  if (start < 0) return undefined;
  const end = closing(lines, start, indent);
  return lines.slice(start + 1, end);
}

function componentBody(printed: string, collection: string): string[] | undefined {
  const lines = printed.split('\n');
  const at = lines.indexOf('export interface components {');
  if (at < 0) return undefined;
  return body(printed, `    ${collection}: {`, '    ', at);
}

function replaceBody(lines: string[], header: string, indent: string, from: number, members: string[]): string[] {
  const start = lines.indexOf(header, Math.max(from, 0));
  if (start < 0) throw new Error(`openapi-typescript printed no "${header.trim()}"`);
  const end = closing(lines, start, indent);
  return [...lines.slice(0, start + 1), ...members, ...lines.slice(end)];
}

export function closing(lines: string[], start: number, indent: string): number {
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i] === `${indent}}` || lines[i] === `${indent}};`) return i;
  }
  throw new Error('unclosed block in openapi-typescript output');
}

/** Whether the document uses only what the assembly covers (see the module comment). */
function coveredByPieces(document: unknown): document is Record<string, unknown> {
  if (!coveredAtTopLevel(document) || hasDuplicateOperationIds(document)) return false;
  let covered = true;
  const visit = (node: unknown, parentKey: string | undefined): void => {
    if (!covered) return;
    if (Array.isArray(node)) return node.forEach((value) => visit(value, undefined));
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && (typeof value !== 'string' || !value.startsWith('#/components/'))) covered = false;
      else if (key === 'mapping' && parentKey === 'discriminator' && isRecord(value) && Object.values(value).some((target) => typeof target !== 'string' || !target.startsWith('#/components/'))) covered = false;
      else visit(value, key);
    }
  };
  visit(document, undefined);
  return covered;
}

/** No webhooks, `$defs`, path items among the components or components of a kind the assembly does not know. */
export function coveredAtTopLevel(document: unknown): document is Record<string, unknown> {
  if (!isRecord(document)) return false;
  if (document.webhooks !== undefined || document.$defs !== undefined) return false;
  if (isRecord(document.components) && document.components.pathItems !== undefined) return false;
  return !(isRecord(document.components) && Object.keys(document.components).some((key) => !(COLLECTIONS as readonly string[]).includes(key) && !['examples', 'securitySchemes', 'links', 'callbacks'].includes(key) && !key.startsWith('x-')));
}

/** Two operations with one operationId: the whole run reports it. */
export function hasDuplicateOperationIds(document: Record<string, unknown>): boolean {
  if (!isRecord(document.paths)) return false;
  const operationIds = new Set<string>();
  for (const item of Object.values(document.paths)) {
    if (!isRecord(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isRecord(operation) || typeof operation.operationId !== 'string') continue;
      if (operationIds.has(operation.operationId)) return true;
      operationIds.add(operation.operationId);
    }
  }
  return false;
}
