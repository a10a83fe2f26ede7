import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CACHE_PATH } from '../../src/cache/run-cache.js';
import { generate } from '../../src/engine.js';
import { exampleModels, exampleSpec, REPO_ROOT } from '../support/fixtures.js';

/**
 * The cache under .scaffold/cache/ makes regeneration fast; these tests hold it to never changing what
 * is generated: a regeneration with a warm cache writes what a fresh generation of the same design
 * writes, and a damaged cache is only a slower run.
 */
const EXAMPLES = ['petstore', 'ecommerce', 'user-management'];

/** The spec with an optional query parameter added to the GET operation of the path in its middle. */
function withOneOperationChanged(document: { paths: Record<string, Record<string, { parameters?: unknown[] }>> }) {
  const changed = structuredClone(document);
  const gets = Object.values(changed.paths).filter((item) => item.get);
  const get = gets[Math.floor(gets.length / 2)]!.get!;
  get.parameters = [...(get.parameters ?? []), { name: 'probe', in: 'query', required: false, schema: { type: 'string' } }];
  return changed;
}

/** A regeneration records what changed since the last run; a fresh generation has no last run. */
const HISTORY = new Set(['.scaffold/api-snapshot.json', '.scaffold/report.md']);

async function generatedFiles(dir: string): Promise<Map<string, string>> {
  const manifest = JSON.parse(await readFile(join(dir, '.scaffold', 'manifest.json'), 'utf8')) as { files: { path: string; owner: string }[] };
  const files = new Map<string, string>();
  for (const file of manifest.files) {
    const compared = file.owner === 'generator' && !HISTORY.has(file.path);
    files.set(`${file.owner} ${file.path}`, compared ? await readFile(join(dir, file.path), 'utf8') : '');
  }
  return files;
}

describe.each(EXAMPLES)('regenerating the %s example with a warm cache', (example) => {
  const root = resolve(REPO_ROOT, 'test', '.cache', 'regeneration-cache', example);
  const options = (spec: string, out: string) => ({ spec, out, name: undefined, models: exampleModels(example), dryRun: false, force: false });

  it('after a one-operation change, writes exactly what a fresh generation of the changed spec writes', async () => {
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const original = parse(await readFile(exampleSpec(example), 'utf8'));
    const spec = join(root, 'openapi.yaml');
    const regenerated = join(root, 'regenerated');
    const fresh = join(root, 'fresh');

    await writeFile(spec, stringify(original));
    await generate(options(spec, regenerated));
    const cached = await readFile(join(regenerated, CACHE_PATH), 'utf8');
    await writeFile(spec, stringify(withOneOperationChanged(original)));
    const result = await generate(options(spec, regenerated));
    expect(result.files.filter((f) => f.action === 'update').length).toBeGreaterThan(0);
    await generate(options(spec, fresh));

    expect(await generatedFiles(regenerated)).toEqual(await generatedFiles(fresh));
    // The second run did read a cache, and kept it current.
    expect(cached.length).toBeGreaterThan(1000);
    expect(await readFile(join(regenerated, CACHE_PATH), 'utf8')).not.toBe(cached);
  });

  it('writes nothing new when its cache is corrupt or gone, and repairs it', async () => {
    const out = join(root, 'damaged');
    await rm(out, { recursive: true, force: true });
    await generate(options(exampleSpec(example), out));
    const before = await generatedFiles(out);
    const intact = await readFile(join(out, CACHE_PATH), 'utf8');

    await writeFile(join(out, CACHE_PATH), intact.slice(0, intact.length / 2));
    expect((await generate(options(exampleSpec(example), out))).changed).toBe(false);
    expect(await generatedFiles(out)).toEqual(before);
    expect(await readFile(join(out, CACHE_PATH), 'utf8')).toBe(intact);

    await rm(join(out, CACHE_PATH));
    expect((await generate(options(exampleSpec(example), out))).changed).toBe(false);
    expect(await readFile(join(out, CACHE_PATH), 'utf8')).toBe(intact);
  });
});
