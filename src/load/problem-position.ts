import type { Source } from '@redocly/openapi-core';
import type { SpecSource } from './check-spec.js';
import { jsonPointerOffsets } from './json-pointer-offsets.js';
import { pointerSegments } from './redocly-pointer.js';

/** Where a problem is: Redocly's location, whose source may be the spec's file before Redocly was loaded. */
export interface ProblemLocation {
  source: SpecSource;
  pointer: string;
  reportOnKey?: boolean;
}
type Position = { line: number; col: number };

/**
 * The line and column where a problem starts, as Redocly's `getLineColLocation` computes them, without
 * its cost on big specs: it counts lines by walking the text from the start for every problem (seconds
 * for the hundred warnings of a 10 MB spec). Here the first problem of a source goes through Redocly
 * (which parses the source's AST once and keeps it); the others look the same AST node up and turn its
 * offset into a line and column with an index of line starts. The `expected` locations of JSON sources
 * are found in one scan of the text instead (src/load/json-pointer-offsets.ts), with no AST at all, and
 * then Redocly is not even loaded. Other locations are answered only when Redocly was needed for one
 * of the expected ones (else the call throws, and the problem keeps its pointer without a line).
 */
export async function createProblemPositions(expected: readonly ProblemLocation[] = []): Promise<(location: ProblemLocation) => Position> {
  const indexes = new Map<SpecSource, LineIndex | null>();
  const scanned = scanJsonSources(expected);
  const redocly = expected.some((location) => scanned.get(location.source)?.get(locationKey(location)) === undefined) ? await import('@redocly/openapi-core') : undefined;
  // Redocly's Source for each source (the spec's file may be a plain one): it parses and keeps the AST.
  const sources = new Map<SpecSource, Source>();
  const redoclySource = (source: SpecSource): Source => {
    if (!redocly) throw new Error('no position: Redocly was not loaded for this location');
    if (source instanceof redocly.Source) return source;
    let real = sources.get(source);
    if (!real) sources.set(source, (real = new redocly.Source(source.absoluteRef, source.body)));
    return real;
  };
  return (location) => {
    const { source } = location;
    const offset = scanned.get(source)?.get(locationKey(location));
    if (offset !== undefined) {
      let index = indexes.get(source);
      if (index === undefined) indexes.set(source, (index = lineIndex(source.body)));
      if (index) return startOf(source.body, index, offset, offset + 1);
    }
    const real = redoclySource(source);
    const getLineColLocation = (at: ProblemLocation) => redocly!.getLineColLocation({ ...at, source: real });
    let index = indexes.get(source);
    if (index === undefined) {
      const position = getLineColLocation(location).start;
      // `\n\r` is where Redocly's line counting has a quirk this index does not copy: such sources always go through Redocly.
      index = source.body.includes('\n\r') ? null : lineIndex(source.body);
      indexes.set(source, index);
      return position;
    }
    const ast = index && location.pointer !== undefined ? (real.getAst((() => undefined) as unknown as Parameters<typeof real.getAst>[0]) as unknown) : undefined;
    if (!index || ast === undefined) return getLineColLocation(location).start;
    type Ast = Parameters<NonNullable<typeof redocly>['getAstNodeByPointer']>[0];
    const node = redocly!.getAstNodeByPointer(ast as Ast, location.pointer, !!location.reportOnKey) as
      | { startPosition?: number; endPosition?: number }
      | undefined;
    return startOf(source.body, index, node?.startPosition ?? 1, node?.endPosition ?? 1);
  };
}

/** For each JSON source among the locations (without `\n\r`, see below), the offset of every location's node. */
function scanJsonSources(locations: readonly ProblemLocation[]): Map<SpecSource, Map<string, number>> {
  const bySource = new Map<SpecSource, ProblemLocation[]>();
  for (const location of locations) {
    if (location.pointer === undefined) continue;
    const found = bySource.get(location.source);
    if (found) found.push(location);
    else bySource.set(location.source, [location]);
  }
  const scanned = new Map<SpecSource, Map<string, number>>();
  for (const [source, found] of bySource) {
    if (!/^\s*\{/.test(source.body) || source.body.includes('\n\r')) continue;
    const queries = found.map((location) => ({ segments: pointerSegments(location.pointer!), onKey: !!location.reportOnKey }));
    const offsets = jsonPointerOffsets(source.body, queries);
    const byKey = new Map<string, number>();
    found.forEach((location, i) => {
      if (offsets[i] !== undefined) byKey.set(locationKey(location), offsets[i]!);
    });
    scanned.set(source, byKey);
  }
  return scanned;
}

function locationKey(location: ProblemLocation): string {
  return `${location.reportOnKey ? 'key' : 'value'} ${location.pointer}`;
}

interface LineIndex {
  /** Offsets of every `\n`, ascending. */
  newlines: number[];
}

function lineIndex(text: string): LineIndex {
  const newlines: number[] = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) newlines.push(at);
  return { newlines };
}

/** Redocly's `positionsToLoc(...).start`: 1-based `startPos` names the character before the node. */
function startOf(text: string, index: LineIndex, startPos: number, endPos: number): Position {
  if (startPos >= endPos || startPos < 1) return { line: 1, col: 1 };
  const at = startPos - 1;
  const before = newlinesBefore(index.newlines, at);
  const line = before + 1;
  if (text[at] === '\n') return { line: line + 1, col: 1 };
  const lineStart = before === 0 ? 0 : index.newlines[before - 1]! + 1;
  return { line, col: at - lineStart + 2 };
}

/** How many newlines lie before `offset` (binary search). */
function newlinesBefore(newlines: number[], offset: number): number {
  let low = 0;
  let high = newlines.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (newlines[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
