import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
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
 * not touch. The index (`run.json`) holds keys and checksums only: values are in packs (many small values
 * in one file, a new small pack for what a run added) and blobs (one file per big value, whole generated
 * files), each read only when hit, so a run reads and writes in proportion to what changed.
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
  /** Lets go of the files the cache reads from, without saving (a dry run, a failed run); save() does too. */
  close(): void;
  readonly stats: { hits: number; misses: number };
}

export const CACHE_PATH = '.scaffold/cache/run.json';
/** Where values of at least BLOB_SIZE characters are kept, one file per value, named by its checksum. */
export const BLOB_DIR = '.scaffold/cache/blobs';
export const BLOB_SIZE = 256 * 1024;
/**
 * Where the smaller values are kept, many to a file: a run that changed a few of them writes a small pack
 * of its own instead of rewriting them all, and the index (run.json) holds only where each value is.
 */
export const PACK_DIR = '.scaffold/cache/packs';
const FORMAT_VERSION = 3;
/** More packs than this and the small ones are merged into the next. */
const MAX_PACKS = 8;

interface StoredEntry {
  /** Checksum of the value: a damaged entry is a miss, never output. */
  sum: string;
  /** The value, when this run holds it (computed it, or read it from an index of an older format). */
  value?: string;
  /** Where the value is in a pack: its byte range. Neither this nor `value`: it is in the blob named by `sum`. */
  packed?: { pack: string; at: number; length: number };
  /** The keys of the entries this value was computed from (kept as long as it is). */
  deps?: string[];
}

/** run.json: the packs (name and size) and, by key, each entry with its pack as an index into `packs`. */
interface StoredIndex {
  version: typeof FORMAT_VERSION;
  packs: { name: string; size: number }[];
  entries: Record<string, { sum: string; pack?: number; at?: number; length?: number; deps?: string[] }>;
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
    close() {},
  };
}

