import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { MEASURED_TEST_RUNS } from '../../src/plan/test-count.js';
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

  it('states the number of tests it generates, and quotes a measured run only for the tests measured', async () => {
    const out = resolve(REPO_ROOT, 'test', '.cache', 'golden-tests', example);
    await rm(out, { recursive: true, force: true });
    await generate({ spec: exampleSpec(example), out, name: undefined, models: exampleModels(example), dryRun: false, force: false });
    // What the generated vitest.config.ts runs: test/**/*.test.ts and test/**/*.gen.ts, outside test/support.
    const files = (await readdir(join(out, 'test'), { recursive: true })).filter((f) => /\.(test|gen)\.ts$/.test(f) && !f.startsWith('support'));
    let count = 0;
    // `it(...)`, and `it.skipIf(<overridden>)(...)` of the API tests (they run until the user overrides the method).
    for (const file of files) count += (await readFile(join(out, 'test', file), 'utf8')).match(/^\s*it(\.skipIf\(.*?\))?\(/gm)?.length ?? 0;
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    expect(Number(/runs the (\d+) tests scaffold generated/.exec(readme)?.[1])).toBe(count);
    const architecture = await readFile(join(out, 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(Number(/`npm test` runs (\d+) generated tests/.exec(architecture)?.[1])).toBe(count);
    const measured = Object.values(MEASURED_TEST_RUNS).find((run) => run.directory === example);
    if (measured) {
      expect(count, `the README quotes a measured run of ${measured.tests} tests of this example: measure it again (see MEASURED_TEST_RUNS)`).toBe(measured.tests);
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
