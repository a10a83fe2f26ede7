import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The previous run's expensive work (Redocly's checks of each piece of the spec, fast-json-stringify's
 * verdicts, prettier's and openapi-typescript's output), kept under `.scaffold/cache/` so that a
 * regeneration only redoes what changed. Every stage that needs it gets the same cache. Entries are
 * keyed by a hash of everything their value depends on (the input text, the library version, the
 * options), so a hit is always the value the computation would produce. The cache is never needed for
 * correctness: a missing, unreadable or corrupt file, or an entry whose checksum does not match, is a miss.
 *
 * An entry computed from other entries (a whole file formatted from its pieces) records their keys: a hit
 * on it keeps them too, so that the next change, which misses the whole, still finds every piece it did
 * not touch. Values too big to be worth parsing on every run (whole generated files) are kept in files of
 * their own under `blobs/`, read only when hit.
 */
export interface RunCache {
  /** `compute(input)`, or the value it returned for the same `key` parts and input on a previous run. */
  memo(keyParts: readonly string[], input: string, compute: (input: string) => Promise<string>): Promise<string>;
  /** `memo` for a synchronous computation. */
  memoSync(keyParts: readonly string[], input: string, compute: (input: string) => string): string;
  /** The value kept for these key parts and input, if any (for callers that batch their misses). */
  lookup(keyParts: readonly string[], input: string): string | undefined;
  /** Keeps `value` as what these key parts and input compute to. */
  store(keyParts: readonly string[], input: string, value: string): void;
  /**
   * Writes the entries used by this run, those kept alive by the entries hit included (the others are
   * dropped, so the cache never grows stale); nothing when the run computed nothing new.
   */
  save(): Promise<void>;
  readonly stats: { hits: number; misses: number };
}

export const CACHE_PATH = '.scaffold/cache/run.json';
/** Where values of at least BLOB_SIZE characters are kept, one file per value, named by its checksum. */
export const BLOB_DIR = '.scaffold/cache/blobs';
export const BLOB_SIZE = 256 * 1024;
const FORMAT_VERSION = 2;

interface StoredEntry {
  /** Checksum of the value: a damaged entry is a miss, never output. */
  sum: string;
  /** The value; absent when it is kept in the blob named by `sum`. */
  value?: string;
  /** The keys of the entries this value was computed from (kept as long as it is). */
  deps?: string[];
}

/** A cache that stores nothing (dry runs, tests): every lookup computes. */
export function noRunCache(): RunCache {
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    async memo(_keyParts, input, compute) {
      stats.misses++;
      return compute(input);
    },
    memoSync(_keyParts, input, compute) {
      stats.misses++;
      return compute(input);
    },
    lookup() {
      stats.misses++;
      return undefined;
    },
    store() {},
    async save() {},
  };
}

