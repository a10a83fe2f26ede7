import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BLOB_DIR, BLOB_SIZE, CACHE_PATH, openRunCache, PACK_DIR, type RunCache } from '../../../src/cache/run-cache.js';
import { formatCode, formatKey, PRETTIER_OPTIONS } from '../../../src/emit/format-code.js';

const UNFORMATTED = 'export const answer = {value: 42, "quoted": "text"}\n';

interface StoredIndex {
  version: number;
  packs: { name: string; size: number }[];
  entries: Record<string, { sum: string; pack?: number; at?: number; length?: number; deps?: string[] }>;
}

const readIndex = async (dir: string) => JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as StoredIndex;

/** Every packed value of the cache in `dir`, by key, read as the index says. */
async function packedValues(dir: string): Promise<Record<string, string>> {
  const index = await readIndex(dir);
  const packs = await Promise.all(index.packs.map(({ name }) => readFile(join(dir, PACK_DIR, name))));
  const values: Record<string, string> = {};
  for (const [key, { pack, at, length }] of Object.entries(index.entries)) {
    if (pack !== undefined) values[key] = packs[pack]!.toString('utf8', at, at! + length!);
  }
  return values;
}

describe('the run cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-run-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `memo` once in a fresh cache over `dir` and saves it, as one generation does. */
  async function run(keyParts: string[], input: string, compute: (input: string) => Promise<string>) {
    const cache = await openRunCache(dir);
    const value = await cache.memo(keyParts, input, compute);
    await cache.save();
    return { value, ...cache.stats };
  }

  it("returns the previous run's value for the same key and input without computing it again", async () => {
    const compute = vi.fn(async (input: string) => input.toUpperCase());
    expect(await run(['k'], 'abc', compute)).toEqual({ value: 'ABC', hits: 0, misses: 1 });
    expect(await run(['k'], 'abc', compute)).toEqual({ value: 'ABC', hits: 1, misses: 0 });
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('misses when the input or any key part (a library version, an option) differs', async () => {
    const compute = vi.fn(async (input: string) => `${input}!`);
    await run(['prettier', '3.0.0'], 'abc', compute);
    expect(await run(['prettier', '3.0.1'], 'abc', compute)).toMatchObject({ hits: 0, misses: 1 });
    expect(await run(['prettier', '3.0.1'], 'abd', compute)).toMatchObject({ value: 'abd!', hits: 0, misses: 1 });
  });

  it('treats a corrupt cache file as empty: same value, computed again, and the file is repaired', async () => {
    await run(['k'], 'abc', async (input) => input.toUpperCase());
    await writeFile(join(dir, CACHE_PATH), '{"version":1,"entries":{"trunc');
    expect(await run(['k'], 'abc', async (input) => input.toUpperCase())).toEqual({ value: 'ABC', hits: 0, misses: 1 });
    expect(await run(['k'], 'abc', async () => 'not called')).toMatchObject({ value: 'ABC', hits: 1 });
  });

  it('never returns an entry whose value was damaged (its checksum no longer matches)', async () => {
    await run(['k'], 'abc', async (input) => input.toUpperCase());
    const [pack] = (await readIndex(dir)).packs;
    await writeFile(join(dir, PACK_DIR, pack!.name), 'XYZ'); // same length, other bytes
    expect(await run(['k'], 'abc', async (input) => input.toUpperCase())).toEqual({ value: 'ABC', hits: 0, misses: 1 });
  });

  it('reads a cache written in the previous format (an upgrade does not start from nothing), but not an unknown one', async () => {
    await run(['k'], 'abc', async (input) => input.toUpperCase());
    const stored = await readIndex(dir);
    const values = await packedValues(dir);
    // Versions 1 and 2 kept the values in the index itself (version 1 without deps and blob files).
    const inline = { entries: Object.fromEntries(Object.entries(stored.entries).map(([key, { sum }]) => [key, { sum, value: values[key] }])) };
    for (const version of [1, 2]) {
      await writeFile(join(dir, CACHE_PATH), JSON.stringify({ ...inline, version }));
      await rm(join(dir, PACK_DIR), { recursive: true });
      expect(await run(['k'], 'abc', async () => 'not called')).toEqual({ value: 'ABC', hits: 1, misses: 0 });
      expect(await readIndex(dir)).toEqual(stored); // rewritten in the current format, though nothing was computed
    }
    await writeFile(join(dir, CACHE_PATH), JSON.stringify({ ...stored, version: 99 }));
    expect(await run(['k'], 'abc', async (input) => input.toUpperCase())).toEqual({ value: 'ABC', hits: 0, misses: 1 });
  });

  it('keeps only the entries the last run used', async () => {
    await run(['k'], 'old', async (input) => input);
    await run(['k'], 'new', async (input) => input);
    expect(Object.values(await packedValues(dir))).toEqual(['new']);
    expect(await readdir(join(dir, PACK_DIR))).toHaveLength(1); // the old value's pack, no longer used, is gone
  });

  it('formats through the cache to the same text prettier gives, and reuses it on the next run', async () => {
    const direct = await prettier.format(UNFORMATTED, { ...PRETTIER_OPTIONS, parser: 'typescript' });
    const first = await openRunCache(dir);
    expect(await formatCode('src/a.ts', UNFORMATTED, first)).toBe(direct);
    await first.save();
    const second = await openRunCache(dir);
    expect(await formatCode('src/a.ts', UNFORMATTED, second)).toBe(direct);
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
  });

  it("keys formatted text by prettier's version, its options and the parser", () => {
    const key = formatKey('typescript');
    expect(formatKey('typescript', PRETTIER_OPTIONS, `${prettier.version}-next`)).not.toEqual(key);
    expect(formatKey('typescript', { ...PRETTIER_OPTIONS, printWidth: 80 })).not.toEqual(key);
    expect(formatKey('markdown')).not.toEqual(key);
    expect(key).toContain(prettier.version);
  });
});

describe('entries computed from other entries', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-run-cache-deps-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const piece = vi.fn(async (input: string) => input.toUpperCase());
  /** A whole value assembled from one cached piece per word, as formatting a big file is. */
  const whole = (cache: RunCache, text: string) =>
    cache.memo(['whole'], text, async (input) => (await Promise.all(input.split(' ').map((word) => cache.memo(['piece'], word, piece)))).join(' '));
  const storedKeys = async () => Object.keys((JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as { entries: object }).entries);

  beforeEach(() => {
    piece.mockClear();
  });

  it('a hit on the whole keeps its pieces across a save, so the next change recomputes only what changed', async () => {
    const first = await openRunCache(dir);
    await whole(first, 'a b c');
    await first.save();
    expect(piece).toHaveBeenCalledTimes(3);

    const second = await openRunCache(dir);
    expect(await whole(second, 'a b c')).toBe('A B C');
    expect(second.stats).toEqual({ hits: 1, misses: 0 }); // the pieces were not even looked up
    await second.memo(['other'], 'new', async () => 'computed'); // something new, so this run saves
    await second.save();

    piece.mockClear();
    const third = await openRunCache(dir);
    expect(await whole(third, 'a b d')).toBe('A B D');
    expect(piece.mock.calls.map(([word]) => word)).toEqual(['d']);
  });

  it('keeps what the pieces were computed from too, however deep', async () => {
    const nested = (cache: RunCache, text: string) => cache.memo(['outer'], text, (input) => whole(cache, input));
    const first = await openRunCache(dir);
    await nested(first, 'a b');
    await first.save();
    const second = await openRunCache(dir);
    await nested(second, 'a b');
    await second.memo(['other'], 'new', async () => 'computed');
    await second.save();
    expect(await storedKeys()).toHaveLength(5); // outer, whole, two pieces, other
  });

  it('drops the pieces of a whole the last run did not use', async () => {
    const first = await openRunCache(dir);
    await whole(first, 'a b');
    await first.save();
    const second = await openRunCache(dir);
    await second.memo(['other'], 'new', async () => 'computed');
    await second.save();
    expect(await storedKeys()).toHaveLength(1);
  });

  it('does not rewrite the cache when the run computed nothing new', async () => {
    const first = await openRunCache(dir);
    await first.memo(['k'], 'used', async () => 'value');
    await first.memo(['k'], 'unused', async () => 'value');
    await first.save();
    const stored = await readFile(join(dir, CACHE_PATH), 'utf8');
    const second = await openRunCache(dir);
    await second.memo(['k'], 'used', async () => 'not called');
    await second.save();
    expect(await readFile(join(dir, CACHE_PATH), 'utf8')).toBe(stored);
  });

  it('treats an entry that is not an entry, or a whole whose pieces are gone, as a miss, never as output', async () => {
    const first = await openRunCache(dir);
    await whole(first, 'a b');
    await first.save();
    const stored = JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as { entries: Record<string, unknown> };
    const keys = Object.keys(stored.entries);
    // Every entry replaced by something unusable: pieces and whole are all computed again.
    for (const [i, key] of keys.entries()) stored.entries[key] = [null, 42, { sum: 7, value: 'A' }][i % 3];
    await writeFile(join(dir, CACHE_PATH), JSON.stringify(stored));
    piece.mockClear();
    const second = await openRunCache(dir);
    expect(await whole(second, 'a b')).toBe('A B');
    expect(piece).toHaveBeenCalledTimes(2);
  });
});

