import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../support/generated-project.js';
import { runCommand } from '../support/run.js';

/**
 * Issue 15, item 2: a newcomer's design with `Project.key: { unique: true, pattern: '^[A-Z]{2,6}$' }`,
 * Task many-to-one Project, Comment many-to-one Task got a samples.gen.ts that called a `sampleTask`
 * it never emitted (TS2304, 7 tests failing with ReferenceError). The project's own `typecheck`
 * covers its tests, and they pass: with samples made from the pattern, or, where no sample can be
 * made, without any test that needs one.
 */
let patterned: string;
let impossible: string;

beforeAll(async () => {
  patterned = await generateFixture('newcomer/samples-pattern', 'e2e-pattern-samples');
  impossible = await generateFixture('newcomer/samples-impossible', 'e2e-pattern-samples');
});

/** `Tests  71 passed | 1 skipped (72)` -> counts. */
function summary(output: string): { passed: number; failed: number; skipped: number } {
  const line = /Tests\s+(.*)\(\d+\)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''))?.[1] ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

describe('a unique key whose pattern no common word fits', () => {
  it("has a typecheck script that covers the project's tests", async () => {
    const manifest = JSON.parse(await readFile(join(patterned, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const tsconfig = JSON.parse(await readFile(join(patterned, 'tsconfig.json'), 'utf8')) as { include: string[] };
    expect(manifest.scripts.typecheck).toBe('tsc --noEmit');
    expect(tsconfig.include).toContain('test');
  });

  it('gets a sample of every entity, and type-checks with its tests', async () => {
    const samples = await readFile(join(patterned, 'test', 'support', 'samples.gen.ts'), 'utf8');
    for (const entity of ['Project', 'Task', 'Comment']) expect(samples).toContain(`export async function sample${entity}(`);
    const typecheck = await runCommand('npm', ['run', 'typecheck'], { cwd: patterned });
    expect(typecheck.code, typecheck.output).toBe(0);
  });

  it('passes all its tests, none skipped', async () => {
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: patterned, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    expect(summary(tests.output)).toMatchObject({ failed: 0, skipped: 0 });
    expect(summary(tests.output).passed).toBeGreaterThan(70);
  });
});

describe('a unique key with too few values for distinct samples', () => {
  it('calls no sample it did not emit, says why there is none, and type-checks with its tests', async () => {
    const samples = await readFile(join(impossible, 'test', 'support', 'samples.gen.ts'), 'utf8');
    expect(samples).not.toMatch(/sample(Project|Task|Comment)\(/);
    expect(samples).toContain('- Comment: it needs a Task, which has no sample.');
    const typecheck = await runCommand('npm', ['run', 'typecheck'], { cwd: impossible });
    expect(typecheck.code, typecheck.output).toBe(0);
  });

  it('passes the tests it has', async () => {
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: impossible, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    expect(summary(tests.output)).toMatchObject({ failed: 0 });
  });
});
