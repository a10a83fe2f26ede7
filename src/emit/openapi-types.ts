import openapiTS, { astToString } from 'openapi-typescript';
import { packageVersion, SCAFFOLD_VERSION } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { isMarked, isRecord } from '../model/json-schema.js';
import { resolvePointer } from '../model/resolve-ref.js';
import { prepareForOpenApiTypescript } from './openapi-types-input.js';
import { generateTypesInPieces } from './openapi-types-pieces.js';

/**
 * The spec's types (`paths`, `components`, `operations`), from openapi-typescript. Read/write markers
 * make readOnly and writeOnly visible to the compiler: request bodies are `Writable<...>`, responses
 * `Readable<...>`, so a service cannot return a password the spec marks writeOnly.
 */
export async function generateOpenApiTypes(document: unknown, header: string, cache: RunCache = noRunCache(), whole = false): Promise<string> {
  // The same document gives the same types: an unchanged spec costs one serialization and a hash instead
  // of preparing the whole document and looking up every piece (which the hit keeps alive for the next change).
  const key = ['openapi-types', SCAFFOLD_VERSION, OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS), whole ? 'whole' : 'pieces', header];
  return cache.memo(key, JSON.stringify(document) ?? 'undefined', () => generateUncached(document, header, cache, whole));
}

async function generateUncached(document: unknown, header: string, cache: RunCache, whole: boolean): Promise<string> {
  const input = prepareForOpenApiTypescript(markReferencedVisibility(document));
  // openapi-typescript's output depends on its input, its options and its version only: a spec whose
  // input here is unchanged reuses the previous run's output.
  const keyParts = ['openapi-typescript', OPENAPI_TYPESCRIPT_VERSION, JSON.stringify(OPTIONS)];
  // Piece by piece where the spec allows it (openapi-types-pieces.ts), else the whole run.
  const generated =
    (whole ? undefined : await generateTypesInPieces(input, OPTIONS, cache, keyParts)) ??
    (await cache.memo(keyParts, JSON.stringify(input), async () => astToString(await openapiTS(input as Parameters<typeof openapiTS>[0], OPTIONS))));
  // The marker helpers test `$Write<any>`; `unknown` says the same without an `any` in generated code.
  return `${header}\n${generated.replace(/\$(Read|Write)<any>/g, '$$$1<unknown>')}`;
}

const OPTIONS = { alphabetize: false, silent: true, readWriteMarkers: true } as const;

const OPENAPI_TYPESCRIPT_VERSION = packageVersion('openapi-typescript');

/**
 * openapi-typescript marks only properties that say `readOnly`/`writeOnly` themselves. A property
 * that references a readOnly schema is readOnly too (the validators treat it so), so such properties
 * are rewritten as `allOf: [$ref]` with the marker before the types are made. Only the input of the
 * type generator changes; the served spec stays as written.
 */
function markReferencedVisibility(document: unknown): unknown {
  const resolve = (ref: string) => resolvePointer(document, ref);
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isRecord(value)) {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([name, property]) => {
            for (const marker of ['readOnly', 'writeOnly'] as const) {
              if (isRecord(property) && property[marker] !== true && isMarked(property, marker, resolve)) {
                return [name, { allOf: [property], [marker]: true }];
              }
            }
            return [name, visit(property)];
          }),
        );
      } else out[key] = visit(value);
    }
    return out;
  };
  return visit(document);
}
