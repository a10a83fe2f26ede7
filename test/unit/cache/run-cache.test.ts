import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BLOB_DIR, BLOB_SIZE, CACHE_PATH, openRunCache, type RunCache } from '../../../src/cache/run-cache.js';
import { formatCode, formatKey, PRETTIER_OPTIONS } from '../../../src/emit/format-code.js';

const UNFORMATTED = 'export const answer = {value: 42, "quoted": "text"}\n';

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
    const stored = JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as { entries: Record<string, { value: string }> };
    for (const entry of Object.values(stored.entries)) entry.value = 'DAMAGED';
    await writeFile(join(dir, CACHE_PATH), JSON.stringify(stored));
    expect(await run(['k'], 'abc', async (input) => input.toUpperCase())).toEqual({ value: 'ABC', hits: 0, misses: 1 });
  });

  it('reads a cache written in the previous format (an upgrade does not start from nothing), but not an unknown one', async () => {
    await run(['k'], 'abc', async (input) => input.toUpperCase());
    const stored = JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as { version: number };
    // Version 1 stored the same entries, without what version 2 adds (deps, values in blob files).
    await writeFile(join(dir, CACHE_PATH), JSON.stringify({ ...stored, version: 1 }));
    expect(await run(['k'], 'abc', async () => 'not called')).toEqual({ value: 'ABC', hits: 1, misses: 0 });
    await writeFile(join(dir, CACHE_PATH), JSON.stringify({ ...stored, version: 99 }));
    expect(await run(['k'], 'abc', async (input) => input.toUpperCase())).toEqual({ value: 'ABC', hits: 0, misses: 1 });
  });

  it('keeps only the entries the last run used', async () => {
    await run(['k'], 'old', async (input) => input);
    await run(['k'], 'new', async (input) => input);
    const stored = JSON.parse(await readFile(join(dir, CACHE_PATH), 'utf8')) as { entries: Record<string, { value: string }> };
    expect(Object.values(stored.entries).map((entry) => entry.value)).toEqual(['new']);
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
