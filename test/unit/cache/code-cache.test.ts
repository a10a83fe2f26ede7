import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWithCodeCache, requireWithCodeCache } from '../../../src/cache/code-cache.js';

const require = createRequire(import.meta.url);
const MODULE = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'src', 'cache', 'code-cache.ts')).href;

/**
 * V8 keeps what it compiled for the life of the process, so the cached code is only ever read by another
 * process: each load here runs in a fresh Node (through tsx, as the sources are TypeScript).
 */
function loadInNewProcess(file: string, cacheDir: string): { exports: unknown; outcome: string } {
  const script = `import { loadWithCodeCache } from ${JSON.stringify(MODULE)};
const { exports, outcome } = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
process.stdout.write(JSON.stringify({ exports, outcome }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { exports: unknown; outcome: string };
}

describe("loading a CommonJS module with V8's code from an earlier run", () => {
  let dir: string;
  let file: string;
  let cacheDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-code-cache-'));
    await mkdir(join(dir, 'node_modules', 'fake'), { recursive: true });
    file = join(dir, 'node_modules', 'fake', 'index.js');
    cacheDir = join(dir, 'node_modules', '.cache', 'scaffold');
    await writeFile(join(dir, 'node_modules', 'fake', 'helper.js'), 'exports.twice = (n) => n * 2;\n');
    await writeFile(file, "const { twice } = require('./helper');\nmodule.exports = { answer: twice(21), file: __filename, self: module.id };\n");
  });
  afterEach(async () => {
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the module as require does (its own require, __filename, module) and registers it', () => {
    const { exports, outcome } = loadWithCodeCache(file, cacheDir);
    expect(exports).toEqual({ answer: 42, file, self: file });
    expect(outcome).toBe('written');
    expect(require(file)).toBe(exports); // a later require gets the same instance
  });

  it('uses the cached code in the next process, and compiles anew when the source changed', async () => {
    expect(loadInNewProcess(file, cacheDir)).toEqual({ exports: { answer: 42, file, self: file }, outcome: 'written' });
    expect(loadInNewProcess(file, cacheDir)).toEqual({ exports: { answer: 42, file, self: file }, outcome: 'used' });
    await writeFile(file, 'module.exports = { answer: 43 };\n');
    expect(loadInNewProcess(file, cacheDir)).toEqual({ exports: { answer: 43 }, outcome: 'written' });
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('a damaged cache file is rejected by V8 and written anew', async () => {
    loadInNewProcess(file, cacheDir);
    const [name] = await readdir(cacheDir);
    await writeFile(join(cacheDir, name!), 'not code');
    expect(loadInNewProcess(file, cacheDir)).toEqual({ exports: { answer: 42, file, self: file }, outcome: 'written' });
    expect(loadInNewProcess(file, cacheDir).outcome).toBe('used');
  });

  it('loads the module all the same when the cache cannot be written', async () => {
    await writeFile(join(dir, 'blocker'), '');
    expect(loadWithCodeCache(file, join(dir, 'blocker', 'cache'))).toEqual({ exports: { answer: 42, file, self: file }, outcome: 'off' });
  });

  it('an error in the module is thrown and leaves nothing registered', async () => {
    await writeFile(file, "throw new Error('broken module');\n");
    expect(() => loadWithCodeCache(file, cacheDir)).toThrow('broken module');
    expect(require.cache[file]).toBeUndefined();
  });

  it('gives the TypeScript compiler that require gives', () => {
    const ts = requireWithCodeCache(require, 'typescript') as typeof import('typescript');
    expect(ts).toBe(require('typescript'));
    expect(ts.version).toMatch(/^5\.9\./);
  });
});
