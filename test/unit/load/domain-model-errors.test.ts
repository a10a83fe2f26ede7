import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { PATTERN_WORDS } from '../../../src/load/domain-model-errors.js';
import { REPO_ROOT } from '../../support/fixtures.js';

async function loadProblems(path: string): Promise<Diagnostic[]> {
  try {
    await loadDomainModel(path);
  } catch (error) {
    if (error instanceof ScaffoldError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

describe('schema errors of a domain model', () => {
  it('read in plain words, the location given once (by the location, not the message)', async () => {
    const found = (await loadProblems(`${REPO_ROOT}/test/fixtures/domain/typos/schema-words.yaml`)).map((d) => `${d.code}@${d.location?.line}: ${d.message}`);
    expect(found).toEqual([
      'SCF030@4: entity name "order" must start with a capital letter and hold only letters and digits (at most 63)',
      'SCF030@5: field name "Total" of order must start with a lowercase letter and hold only letters and digits (at most 63)',
      'SCF030@6: field "code" of order has unknown property "colum"; did you mean "column"?',
      'SCF030@7: item 2 of "values" of field "status" of order may hold only letters, digits, "_", "." and "-"',
      'SCF030@9: "kind" of relation "customer" of order must be one of many-to-one, one-to-one, one-to-many, many-to-many, not "many-to-on"; did you mean "many-to-one"?',
      'SCF031@12: field "name" has unknown type "strng" (neither a scalar type nor a value object); did you mean "string"?',
    ]);
  });

  it('never show a regular expression or a JSON path in the message', async () => {
    for (const fixture of ['typos/schema-words.yaml', 'not-schema.yaml']) {
      for (const { message } of await loadProblems(`${REPO_ROOT}/test/fixtures/domain/${fixture}`)) {
        expect(message).not.toMatch(/\^|\$"|\/entities|must match pattern/);
      }
    }
  });

  it('have words for every pattern of the schema', async () => {
    const schema = await readFile(`${REPO_ROOT}/schemas/domain-model.schema.json`, 'utf8');
    const patterns = [...schema.matchAll(/"pattern": ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1] as string) as string);
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) expect(PATTERN_WORDS, pattern).toHaveProperty([pattern]);
  });
});
