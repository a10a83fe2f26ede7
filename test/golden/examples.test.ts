import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { exampleModels, exampleSpec, REPO_ROOT } from '../support/fixtures.js';

/**
 * Golden files: the whole generated project of each example, file by file, as real files under
 * test/golden/__snapshots__/<example>/ so that a change to the generator reads as a diff of the code it
 * writes. Update them with `npx vitest run --project golden -u` and review the diff.
 */
const EXAMPLES = ['petstore', 'ecommerce', 'user-management'];

describe.each(EXAMPLES)('the %s example', (example) => {
  it('generates exactly the golden files', async () => {
    const out = resolve(REPO_ROOT, 'test', '.cache', 'golden', example);
    await rm(out, { recursive: true, force: true });
    const result = await generate({ spec: exampleSpec(example), out, name: undefined, models: exampleModels(example), dryRun: false, force: false });
    const paths = [...result.files.map((f) => f.path), '.scaffold/manifest.json'].sort();
    const goldenDir = resolve(import.meta.dirname, '__snapshots__', example);
    await expect(`${paths.join('\n')}\n`).toMatchFileSnapshot(join(goldenDir, 'FILES.txt'));
    for (const path of paths) {
      await expect(await readFile(join(out, path), 'utf8')).toMatchFileSnapshot(join(goldenDir, path));
    }
  });

  it('is deterministic: a second generation writes the same bytes', async () => {
    const out = resolve(REPO_ROOT, 'test', '.cache', 'golden-again', example);
    await rm(out, { recursive: true, force: true });
    const first = await generate({ spec: exampleSpec(example), out, name: undefined, models: exampleModels(example), dryRun: false, force: false });
    const second = await generate({ spec: exampleSpec(example), out, name: undefined, models: exampleModels(example), dryRun: false, force: false });
    expect(second.files.filter((f) => f.action !== 'unchanged' && f.action !== 'keep')).toEqual([]);
    expect(first.files.length).toBe(second.files.length);
  });
});
