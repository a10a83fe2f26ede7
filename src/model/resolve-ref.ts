import { fail } from '../diagnostics/diagnostic.js';
import { decodePointerSegment, isRecord } from './json-schema.js';

/** Follows a local `#/...` pointer (the load stage has bundled every external ref into the document). */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) fail('SCF006', `cannot resolve $ref ${ref}: only local references remain after bundling`);
  let node: unknown = document;
  for (const segment of ref.slice(1).split('/').filter(Boolean).map(decodePointerSegment)) {
    if (!isRecord(node) && !Array.isArray(node)) fail('SCF006', `cannot resolve $ref ${ref}`, { pointer: ref.slice(1) });
    node = (node as Record<string, unknown>)[segment];
    if (node === undefined) fail('SCF006', `cannot resolve $ref ${ref}`, { pointer: ref.slice(1) });
  }
  return node;
}

/** Resolves a Reference Object (responses, parameters, request bodies, ...) to the object it names, through chains. */
export function deref<T>(document: unknown, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; isRecord(current) && typeof current.$ref === 'string'; hops += 1) {
    if (hops > 32) fail('SCF006', `$ref chain too long or circular at ${String(current.$ref)}`);
    current = resolvePointer(document, current.$ref);
  }
  return current as T;
}
