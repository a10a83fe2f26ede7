import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The previous run's expensive work (Redocly's checks of each piece of the spec, fast-json-stringify's
 * verdicts, prettier's and openapi-typescript's output), kept under `.scaffold/cache/` so that a
 * regeneration only redoes what changed. Every stage that needs it gets the same cache. Entries are
 * keyed by a hash of everything their value depends on (the input text, the library version, the
 * options), so a hit is always the value the computation would produce. The cache is never needed for
 * correctness: a missing, unreadable or corrupt file, or an entry whose checksum does not match, is a miss.
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
  /** Writes the entries used by this run (the others are dropped, so the cache never grows stale). */
  save(): Promise<void>;
  readonly stats: { hits: number; misses: number };
}

export const CACHE_PATH = '.scaffold/cache/run.json';
const FORMAT_VERSION = 1;

interface StoredEntry {
  /** Checksum of `value`: a damaged entry is a miss, never output. */
  sum: string;
  value: string;
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
  const previous = await readEntries(file);
  const used = new Map<string, StoredEntry>();
  const stats = { hits: 0, misses: 0 };
  let changed = false;
  const keyOf = (keyParts: readonly string[], input: string) => hash([...keyParts, input].join('\0'));
  const find = (key: string): string | undefined => {
    const known = used.get(key) ?? previous.get(key);
    if (!known || known.sum !== hash(known.value)) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    used.set(key, known);
    return known.value;
  };
  const keep = (key: string, value: string): string => {
    used.set(key, { sum: hash(value), value });
    changed = true;
    return value;
  };
  return {
    stats,
    async memo(keyParts, input, compute) {
      const key = keyOf(keyParts, input);
      return find(key) ?? keep(key, await compute(input));
    },
    memoSync(keyParts, input, compute) {
      const key = keyOf(keyParts, input);
      return find(key) ?? keep(key, compute(input));
    },
    lookup(keyParts, input) {
      return find(keyOf(keyParts, input));
    },
    store(keyParts, input, value) {
      keep(keyOf(keyParts, input), value);
    },
    async save() {
      if (!changed && used.size === previous.size) return;
      const text = JSON.stringify({ version: FORMAT_VERSION, entries: Object.fromEntries(used) });
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, file);
    },
  };
}

async function readEntries(file: string): Promise<Map<string, StoredEntry>> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; entries?: unknown };
    if (stored.version !== FORMAT_VERSION || typeof stored.entries !== 'object' || stored.entries === null) return new Map();
    const entries = new Map<string, StoredEntry>();
    for (const [key, entry] of Object.entries(stored.entries as Record<string, unknown>)) {
      const { sum, value } = (entry ?? {}) as Partial<StoredEntry>;
      if (typeof sum === 'string' && typeof value === 'string') entries.set(key, { sum, value });
    }
    return entries;
  } catch {
    return new Map(); // no cache yet, or one that cannot be read: every lookup computes
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}
