import { escapeSegment } from './redocly-pointer.js';

/**
 * The first `$ref` whose value is not a string (`$ref: null`, `$ref: { type: integer }`), as a
 * Redocly-style pointer to it. Redocly lets such a value pass its checks, and openapi-typescript
 * throws on it, so the load stage refuses it with its place.
 */
export function findNonStringRef(document: unknown): string | undefined {
  const stack: { node: unknown; pointer: string }[] = [{ node: document, pointer: '#' }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node) && Object.hasOwn(node, '$ref') && typeof (node as { $ref: unknown }).$ref !== 'string') return `${pointer}/$ref`;
    for (const [key, child] of Array.isArray(node) ? node.entries() : Object.entries(node)) stack.push({ node: child, pointer: `${pointer}/${escapeSegment(String(key))}` });
  }
  return undefined;
}
