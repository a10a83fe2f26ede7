import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../support/generated-project.js';
import { runCommand } from '../support/run.js';
import { isReachable } from '../support/services.js';
import { createTypeChecker } from '../support/type-check.js';

/**
 * The API tests a project gets from its domain model pass right after generation, on the embedded
 * database and on PostgreSQL, for a design unlike the e-commerce example: serial ids, bodies without
 * the envelope, offset paging, replacement with a version, soft deletion, nested collections and
 * transitions without a body, pagination wrappers and cursors. (examples-ecommerce.test.ts runs the e-commerce project's own tests.)
 */
let project: string;
let catalogue: string;
const DATABASE = `scaffold_e2e_library_${process.pid}`;
/** As `tsc --noEmit` in each project, with the dependencies' declarations parsed once for both. */
const typeCheck = createTypeChecker();

beforeAll(async () => {
  project = await generateFixture('crud/library', 'e2e-api-tests');
  catalogue = await generateFixture('crud/catalog', 'e2e-api-tests');
});

afterAll(async () => {
  if (project && (await isReachable('127.0.0.1', 5432))) {
    await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`], { cwd: project });
  }
});

/** `Tests  71 passed | 1 todo (72)` -> { passed: 71, failed: 0, skipped: 0 }, and the API test files that ran. */
function summary(output: string): { passed: number; failed: number; skipped: number; apiFiles: string[] } {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const line = /Tests\s+(.*)\(\d+\)/.exec(plain)?.[1] ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), apiFiles: [...new Set(plain.match(/test\/api\/[\w-]+\.api\.gen\.ts/g) ?? [])].sort() };
}

describe('the generated API tests of a library', () => {
  it('are generated for each resource and type-check', async () => {
    expect((await readdir(join(project, 'test', 'api'))).sort()).toEqual(['authors.api.gen.ts', 'books.api.gen.ts']);
    expect(typeCheck(project)).toEqual([]);
  });

  it('pass on the embedded database, none skipped', async () => {
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    expect(summary(tests.output)).toMatchObject({ failed: 0, skipped: 0, apiFiles: ['test/api/authors.api.gen.ts', 'test/api/books.api.gen.ts'] });
  });

  it('pass on PostgreSQL too', async () => {
    expect(await isReachable('127.0.0.1', 5432), 'PostgreSQL is not running on 127.0.0.1:5432; start it (pg_ctlcluster 15 main start) and run again').toBe(true);
    const created = await runCommand('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${DATABASE}`], { cwd: project });
    expect(created.code, created.output).toBe(0);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true', TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DATABASE}` } });
    expect(tests.code, tests.output).toBe(0);
    expect(summary(tests.output)).toMatchObject({ failed: 0, skipped: 0 });
  });
});

describe('the generated API tests of a catalogue paged by cursor inside the envelope', () => {
  it('type-check and pass on the embedded database, none skipped', async () => {
    expect(typeCheck(catalogue)).toEqual([]);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: catalogue, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    expect(summary(tests.output)).toMatchObject({ failed: 0, skipped: 0, apiFiles: ['test/api/widgets.api.gen.ts'] });
  });
});