describe('big values', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-run-cache-blobs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const big = (letter: string) => letter.repeat(BLOB_SIZE);

  it('are kept in files of their own, read back on a hit', async () => {
    const first = await openRunCache(dir);
    await first.memo(['k'], 'a', async () => big('a'));
    await first.save();
    expect((await readFile(join(dir, CACHE_PATH), 'utf8')).length).toBeLessThan(1000);
    expect(await readdir(join(dir, BLOB_DIR))).toHaveLength(1);
    const second = await openRunCache(dir);
    expect(await second.memo(['k'], 'a', async () => 'not called')).toBe(big('a'));
  });

  it('are a miss when their file is gone or damaged', async () => {
    const first = await openRunCache(dir);
    await first.memo(['k'], 'a', async () => big('a'));
    await first.memo(['k'], 'b', async () => big('b'));
    await first.save();
    const [one, two] = await readdir(join(dir, BLOB_DIR));
    await rm(join(dir, BLOB_DIR, one!));
    await writeFile(join(dir, BLOB_DIR, two!), big('c'));
    const second = await openRunCache(dir);
    expect(await second.memo(['k'], 'a', async () => big('a'))).toBe(big('a'));
    expect(await second.memo(['k'], 'b', async () => big('b'))).toBe(big('b'));
    expect(second.stats).toEqual({ hits: 0, misses: 2 });
  });

  it('have their file removed with their entry', async () => {
    const first = await openRunCache(dir);
    await first.memo(['k'], 'a', async () => big('a'));
    await first.save();
    const second = await openRunCache(dir);
    await second.memo(['k'], 'b', async () => big('b'));
    await second.save();
    const third = await openRunCache(dir);
    expect(await third.memo(['k'], 'b', async () => 'not called')).toBe(big('b'));
    expect(await readdir(join(dir, BLOB_DIR))).toHaveLength(1);
  });
});

