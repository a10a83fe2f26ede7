import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { hostileCases } from '../../support/hostile-corpus.js';

/**
 * The hostile corpus cases of the load stage (issue 14, items 1 to 4: what a design may point at and
 * what its shape may cost), through the command a user types: a refused design is exit code 1 and its
 * diagnostic, never a stack trace. (test/e2e/hostile-corpus.test.ts runs every case through the engine.)
 */
const cases = hostileCases().filter((hostile) => /^0[1-4]-/.test(hostile.id));
const sandbox = await mkdtemp(join(tmpdir(), 'scaffold-hostile-load-'));
afterAll(() => rm(sandbox, { recursive: true, force: true }));

describe('hostile designs at the load stage', () => {
  const refused = cases.filter((hostile) => hostile.expect !== 'compiles');
  it.each(refused.map((hostile) => [hostile.id, hostile] as const))('%s: scaffold generate exits 1 with the diagnostic, no stack trace', async (_id, hostile) => {
    const flags = Object.entries(hostile.options).flatMap(([name, value]) => (name === 'allowRemoteRefs' && value === true ? ['--allow-remote-refs'] : []));
    const run = await runCli(['generate', '--spec', hostile.spec, '--out', join(sandbox, `cli-${hostile.id}`), ...(hostile.models ? ['--models', hostile.models] : []), ...flags]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error ${hostile.expect !== 'compiles' && hostile.expect.diagnostic}: `, 'm'));
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