export async function openRunCache(outDir: string): Promise<RunCache> {
  const file = join(outDir, CACHE_PATH);
  const blobDir = join(outDir, BLOB_DIR);
  const packDir = join(outDir, PACK_DIR);
  const { entries: previous, packSizes, upgraded } = await readIndex(file);
  const used = new Map<string, StoredEntry>();
  /** Values computed by this run that go to blobs on save, by checksum. */
  const newBlobs = new Map<string, string>();
  /** The packs opened so far (undefined: unreadable): values are read one by one, so a run reads what it hits, not whole packs. */
  const packs = new Map<string, { fd: number; size: number } | undefined>();
  const stats = { hits: 0, misses: 0 };
  // A cache in an older format is rewritten in this one by the next save, even if nothing new was computed.
  let changed = upgraded;
  // The keys found or kept while an entry is being computed: they become its `deps`.
  const scope = new AsyncLocalStorage<Set<string>>();
  // The hash of the parts and the input joined by NULs, without building the joined copy of a big input.
  const keyOf = (keyParts: readonly string[], input: string) => {
    const digest = createHash('sha256');
    for (const part of keyParts) digest.update(part).update('\0');
    return digest.update(input).digest('hex').slice(0, 40);
  };
  const packed = (name: string, at: number, length: number): string | undefined => {
    if (!packs.has(name)) {
      try {
        const fd = openSync(join(packDir, name), 'r');
        packs.set(name, { fd, size: fstatSync(fd).size });
      } catch {
        packs.set(name, undefined);
      }
    }
    const pack = packs.get(name);
    if (!pack || at + length > pack.size) return undefined;
    const bytes = Buffer.allocUnsafe(length);
    try {
      return readSync(pack.fd, bytes, 0, length, at) === length ? bytes.toString('utf8') : undefined;
    } catch {
      return undefined; // a pack that cannot be read is a miss, as a damaged value is
    }
  };
  const closePacks = () => {
    for (const pack of packs.values()) if (pack) closeSync(pack.fd);
    packs.clear();
  };
  const valueOf = (entry: StoredEntry): string | undefined => {
    if (entry.value !== undefined) return entry.value;
    if (entry.packed) return packed(entry.packed.pack, entry.packed.at, entry.packed.length);
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
    close: closePacks,
    async save() {
      if (!changed) return closePacks();
      // Sorted, so that the same entries always make the same files whatever order the run used them in.
      const entries = [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const repack = packsToMerge(entries, packSizes);
      const kept: [string, StoredEntry][] = [];
      const toPack: { key: string; entry: StoredEntry; value: string }[] = [];
      for (const [key, entry] of entries) {
        const packable = entry.packed ? repack.has(entry.packed.pack) : entry.value !== undefined && entry.value.length < BLOB_SIZE;
        if (!packable) {
          kept.push([key, entry]);
          continue;
        }
        const value = valueOf(entry);
        if (value !== undefined && hash(value) === entry.sum) toPack.push({ key, entry, value }); // else unreadable now: dropped
      }
      closePacks(); // every value still needed is read: the packs merged are about to go
      const pack = Buffer.concat(toPack.map(({ value }) => Buffer.from(value, 'utf8')));
      const packName = hash(pack);
      let at = 0;
      for (const { key, entry, value } of toPack) {
        const length = Buffer.byteLength(value, 'utf8');
        kept.push([key, { sum: entry.sum, packed: { pack: packName, at, length }, ...(entry.deps && { deps: entry.deps }) }]);
        at += length;
      }
      kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

      // Blobs by checksum, with the text to write for those not on disk yet (new, or read from an older index).
      const blobs = new Map<string, string | undefined>();
      for (const [, entry] of kept) if (!entry.packed) blobs.set(entry.sum, entry.value ?? newBlobs.get(entry.sum));
      const newFiles: [string, string | Buffer][] = [...blobs].flatMap(([sum, value]) => (value === undefined ? [] : [[join(blobDir, sum), value] as [string, string]]));
      if (toPack.length > 0) newFiles.push([join(packDir, packName), pack]);
      const index = storedIndex(kept, new Map([...packSizes, [packName, pack.length]]));
      await Promise.all([dirname(file), ...newFiles.map(([path]) => dirname(path))].map((dir) => mkdir(dir, { recursive: true })));
      // All at once: an index naming a pack or blob not yet written (a crash in between) only makes its entries misses.
      await Promise.all([...newFiles.map(([path, content]) => writeAtomically(path, content)), writeAtomically(file, JSON.stringify(index))]);
      await Promise.all([removeAllBut(blobDir, new Set(blobs.keys())), removeAllBut(packDir, new Set(index.packs.map((p) => p.name)))]);
    },
  };
}

/**
 * The packs whose values still used are moved into this run's new pack: those mostly of values no longer
 * used, and, when there are too many packs, all but the largest (so a long series of small changes does
 * not leave a long series of small packs).
 */
function packsToMerge(entries: readonly [string, StoredEntry][], packSizes: ReadonlyMap<string, number>): Set<string> {
  const live = new Map<string, number>();
  for (const [, { packed }] of entries) if (packed) live.set(packed.pack, (live.get(packed.pack) ?? 0) + packed.length);
  const size = (name: string) => packSizes.get(name) ?? 0;
  const largest = [...live.keys()].reduce<string | undefined>((best, name) => (best === undefined || size(name) > size(best) ? name : best), undefined);
  return new Set([...live].filter(([name, bytes]) => bytes * 2 < size(name) || (live.size >= MAX_PACKS && name !== largest)).map(([name]) => name));
}

/** run.json for the entries kept (sorted by key), each pack named once in `packs` and referred to by position. */
function storedIndex(kept: readonly [string, StoredEntry][], packSizes: ReadonlyMap<string, number>): StoredIndex {
  const names = [...new Set(kept.flatMap(([, { packed }]) => (packed ? [packed.pack] : [])))].sort();
  const position = new Map(names.map((name, i) => [name, i]));
  const entries: StoredIndex['entries'] = {};
  for (const [key, { sum, packed, deps }] of kept) {
    entries[key] = { sum, ...(packed && { pack: position.get(packed.pack)!, at: packed.at, length: packed.length }), ...(deps && { deps }) };
  }
  return { version: FORMAT_VERSION, packs: names.map((name) => ({ name, size: packSizes.get(name) ?? 0 })), entries };
}

/** Removes the files of `dir` not named in `keep` (the values no entry refers to any more). */
async function removeAllBut(dir: string, keep: ReadonlySet<string>): Promise<void> {
  const stale = (await readdir(dir).catch(() => [] as string[])).filter((name) => !keep.has(name));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

/**
 * The entries of the index. Versions 1 and 2 held every value in the index itself (version 1 without
 * deps and blobs): their entries are read with their values, and `upgraded` says to write them anew.
 */
async function readIndex(file: string): Promise<{ entries: Map<string, StoredEntry>; packSizes: Map<string, number>; upgraded: boolean }> {
  const entries = new Map<string, StoredEntry>();
  const packSizes = new Map<string, number>();
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; entries?: unknown; packs?: unknown };
    const version = stored.version;
    if ((version !== FORMAT_VERSION && version !== 1 && version !== 2) || !isObject(stored.entries)) return { entries, packSizes, upgraded: false };
    const packs = version === FORMAT_VERSION && Array.isArray(stored.packs) ? stored.packs.map((pack) => (isObject(pack) && typeof pack.name === 'string' && typeof pack.size === 'number' ? { name: pack.name, size: pack.size } : undefined)) : [];
    for (const pack of packs) if (pack) packSizes.set(pack.name, pack.size);
    for (const [key, entry] of Object.entries(stored.entries)) {
      if (!isObject(entry) || typeof entry.sum !== 'string') continue;
      const valid: StoredEntry = { sum: entry.sum };
      if (version === FORMAT_VERSION) {
        if (typeof entry.pack === 'number') {
          const pack = packs[entry.pack];
          if (!pack || !Number.isSafeInteger(entry.at) || !Number.isSafeInteger(entry.length)) continue;
          valid.packed = { pack: pack.name, at: entry.at as number, length: entry.length as number };
        }
      } else if (entry.value !== undefined) {
        if (typeof entry.value !== 'string') continue;
        valid.value = entry.value;
      }
      if (Array.isArray(entry.deps) && entry.deps.every((dep) => typeof dep === 'string')) valid.deps = entry.deps as string[];
      entries.set(key, valid);
    }
    return { entries, packSizes, upgraded: version !== FORMAT_VERSION };
  } catch {
    return { entries, packSizes, upgraded: false }; // no cache yet, or one that cannot be read: every lookup computes
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 40);
}
