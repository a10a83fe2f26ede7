import { dirname } from 'node:path';
import { contentHash } from '../cache/content-hash.js';
import type { NormalizedProblem } from '@redocly/openapi-core';
import { packageVersion } from '../cache/package-version.js';
import type { RunCache } from '../cache/run-cache.js';
import { escapeSegment } from './redocly-pointer.js';
import { DesignReferences } from './design-references.js';
import { escapeKeys, unescapeMessage, unescapePointer } from './redocly-keys.js';
import { componentClosure, cutSpec, type ComponentSubset, type SpecItem, type SpecPieces } from './spec-pieces.js';

/** One of Redocly's problems, without its source: what the cache keeps. */
export interface SpecProblem {
  ruleId: string;
  severity: NormalizedProblem['severity'];
  message: string;
  pointer: string | undefined;
  reportOnKey: boolean;
}

/** A file's text and path: what locating a problem needs (Redocly's own Source, or the spec's file before Redocly is loaded). */
export interface SpecSource {
  absoluteRef: string;
  body: string;
}

/** A problem and the file it was found in (another file only when the spec references one). */
export interface LocatedProblem extends SpecProblem {
  source: SpecSource;
}

export interface CheckedSpec {
  problems: LocatedProblem[];
  /** Whether every `$ref` stays inside the file (nothing to bundle). */
  selfContained: boolean;
  /** Hashes of the pieces the spec was checked in, when it was cut into pieces (see SpecPieceHashes). */
  pieceHashes?: SpecPieceHashes;
}

/**
 * What a path item's meaning depends on, hashed: its own text, and everything else it can reference
 * (the top level and every component). A later stage can key per-operation work by the two.
 */
export interface SpecPieceHashes {
  /** The top level and the components. */
  rest: string;
  /** Each path item, by its path as written. */
  paths: ReadonlyMap<string, string>;
}

export const SPEC_RULES = { struct: 'error', 'no-unresolved-refs': 'error' } as const;

/** More changed path items than this and one check of the whole spec is cheaper than checking them apart. */
const MAX_SEPARATE_ITEMS = 50;

/**
 * Redocly's checks of a spec, redone only for what changed since the last run. Each path item and
 * webhook keeps the problems found in it, under its own text and the text of everything it can
 * reference (the top level and every component); the top level and the components keep theirs under
 * their text. A regeneration after a change to a few path items checks just those, each with the
 * components it references, so the problems found are the ones a check of the whole spec finds.
 * Specs that reference other files, or whose path items reference each other, are checked whole.
 */
export async function checkSpec(source: SpecSource, document: Record<string, unknown>, cache: RunCache, references = defaultReferences(source)): Promise<CheckedSpec> {
  const pieces = cutSpec(document);
  if (pieces.external || pieces.crossItem) return { problems: unique(await lint(source, document, references)), selfContained: !pieces.external };

  const keyParts = ['redocly', REDOCLY_VERSION, JSON.stringify(SPEC_RULES), contentHash(JSON.stringify(pieces.root)), contentHash(JSON.stringify(pieces.components ?? null))];
  const itemHashes = pieces.items.map((item) => contentHash(JSON.stringify(item.value)));
  const inputs = pieces.items.map((item, index) => `${item.section}\0${item.key}\0${itemHashes[index]}`);
  const restKey = '\0top level and components';
  const restKept = cache.lookup(keyParts, restKey);
  const kept = inputs.map((input) => cache.lookup(keyParts, input));
  const changed = pieces.items.filter((_, index) => kept[index] === undefined);
  const fromScratch = restKept === undefined || changed.length > MAX_SEPARATE_ITEMS;
  const closure = fromScratch ? undefined : componentClosure(pieces, changed, true);

  let rest: SpecProblem[];
  const found = new Map<SpecItem, SpecProblem[]>();
  if (closure === undefined) {
    // First run, a changed component or top level, or many changes: the whole spec, its problems shared out.
    const problems = await lint(source, document, references);
    const owners = itemsByPointer(pieces.items);
    rest = [];
    for (const item of pieces.items) found.set(item, []);
    for (const problem of problems) {
      const owner = owners.get(itemSegment(problem.pointer));
      if (owner) found.get(owner)!.push(problem);
      else rest.push(problem);
    }
    cache.store(keyParts, restKey, keepable(rest));
  } else {
    rest = JSON.parse(restKept!) as SpecProblem[];
    if (changed.length > 0) {
      for (const [item, problems] of await checkItems(source, pieces, changed, closure, rest, references)) found.set(item, problems);
    }
  }
  pieces.items.forEach((item, index) => {
    const problems = found.get(item);
    if (problems) cache.store(keyParts, inputs[index]!, keepable(problems));
  });

  const all = [...rest, ...pieces.items.flatMap((item, index) => found.get(item) ?? (JSON.parse(kept[index]!) as SpecProblem[]))];
  const pieceHashes = { rest: contentHash(...keyParts), paths: new Map(pieces.items.flatMap((item, index) => (item.section === 'paths' ? [[item.key, itemHashes[index]!] as const] : []))) };
  // Every problem of a self-contained spec is in its one file.
  return { problems: unique(all.map((problem) => ({ ...problem, source }))), selfContained: true, pieceHashes };
}