export async function openRunCache(outDir: string): Promise<RunCache> {
  const file = join(outDir, CACHE_PATH);
  const blobDir = join(outDir, BLOB_DIR);
  const previous = await readEntries(file);
  const used = new Map<string, StoredEntry>();
  /** Values computed by this run that go to blobs on save, by checksum. */
  const newBlobs = new Map<string, string>();
  const stats = { hits: 0, misses: 0 };
  let changed = false;
  // The keys found or kept while an entry is being computed: they become its `deps`.
  const scope = new AsyncLocalStorage<Set<string>>();
  // The hash of the parts and the input joined by NULs, without building the joined copy of a big input.
  const keyOf = (keyParts: readonly string[], input: string) => {
    const digest = createHash('sha256');
    for (const part of keyParts) digest.update(part).update('\0');
    return digest.update(input).digest('hex').slice(0, 40);
  };
  const valueOf = (entry: StoredEntry): string | undefined => {
    if (entry.value !== undefined) return entry.value;
    const pending = newBlobs.get(entry.sum);
    if (pending !== undefined) return pending;
    try {
      return readFileSync(join(blobDir, entry.sum), 'utf8');
    } catch {
      return undefined;
    }
  };
  /** Marks an entry and, recursively, what it was computed from as used, without reading them. */
  const retain = (key: string, entry: StoredEntry): void => {
    used.set(key, entry);
    for (const dep of entry.deps ?? []) {
      const kept = previous.get(dep);
      if (kept && !used.has(dep)) retain(dep, kept);
    }
  };
  const find = (key: string): string | undefined => {
    const known = used.get(key) ?? previous.get(key);
    const value = known && valueOf(known);
    if (!known || value === undefined || known.sum !== hash(value)) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    retain(key, known);
    scope.getStore()?.add(key);
    return value;
  };
  const keep = (key: string, value: string, deps?: ReadonlySet<string>): string => {
    const sum = hash(value);
    const entry: StoredEntry = value.length >= BLOB_SIZE ? { sum } : { sum, value };
    if (entry.value === undefined) newBlobs.set(sum, value);
    const from = [...(deps ?? [])].filter((dep) => dep !== key); // a whole that fell back to itself
    if (from.length > 0) entry.deps = from.sort();
    used.set(key, entry);
    changed = true;
    scope.getStore()?.add(key);
    return value;
  };
  return {
    stats,
    async memo(keyParts, input, compute) {
      const key = keyOf(keyParts, input);
      const found = find(key);
      if (found !== undefined) return found;
      const deps = new Set<string>();
      const value = await scope.run(deps, () => compute(input));
      return keep(key, value, deps);
    },
    memoSync(keyParts, input, compute) {
      const key = keyOf(keyParts, input);
      const found = find(key);
      if (found !== undefined) return found;
      const deps = new Set<string>();
      const value = scope.run(deps, () => compute(input));
      return keep(key, value, deps);
    },
    lookup(keyParts, input) {
      return find(keyOf(keyParts, input));
    },
    store(keyParts, input, value) {
      keep(keyOf(keyParts, input), value);
    },
    async save() {
      if (!changed) return;
      // Sorted, so that the same entries always make the same file whatever order the run used them in.
      const entries = [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const text = JSON.stringify({ version: FORMAT_VERSION, entries: Object.fromEntries(entries) });
      await mkdir(dirname(file), { recursive: true });
      const blobs = new Set(entries.flatMap(([, entry]) => (entry.value === undefined ? [entry.sum] : [])));
      if (blobs.size > 0) await mkdir(blobDir, { recursive: true });
      // All at once: an index naming a blob not yet written (a crash in between) only makes that entry a miss.
      const written = [...newBlobs].filter(([sum]) => blobs.has(sum));
      await Promise.all([...written.map(([sum, value]) => writeAtomically(join(blobDir, sum), value)), writeAtomically(file, text)]);
      const stale = (await readdir(blobDir).catch(() => [] as string[])).filter((name) => !blobs.has(name));
      await Promise.all(stale.map((name) => rm(join(blobDir, name), { force: true })));
    },
  };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, file);
}

async function readEntries(file: string): Promise<Map<string, StoredEntry>> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; entries?: unknown };
    // Version 1 entries are version 2 entries without deps or blobs: an upgrade keeps its cache.
    if ((stored.version !== FORMAT_VERSION && stored.version !== 1) || typeof stored.entries !== 'object' || stored.entries === null) return new Map();
    const entries = new Map<string, StoredEntry>();
    for (const [key, entry] of Object.entries(stored.entries as Record<string, unknown>)) {
      const { sum, value, deps } = (entry ?? {}) as Partial<StoredEntry>;
      if (typeof sum !== 'string' || (value !== undefined && typeof value !== 'string')) continue;
      const valid: StoredEntry = value === undefined ? { sum } : { sum, value };
      if (Array.isArray(deps) && deps.every((dep) => typeof dep === 'string')) valid.deps = deps;
      entries.set(key, valid);
    }
    return entries;
  } catch {
    return new Map(); // no cache yet, or one that cannot be read: every lookup computes
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}
