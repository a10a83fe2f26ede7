import { codeFingerprint } from '../cache/code-fingerprint.js';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import { typesByItem } from './openapi-types-by-item.js';
import { markReferencedVisibility, prepareForOpenApiTypescript } from './openapi-types-input.js';
import { generateTypesInPieces, type AssembledTypes } from './openapi-types-pieces.js';
import { loadOpenApiTypescript } from './openapi-typescript-lib.js';

export interface OpenApiTypesOptions {
  /** openapi-typescript run on the whole document at once (the reference the pieces are tested against). */
  whole?: boolean;
  /** The load stage's fingerprint of the document, when it has one (see LoadedSpec). */
  fingerprint?: string | undefined;
  /** The load stage's hashes of the document's pieces, when it cut it into pieces (see LoadedSpec). */
  pieceHashes?: SpecPieceHashes | undefined;
  /** Formats the types (what its output depends on, and how); the types are then returned formatted. */
  format?: { key: readonly string[]; apply: (text: string) => Promise<string> } | undefined;
}

/**
 * The spec's types (`paths`, `components`, `operations`), from openapi-typescript. Read/write markers
 * make readOnly and writeOnly visible to the compiler: request bodies are `Writable<...>`, responses
 * `Readable<...>`, so a service cannot return a password the spec marks writeOnly.
 */
export async function generateOpenApiTypes(document: unknown, header: string, cache: RunCache = noRunCache(), { whole = false, fingerprint, pieceHashes, format }: OpenApiTypesOptions = {}): Promise<string> {
  // The same document gives the same types: an unchanged spec costs a hash (of its text when the load stage
  // fingerprinted it, else of its serialization) instead of preparing the whole document and looking up
  // every piece (which the hit keeps alive for the next change).
  const key = ['openapi-types', codeFingerprint(), OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS), whole ? 'whole' : 'pieces', header, fingerprint === undefined ? 'document' : 'fingerprint', JSON.stringify(format?.key ?? 'unformatted')];
  return cache.memo(key, fingerprint ?? JSON.stringify(document) ?? 'undefined', () => generateUncached(document, header, cache, whole, pieceHashes, format));
}

async function generateUncached(document: unknown, header: string, cache: RunCache, whole: boolean, pieceHashes: SpecPieceHashes | undefined, format: OpenApiTypesOptions['format']): Promise<string> {
  let input: unknown;
  const prepared = () => (input ??= prepareForOpenApiTypescript(markReferencedVisibility(document), { inPlace: true }));
  // openapi-typescript's output depends on its input, its options and its version only: a spec whose
  // input here is unchanged reuses the previous run's output.
  const keyParts = ['openapi-typescript', OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS)];
  let pieces: Promise<AssembledTypes | undefined> | undefined;
  const assembled = () => (pieces ??= whole ? Promise.resolve(undefined) : (generateTypesInPieces(prepared(), OPTIONS, cache, keyParts) ?? Promise.resolve(undefined)));
  // The marker helpers test `$Write<any>`; `unknown` says the same without an `any` in generated code.
  const finish = async (generated: string) => {
    const text = generated.replace(/\$(Read|Write)<any>/g, '$$$1<unknown>');
    return format ? format.apply(text) : text;
  };
  // Formatted (the lines kept by path item are prettier's: its version and options are in their key), by
  // path item where the load stage hashed them (openapi-types-by-item.ts); else piece by piece
  // where the spec allows it (openapi-types-pieces.ts), else the whole run.
  const byItem = whole || !pieceHashes || !format ? undefined : await typesByItem(document, pieceHashes, OPTIONS, cache, [...keyParts, codeFingerprint(), header, JSON.stringify(format.key)], { assembled, header, finish });
  if (byItem !== undefined) return byItem;
  const generated =
    (await assembled())?.text ??
    (await cache.memo(keyParts, JSON.stringify(prepared()), async () => {
      const { default: openapiTS, astToString } = await loadOpenApiTypescript();
      return astToString(await openapiTS(prepared() as Parameters<typeof openapiTS>[0], OPTIONS));
    }));
  return finish(`${header}\n${generated}`);
}

const OPTIONS = { alphabetize: false, silent: true, readWriteMarkers: true } as const;

const OPENAPI_TYPESCRIPT_VERSION = packageVersion('openapi-typescript');
