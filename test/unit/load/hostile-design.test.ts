import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { generate } from '../../../src/engine.js';
import { runCli } from '../../support/cli.js';
import { hostileCases } from '../../support/hostile-corpus.js';

/**
 * The hostile corpus cases of the load stage (issue 14, items 1 to 4: what a design may point at and
 * what its shape may cost): each generates, or stops with its diagnostic and writes nothing. The e2e
 * runner also type-checks the projects; this one only generates them, so it runs with the unit tests.
 */
const cases = hostileCases().filter((hostile) => /^0[1-4]-/.test(hostile.id));
const sandbox = await mkdtemp(join(tmpdir(), 'scaffold-hostile-load-'));
afterAll(() => rm(sandbox, { recursive: true, force: true }));

describe('hostile designs at the load stage', () => {
  it.each(cases.map((hostile) => [hostile.id, hostile] as const))('%s', async (_id, hostile) => {
    const out = join(sandbox, hostile.id);
    let thrown: unknown;
    try {
      await generate({ spec: hostile.spec, out, name: 'hostile-case', models: hostile.models, dryRun: false, force: false, ...hostile.options });
    } catch (caught) {
      thrown = caught;
    }
    if (hostile.expect === 'compiles') {
      expect(thrown === undefined ? undefined : describeFailure(thrown), hostile.about).toBeUndefined();
    } else {
      expect(thrown === undefined ? 'generated without an error' : describeFailure(thrown), hostile.about).toMatch(new RegExp(`^ScaffoldError: .*\\b${hostile.expect.diagnostic}\\b`, 's'));
      expect(existsSync(out) ? await readdir(out) : [], 'a refused run wrote files').toEqual([]);
    }
    for (const secret of hostile.mustNotContain) expect(await filesContaining(out, secret)).toEqual([]);
  }, 30_000);

  const refused = cases.filter((hostile) => hostile.expect !== 'compiles');
  it.each(refused.map((hostile) => [hostile.id, hostile] as const))('%s: scaffold generate exits 1 with the diagnostic, no stack trace', async (_id, hostile) => {
    const flags = Object.entries(hostile.options).flatMap(([name, value]) => (name === 'allowRemoteRefs' && value === true ? ['--allow-remote-refs'] : []));
    const run = await runCli(['generate', '--spec', hostile.spec, '--out', join(sandbox, `cli-${hostile.id}`), ...(hostile.models ? ['--models', hostile.models] : []), ...flags]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error ${hostile.expect !== 'compiles' && hostile.expect.diagnostic}: `, 'm'));
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

function describeFailure(thrown: unknown): string {
  if (thrown instanceof ScaffoldError) return `ScaffoldError: ${thrown.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`;
  return `uncaught ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`;
}

async function filesContaining(dir: string, text: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path, 'utf8')).includes(text)) found.push(path);
  }
  return found;
}
