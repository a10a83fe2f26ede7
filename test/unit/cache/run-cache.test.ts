import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_PATH, openRunCache } from '../../../src/cache/run-cache.js';
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
