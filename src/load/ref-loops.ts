import { escapeSegment } from './redocly-pointer.js';

/** A `$ref` that leads back to itself through references only (or through too many), with the chain it follows. */
export interface RefLoop {
  /** Redocly-style pointer of the object holding the first `$ref` of the loop (`#/components/schemas/A`). */
  pointer: string;
  chain: string[];
  /** The chain does not loop, it is only longer than MAX_CHAIN. */
  tooLong?: true;
}

/**
 * More `$ref`s than this, each naming only the next (`A: {$ref: B}`, `B: {$ref: C}`...), are refused
 * like a loop: no design aliases a schema that often, and every later stage pays for each link of
 * such a chain at every use (2,000 links took 46 s to generate).
 */
export const MAX_CHAIN = 64;

/**
 * Finds a `$ref` inside the document that resolves to itself (`A: {$ref: '#/components/schemas/A'}`)
 * or to another `$ref` that leads back (`A` -> `B` -> `A`): such a reference describes no value, and
 * Redocly throws on it. A schema that contains a reference to itself is recursion, not a loop.
 */
export function findRefLoop(document: unknown): RefLoop | undefined {
  /** `$ref` objects whose chain ends, with how many `$ref`s it has from them. */
  const settled = new Map<object, number>();
  const stack: { node: unknown; pointer: string }[] = [{ node: document, pointer: '#' }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const ref = internalRef(node);
    if (ref !== undefined && !settled.has(node)) {
      const loop = followChain(document, node, settled);
      if (loop) return { pointer, ...loop };
    }
    for (const [key, child] of Array.isArray(node) ? node.entries() : Object.entries(node)) stack.push({ node: child, pointer: `${pointer}/${escapeSegment(String(key))}` });
  }
  return undefined;
}

/** Follows `$ref`s from `start` until one leads to something that is not a `$ref`; the refs in order when they loop or run too long. */
function followChain(document: unknown, start: object, settled: Map<object, number>): Omit<RefLoop, 'pointer'> | undefined {
  const passed: object[] = [start];
  const chain: string[] = [];
  let node: object = start;
  let rest = 0;
  for (;;) {
    const ref = internalRef(node)!;
    chain.push(ref);
    const target = resolvePointer(document, ref, new Set([node]));
    if (target === LOOP) return { chain };
    if (typeof target !== 'object' || target === null || internalRef(target) === undefined) break;
    const known = settled.get(target);
    if (known !== undefined) {
      rest = known;
      break;
    }
    if (passed.includes(target)) return { chain };
    if (chain.length > MAX_CHAIN) return { chain, tooLong: true };
    passed.push(target);
    node = target;
  }
  if (chain.length + rest > MAX_CHAIN) return { chain, tooLong: true };
  passed.forEach((object, index) => settled.set(object, chain.length - index + rest));
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
