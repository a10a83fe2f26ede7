import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { exampleSpec, fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';

const typos = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'domain', 'typos', name);
const out = async () => join(await mkdtemp(join(tmpdir(), 'scaffold-typos-')), 'out');

describe('what a user sees for a typo in the design', () => {
  it('an unknown field type, lowercase or capitalised: one friendly line each, the location once, no regex', async () => {
    const result = await runCli(['generate', '--spec', exampleSpec('ecommerce'), '--models', typos('unknown-types.yaml'), '--out', await out()]);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('error '));
    expect(lines).toContain(`error SCF031: ${typos('unknown-types.yaml')}:9:20 #/entities/Task/fields/ref/type: field "ref" has unknown type "uid" (neither a scalar type nor a value object); did you mean "uuid"?`);
    expect(lines).toContain(`error SCF031: ${typos('unknown-types.yaml')}:12:22 #/entities/Task/fields/owner/type: field "owner" has unknown type "Uid" (neither a scalar type nor a value object); did you mean "uuid"?`);
    for (const line of lines) {
      expect(line).not.toMatch(/must match pattern|\^\(/);
      expect(line.split('/entities/').length, line).toBeLessThanOrEqual(2);
    }
  });

  it('a schema error of the model names the place once, in words', async () => {
    const result = await runCli(['generate', '--spec', exampleSpec('ecommerce'), '--models', typos('schema-words.yaml'), '--out', await out()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error SCF030: ${typos('schema-words.yaml')}:9:`);
    expect(result.stderr).toContain('"kind" of relation "customer" of order must be one of many-to-one, one-to-one, one-to-many, many-to-many, not "many-to-on"; did you mean "many-to-one"?');
    expect(result.stderr).not.toMatch(/must match pattern|: \/entities/);
  });

  it('a misspelled $ref names the nearest component', async () => {
    const result = await runCli(['generate', '--spec', fixtureSpec('misspelled-ref.yaml'), '--persistence', 'none', '--out', await out()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error SCF006: .*misspelled-ref\.yaml:11:\d+ #\/paths\/~1tasks\/get\/responses\/200\/content\/application~1json\/schema: cannot resolve \$ref "#\/components\/schemas\/Taks": components\/schemas has no "Taks"; did you mean "Task"\?/);
  });
});
