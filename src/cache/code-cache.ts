import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * Loading the TypeScript compiler (9 MB of JavaScript, needed to print any type) costs ~0.3 s, most of
 * it V8 compiling the file; with the code V8 compiled on an earlier run it costs ~0.12 s, a large share
 * of a regeneration after a small change. Node 22 keeps such a cache for every module once asked
 * (`module.enableCompileCache`); on Node 20, which has no such switch, this keeps it for the modules
 * loaded through here. The cache lives beside the packages, in `node_modules/.cache/scaffold/` (where
 * tools keep caches of what they installed), so only who installed them can write it; when it cannot be
 * written or read the module is compiled as usual, and V8 itself rejects code cached for another
 * version, flags or source.
 */
export function requireWithCodeCache(require: NodeRequire, specifier: string): unknown {
  const file = require.resolve(specifier);
  const known = require.cache[file];
  const nodeModules = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (known?.loaded || nodeModules < 0) return require(specifier);
  const cacheDir = join(file.slice(0, nodeModules), 'node_modules', '.cache', 'scaffold');
  const enable = (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (enable) {
    enable(cacheDir);
    return require(specifier);
  }
  return loadWithCodeCache(file, cacheDir).exports;
}

/** What happened to the cached code: used, written (none yet, or V8 rejected it) or off (the file could not be written). */
export type CodeCacheOutcome = 'used' | 'written' | 'off';

/** Runs the CommonJS file as `require` would, with V8's cached code for it when there is some, and registers it. */
export function loadWithCodeCache(file: string, cacheDir: string): { exports: unknown; outcome: CodeCacheOutcome } {
  const source = readFileSync(file, 'utf8');
  const cacheFile = join(cacheDir, `${createHash('sha1').update(`${process.version}\0${process.arch}\0${file}\0`).update(source).digest('hex')}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData && { cachedData }) });
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const cache = createRequire(file).cache;
  cache[file] = module;
  try {
    (script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  } catch (error) {
    delete cache[file];
    throw error;
  }
  module.loaded = true;
  if (cachedData && !script.cachedDataRejected) return { exports: module.exports, outcome: 'used' };
  return { exports: module.exports, outcome: keep(cacheFile, script.createCachedData()) ? 'written' : 'off' };
}

/** Written beside and renamed into place: a reader sees a whole file or none, whoever else is writing it. */
function keep(file: string, data: Buffer): boolean {
  // The thread too: workers (vitest's, a caller's) share the process id.
  const temporary = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true }); // written, but not renamed
    } catch {
      // nothing was written there
    }
    return false;
  }
}
