import openapiTS, { astToString } from 'openapi-typescript';
import { isMarked, isRecord } from '../model/json-schema.js';
import { resolvePointer } from '../model/resolve-ref.js';
import { prepareForOpenApiTypescript } from './openapi-types-input.js';

/**
 * The spec's types (`paths`, `components`, `operations`), from openapi-typescript. Read/write markers
 * make readOnly and writeOnly visible to the compiler: request bodies are `Writable<...>`, responses
 * `Readable<...>`, so a service cannot return a password the spec marks writeOnly.
 */
export async function generateOpenApiTypes(document: unknown, header: string): Promise<string> {
  const input = prepareForOpenApiTypescript(markReferencedVisibility(document));
  const ast = await openapiTS(input as Parameters<typeof openapiTS>[0], { alphabetize: false, silent: true, readWriteMarkers: true });
  // The marker helpers test `$Write<any>`; `unknown` says the same without an `any` in generated code.
  const text = astToString(ast).replace(/\$(Read|Write)<any>/g, '$$$1<unknown>');
  return `${header}\n${text}`;
}

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
