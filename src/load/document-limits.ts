import { fail, type SourceLocation } from '../diagnostics/diagnostic.js';

/**
 * What one design document may cost to read. Real specs stay far below every limit (GitHub's, the
 * largest we know, is 10 MB, 30 levels deep, and uses no aliases); each limit stops an input built to
 * exhaust memory or the stack before any later stage sees it.
 */
export const DOCUMENT_LIMITS = {
  /** Bytes of one file or downloaded document. */
  maxBytes: 16 * 1024 * 1024,
  /** Levels of nested mappings and sequences (a schema nested 60 deep is about 120 levels). */
  maxDepth: 128,
  /** Nodes that YAML aliases add to a document once expanded (every later stage sees them expanded). */
  maxAliasNodes: 100_000,
} as const;

/** Flow brackets (`[[[...`) nested deeper than this are refused before the YAML parser sees them: its stack and memory grow with them. */
const MAX_FLOW_NESTING = 1_000;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;
}

/** Stops a text over the size limit (SCF009). */
export function checkDocumentSize(file: string, bytes: number): void {
  if (bytes > DOCUMENT_LIMITS.maxBytes) {
    fail('SCF009', `the document is larger than the limit of ${formatBytes(DOCUMENT_LIMITS.maxBytes)}`, { file }, 'split it into files that reference each other');
  }
}

/**
 * Stops a YAML text whose flow collections nest far deeper than any document may (SCF015), before
 * the parser builds them. Brackets in quoted strings and comments are not told apart: they would have
 * to be unbalanced by hundreds to matter.
 */
export function checkFlowNesting(file: string, text: string): void {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > MAX_FLOW_NESTING) tooDeep({ file, ...lineColumn(text, index) });
    } else if ((char === 0x5d || char === 0x7d) && depth > 0) depth -= 1;
  }
}

export function tooDeep(location: SourceLocation): never {
  return fail(
    'SCF015',
    `the document nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels of mappings and sequences`,
    location,
    'a schema this deep cannot become readable code: give its inner parts names under components/schemas and reference them',
  );
}

/** What measuring a parsed document found over a limit, and where (segments from the top). */
export type Excess = { kind: 'depth' | 'aliases'; path: (string | number)[] };

interface Frame {
  node: object;
  /** The keys of a mapping; undefined for a sequence (walked by index). */
  keys: string[] | undefined;
  length: number;
  next: number;
  size: number;
  height: number;
}

/**
 * Measures a parsed value without recursion: its depth and, when `aliased` (YAML that may hold
 * aliases), how many nodes it has once they are expanded. An alias parses to the same object as its
 * anchor, so a node met again is an alias: its expanded size comes from memo, and the walk never
 * enters it twice (a 68 KB file can alias a thousand items nine thousand times). A node that contains
 * itself (a recursive alias) counts as too many nodes, since expanding it never ends.
 */
export function measureDocument(value: unknown, aliased: boolean): Excess | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const sizes = aliased ? new Map<object, { size: number; height: number }>() : undefined;
  const open = aliased ? new Set<object>() : undefined;
  let added = 0;
  const enter = (node: object): Frame => {
    open?.add(node);
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    return { node, keys, length: keys ? keys.length : (node as unknown[]).length, next: 0, size: 1, height: 0 };
  };
  const stack: Frame[] = [enter(value)];
  const pathTo = (): (string | number)[] => stack.map((frame) => (frame.keys ? frame.keys[frame.next - 1]! : frame.next - 1));
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.length) {
      stack.pop();
      open?.delete(frame.node);
      sizes?.set(frame.node, { size: frame.size, height: frame.height });
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.size += frame.size;
        if (frame.height + 1 > parent.height) parent.height = frame.height + 1;
      }
      continue;
    }
    const index = frame.next++;
    const child: unknown = frame.keys ? (frame.node as Record<string, unknown>)[frame.keys[index]!] : (frame.node as unknown[])[index];
    if (typeof child !== 'object' || child === null) {
      frame.size += 1;
      continue;
    }
    if (open?.has(child)) return { kind: 'aliases', path: pathTo() };
    const known = sizes?.get(child);
    if (known !== undefined) {
      // Expanded in place, the aliased node's own depth adds to where it is used.
      if (stack.length + known.height >= DOCUMENT_LIMITS.maxDepth) return { kind: 'depth', path: pathTo() };
      added += known.size;
      if (added > DOCUMENT_LIMITS.maxAliasNodes) return { kind: 'aliases', path: pathTo() };
      frame.size += known.size;
      if (known.height + 1 > frame.height) frame.height = known.height + 1;
      continue;
    }
    if (stack.length >= DOCUMENT_LIMITS.maxDepth) return { kind: 'depth', path: pathTo() };
    stack.push(enter(child));
  }
  return undefined;
}

/**
 * The deepest nesting of brackets in a JSON text, strings skipped: a linear scan far cheaper than a
 * walk of the parsed value, which is then needed only to locate a document over the limit.
 */
export function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      // Skip the string, escapes included.
      for (index += 1; index < text.length && text.charCodeAt(index) !== 0x22; index += 1) if (text.charCodeAt(index) === 0x5c) index += 1;
    } else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return deepest;
}

/** Stops a document over the depth or alias limit (`aliased`: it may hold YAML aliases), located by `locate` (SCF015, SCF014). */
export function checkDocumentShape(file: string, value: unknown, aliased: boolean, locate: (path: (string | number)[]) => SourceLocation): void {
  const excess = measureDocument(value, aliased);
  if (excess === undefined) return;
  const location = { file, ...locate(excess.path), pointer: toPointer(excess.path) };
  if (excess.kind === 'depth') tooDeep(location);
  fail(
    'SCF014',
    `YAML aliases expand the document by more than ${DOCUMENT_LIMITS.maxAliasNodes.toLocaleString('en-US')} nodes (or into a node that contains itself)`,
    location,
    'write the repeated part once under components and `$ref` it instead of aliasing it with `*`',
  );
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
