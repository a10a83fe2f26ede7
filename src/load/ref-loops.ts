import { escapeSegment } from './redocly-pointer.js';

/** A `$ref` that leads back to itself through references only, with the chain it follows. */
export interface RefLoop {
  /** Redocly-style pointer of the object holding the first `$ref` of the loop (`#/components/schemas/A`). */
  pointer: string;
  chain: string[];
}

/** Longer chains than this are taken for a loop: no design chains references so far. */
const MAX_CHAIN = 1_000;

/**
 * Finds a `$ref` inside the document that resolves to itself (`A: {$ref: '#/components/schemas/A'}`)
 * or to another `$ref` that leads back (`A` -> `B` -> `A`): such a reference describes no value, and
 * Redocly throws on it. A schema that contains a reference to itself is recursion, not a loop.
 */
export function findRefLoop(document: unknown): RefLoop | undefined {
  const settled = new Set<object>();
  const stack: { node: unknown; pointer: string }[] = [{ node: document, pointer: '#' }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const ref = internalRef(node);
    if (ref !== undefined && !settled.has(node)) {
      const loop = followChain(document, node, settled);
      if (loop) return { pointer, chain: loop };
    }
    for (const [key, child] of Array.isArray(node) ? node.entries() : Object.entries(node)) stack.push({ node: child, pointer: `${pointer}/${escapeSegment(String(key))}` });
  }
  return undefined;
}

/** Follows `$ref`s from `start` until one leads to something that is not a `$ref`; the refs in order when they loop. */
function followChain(document: unknown, start: object, settled: Set<object>): string[] | undefined {
  const visited = new Set<object>([start]);
  const chain: string[] = [];
  let node: object = start;
  for (;;) {
    const ref = internalRef(node)!;
    chain.push(ref);
    const target = resolvePointer(document, ref, new Set([node]));
    if (target === LOOP || chain.length > MAX_CHAIN) return chain;
    if (typeof target !== 'object' || target === null || internalRef(target) === undefined || settled.has(target)) break;
    if (visited.has(target)) return chain;
    visited.add(target);
    node = target;
  }
  for (const passed of visited) settled.add(passed);
  return undefined;
}

const LOOP = Symbol('loop');

/**
 * The node a local pointer names, following a `$ref` it passes through (as Redocly does); LOOP when
 * that passes through a `$ref` already on the way (`through`).
 */
function resolvePointer(document: unknown, ref: string, through: Set<object>): unknown {
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/').filter((s, index, all) => !(s === '' && index === all.length - 1))) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    while (typeof node === 'object' && node !== null && !Object.hasOwn(node, key) && internalRef(node) !== undefined) {
      if (through.has(node) || through.size > MAX_CHAIN) return LOOP;
      through.add(node);
      node = resolvePointer(document, internalRef(node)!, through);
      if (node === LOOP) return LOOP;
    }
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function internalRef(node: object): string | undefined {
  const ref = (node as { $ref?: unknown }).$ref;
  return typeof ref === 'string' && (ref === '#' || ref.startsWith('#/')) ? ref : undefined;
}
