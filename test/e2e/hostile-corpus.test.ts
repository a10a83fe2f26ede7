import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../src/diagnostics/diagnostic.js';
import { generate } from '../../src/engine.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { HOSTILE_DIR, hostileCases, type HostileCase } from '../support/hostile-corpus.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';
import { startChecks } from '../support/start-checks.js';
import { createTypeChecker } from '../support/type-check.js';

/**
 * Every case of the hostile corpus (test/fixtures/hostile/) either generates a project that
 * type-checks and starts, or stops with the diagnostic its case.json names, writing nothing. Never an
 * uncaught exception, never a file outside --out, never a byte of a file the design must not reach.
 */
const SANDBOX = resolve(REPO_ROOT, 'test', '.cache', 'hostile-corpus');
const cases = hostileCases();
const generated: { hostile: HostileCase; out: string }[] = [];
let corpusBefore: string;

beforeAll(async () => {
  await rm(SANDBOX, { recursive: true, force: true });
  await mkdir(SANDBOX, { recursive: true });
  corpusBefore = await treeDigest(HOSTILE_DIR);
});

afterAll(async () => {
  expect(await treeDigest(HOSTILE_DIR), 'a case wrote into the corpus (outside --out)').toBe(corpusBefore);
});

describe('the hostile corpus', () => {
  it('holds at least 60 cases, each saying what it attacks', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((hostile) => [hostile.id, hostile] as const))('%s', async (_id, hostile) => {
    const sandbox = join(SANDBOX, hostile.id);
    const out = join(sandbox, 'out');
    await mkdir(sandbox, { recursive: true });
    let thrown: unknown;
    try {
      await generate({ spec: hostile.spec, out, name: 'hostile-case', models: hostile.models, dryRun: false, force: false, ...hostile.options });
    } catch (caught) {
      thrown = caught;
    }

    if (hostile.expect === 'compiles') {
      expect(thrown === undefined ? undefined : describeFailure(thrown), hostile.about).toBeUndefined();
      generated.push({ hostile, out });
    } else {
      expect(thrown === undefined ? 'generated without an error' : describeFailure(thrown), hostile.about).toMatch(new RegExp(`^ScaffoldError: .*\\b${hostile.expect.diagnostic}\\b`, 's'));
      expect(await filesUnder(out), 'a refused run wrote files').toEqual([]);
    }
    expect((await readdir(sandbox)).filter((name) => name !== 'out'), 'files written beside --out').toEqual([]);
    for (const secret of hostile.mustNotContain) expect(await filesContaining(out, secret), `files holding ${JSON.stringify(secret)}`).toEqual([]);
  }, 30_000);

  it('type-checks every project it generated and starts each one', async () => {
    expect(generated.length).toBeGreaterThan(0);
    const failures: string[] = [];
    const typeCheck = createTypeChecker();
    for (const { hostile, out } of generated) {
      await linkRuntimeModules(out);
      const problems = typeCheck(out);
      if (problems.length > 0) failures.push(`${hostile.id} does not type-check:\n${problems.join('').slice(0, 4000)}`);
    }
    // Every project that type-checks starts, one after another in one worker process (start-checks.ts).
    const starting = generated.filter(({ hostile }) => !failures.some((f) => f.startsWith(`${hostile.id} `)));
    const started = await startChecks(starting.map(({ hostile, out }) => ({ id: hostile.id, dir: out, served: hostile.served })));
    for (const { hostile } of starting) {
      const result = started.find((r) => r.id === hostile.id);
      if (result === undefined) failures.push(`${hostile.id} was not started`);
      else if (result.problem !== undefined) failures.push(`${hostile.id} does not start:\n${result.problem.slice(0, 4000)}`);
    }
    expect(failures).toEqual([]);
  }, 900_000);
});

function describeFailure(thrown: unknown): string {
  if (thrown instanceof ScaffoldError) return `ScaffoldError: ${thrown.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`;
  return `uncaught ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

async function filesContaining(dir: string, text: string): Promise<string[]> {
  const holding: string[] = [];
  for (const file of await filesUnder(dir)) {
    if (file.startsWith('node_modules')) continue;
    if ((await readFile(join(dir, file), 'utf8')).includes(text)) holding.push(file);
  }
  return holding;
}

async function treeDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await filesUnder(dir)) {
    const path = join(dir, file);
    // Some cases hold links out of the corpus (to /etc, /dev/zero, nowhere): the link is the content.
    const content = (await lstat(path)).isSymbolicLink() ? await readlink(path) : await readFile(path);
    hash.update(file).update('\0').update(content).update('\0');
  }
  return hash.digest('hex');
}
