import { codeFingerprint } from '../cache/code-fingerprint.js';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { markReferencedVisibility, prepareForOpenApiTypescript } from './openapi-types-input.js';
import { generateTypesInPieces } from './openapi-types-pieces.js';
import { loadOpenApiTypescript } from './openapi-typescript-lib.js';

/**
 * The spec's types (`paths`, `components`, `operations`), from openapi-typescript. Read/write markers
 * make readOnly and writeOnly visible to the compiler: request bodies are `Writable<...>`, responses
 * `Readable<...>`, so a service cannot return a password the spec marks writeOnly.
 */
export async function generateOpenApiTypes(document: unknown, header: string, cache: RunCache = noRunCache(), { whole = false, fingerprint }: { whole?: boolean; fingerprint?: string | undefined } = {}): Promise<string> {
  // The same document gives the same types: an unchanged spec costs a hash (of its text when the load stage
  // fingerprinted it, else of its serialization) instead of preparing the whole document and looking up
  // every piece (which the hit keeps alive for the next change).
  const key = ['openapi-types', codeFingerprint(), OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS), whole ? 'whole' : 'pieces', header, fingerprint === undefined ? 'document' : 'fingerprint'];
  return cache.memo(key, fingerprint ?? JSON.stringify(document) ?? 'undefined', () => generateUncached(document, header, cache, whole));
}

async function generateUncached(document: unknown, header: string, cache: RunCache, whole: boolean): Promise<string> {
  const input = prepareForOpenApiTypescript(markReferencedVisibility(document), { inPlace: true });
  // openapi-typescript's output depends on its input, its options and its version only: a spec whose
  // input here is unchanged reuses the previous run's output.
  const keyParts = ['openapi-typescript', OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS)];
  // Piece by piece where the spec allows it (openapi-types-pieces.ts), else the whole run.
  const generated =
    (whole ? undefined : await generateTypesInPieces(input, OPTIONS, cache, keyParts)) ??
    (await cache.memo(keyParts, JSON.stringify(input), async () => {
      const { default: openapiTS, astToString } = await loadOpenApiTypescript();
      return astToString(await openapiTS(input as Parameters<typeof openapiTS>[0], OPTIONS));
    }));
  // The marker helpers test `$Write<any>`; `unknown` says the same without an `any` in generated code.
  return `${header}\n${generated.replace(/\$(Read|Write)<any>/g, '$$$1<unknown>')}`;
}

const OPTIONS = { alphabetize: false, silent: true, readWriteMarkers: true } as const;

const OPENAPI_TYPESCRIPT_VERSION = packageVersion('openapi-typescript');