describe('packs of values', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-run-cache-packs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** One run: looks up every input (computing the misses as `value:input`) and saves. */
  async function runWith(inputs: string[]) {
    const cache = await openRunCache(dir);
    for (const input of inputs) expect(await cache.memo(['k'], input, async (text) => `value:${text}`)).toBe(`value:${input}`);
    await cache.save();
    return cache.stats;
  }
  const packFiles = async () => (await readdir(join(dir, PACK_DIR))).sort();
  const many = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

  it('a run that adds a few values writes them to a pack of their own and leaves the others untouched', async () => {
    await runWith(many('a', 100));
    const [first] = await packFiles();
    const before = await readFile(join(dir, PACK_DIR, first!));
    expect(await runWith([...many('a', 100), 'b'])).toEqual({ hits: 100, misses: 1 });
    expect(await packFiles()).toHaveLength(2);
    expect(await readFile(join(dir, PACK_DIR, first!))).toEqual(before);
    expect(await runWith([...many('a', 100), 'b'])).toEqual({ hits: 101, misses: 0 });
  });

  it('moves what is still used out of a pack mostly of values no longer used, and deletes it', async () => {
    await runWith(many('a', 100));
    const [first] = await packFiles();
    await runWith([...many('a', 10), ...many('b', 90)]);
    expect(await packFiles()).not.toContain(first);
    expect(await packFiles()).toHaveLength(1);
    expect(await runWith([...many('a', 10), ...many('b', 90)])).toEqual({ hits: 100, misses: 0 });
  });

  it('merges the small packs when a long series of small changes made too many', async () => {
    const inputs = many('a', 100);
    await runWith(inputs);
    for (let change = 0; change < 20; change++) {
      inputs.push(`change${change}`);
      await runWith(inputs);
      expect((await packFiles()).length).toBeLessThanOrEqual(8);
    }
    expect(await runWith(inputs)).toEqual({ hits: 120, misses: 0 });
  });

  it('treats a missing or truncated pack as misses, computes them again and repairs the cache', async () => {
    await runWith(many('a', 10));
    const [first] = await packFiles();
    const bytes = await readFile(join(dir, PACK_DIR, first!));
    await writeFile(join(dir, PACK_DIR, first!), bytes.subarray(0, bytes.length / 2));
    const truncated = await runWith(many('a', 10)); // each value still checks out as what it computes to
    expect(truncated.hits).toBeGreaterThan(0);
    expect(truncated.misses).toBeGreaterThan(0);
    await rm(join(dir, PACK_DIR), { recursive: true });
    expect(await runWith(many('a', 10))).toEqual({ hits: 0, misses: 10 });
    expect(await runWith(many('a', 10))).toEqual({ hits: 10, misses: 0 });
  });

  it.skipIf(process.platform !== 'linux')('a run that does not save (a dry run, a failed one) lets go of the packs it read when closed', async () => {
    await runWith(many('a', 10));
    const openPacks = async () => (await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(join('/proc/self/fd', fd)).catch(() => '')))).filter((target) => target.startsWith(join(dir, PACK_DIR))).length;
    const cache = await openRunCache(dir);
    expect(await cache.memo(['k'], 'a1', async () => 'computed')).toBe('value:a1');
    expect(await openPacks()).toBe(1);
    cache.close();
    expect(await openPacks()).toBe(0);
    expect(await cache.memo(['k'], 'a2', async () => 'computed')).toBe('value:a2'); // a closed cache still reads
    cache.close();
    expect(await openPacks()).toBe(0);
  });

  it('writes the same files for the same values, whatever order they were computed in', async () => {
    await runWith(many('a', 50));
    const index = await readFile(join(dir, CACHE_PATH), 'utf8');
    const packs = await packFiles();
    await rm(join(dir, '.scaffold'), { recursive: true });
    await runWith(many('a', 50).reverse());
    expect(await readFile(join(dir, CACHE_PATH), 'utf8')).toBe(index);
    expect(await packFiles()).toEqual(packs);
  });
});