/** The problems as the cache keeps them: without their source, which is always the spec's file here. */
function keepable(problems: readonly SpecProblem[]): string {
  return JSON.stringify(problems.map(({ ruleId, severity, message, pointer, reportOnKey }) => ({ ruleId, severity, message, pointer, reportOnKey })));
}

/** References confined to the spec's folder, none remote: what a spec may reach when nothing else is said. */
function defaultReferences(source: SpecSource): DesignReferences {
  return new DesignReferences({ root: dirname(source.absoluteRef), allowRemote: false });
}

/** Redocly's check. Redocly is imported here, on first use: a regeneration with nothing new to check never loads it. */
async function lint(source: SpecSource, parsed: unknown, references: DesignReferences): Promise<LocatedProblem[]> {
  const { createConfig, lintDocument, Source } = await import('@redocly/openapi-core');
  const config = await createConfig({ rules: SPEC_RULES });
  const document = { source: new Source(source.absoluteRef, source.body), parsed: escapeKeys(parsed) };
  const problems = await lintDocument({ document, config: config.styleguide, externalRefResolver: await references.redoclyResolver() });
  return problems.map((problem) => {
    const found = problem.location[0]?.source;
    const pointer = problem.location[0]?.pointer;
    return {
      ruleId: problem.ruleId,
      severity: problem.severity,
      message: unescapeMessage(problem.message),
      pointer: pointer && unescapePointer(pointer),
      reportOnKey: problem.location[0]?.reportOnKey ?? false,
      // The spec's own problems keep its one source object, which positions are computed once for.
      source: !found || found === document.source ? source : found,
    };
  });
}

/**
 * The problems of the changed items, checked with the top level and the components they reach. A
 * problem found in a component that the components' own check did not find means an item uses it as
 * something it is not (a parameter's `$ref` to a schema): with the empty schemas of a shallow subset
 * that may be an artefact, so such items are checked again with the real components, and the problem
 * is kept with every changed item (dedupe drops the copies).
 */
async function checkItems(source: SpecSource, pieces: SpecPieces, changed: readonly SpecItem[], subset: ComponentSubset, rest: readonly SpecProblem[], references: DesignReferences): Promise<Map<SpecItem, SpecProblem[]>> {
  const problems = await lint(source, reducedSpec(pieces, changed, subset.components), references);
  const owners = itemsByPointer(changed);
  const known = new Set(rest.map(problemKey));
  const found = new Map<SpecItem, SpecProblem[]>(changed.map((item) => [item, []]));
  for (const problem of problems) {
    const owner = owners.get(itemSegment(problem.pointer));
    if (owner) found.get(owner)!.push(problem);
    else if (!known.has(problemKey(problem))) {
      if (subset.shallow) return checkItems(source, pieces, changed, componentClosure(pieces, changed, false)!, rest, references);
      for (const item of changed) found.get(item)!.push(problem);
    }
  }
  return found;
}

/** The top level, the changed items and the components they reach: what checking those items needs. */
function reducedSpec(pieces: SpecPieces, items: readonly SpecItem[], components: Record<string, Record<string, unknown>>): Record<string, unknown> {
  // The top level's vendor extensions (GitHub's x-webhooks: half a megabyte) are checked with the top level, unless an item references into them.
  const reduced: Record<string, unknown> = pieces.rootReferenced ? { ...pieces.root } : Object.fromEntries(Object.entries(pieces.root).filter(([key]) => !key.startsWith('x-')));
  if (pieces.components) reduced.components = components;
  // Without a prototype: a webhook named `__proto__` is a key like any other.
  for (const item of items) ((reduced[item.section] ??= Object.create(null)) as Record<string, unknown>)[item.key] = item.value;
  return reduced;
}

function itemsByPointer(items: readonly SpecItem[]): Map<string, SpecItem> {
  return new Map(items.map((item) => [`#/${item.section}/${escapeSegment(item.key)}`, item]));
}

/** `#/paths/~1users/get/...` -> `#/paths/~1users`. */
function itemSegment(pointer: string | undefined): string {
  return pointer?.split('/', 3).join('/') ?? '';
}

function problemKey(problem: SpecProblem): string {
  return JSON.stringify([problem.pointer, problem.ruleId, problem.message, problem.reportOnKey]);
}

function unique(problems: readonly LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.source.absoluteRef}\0${problemKey(problem)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}


const REDOCLY_VERSION = packageVersion('@redocly/openapi-core');
