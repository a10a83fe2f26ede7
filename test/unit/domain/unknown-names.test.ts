import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { REPO_ROOT } from '../../support/fixtures.js';

async function problems(name: string): Promise<Diagnostic[]> {
  try {
    buildDomainModel(await loadDomainModel(`${REPO_ROOT}/test/fixtures/domain/typos/${name}`));
  } catch (error) {
    if (error instanceof ScaffoldError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

describe('unknown names in a domain model', () => {
  it('give one friendly SCF031 for an unknown type, lowercase or capitalised, naming the nearest known one', async () => {
    const found = (await problems('unknown-types.yaml')).map((d) => `${d.code}@${d.location?.line}: ${d.message}`);
    expect(found).toEqual([
      'SCF031@9: field "ref" has unknown type "uid" (neither a scalar type nor a value object); did you mean "uuid"?',
      'SCF031@10: field "title" has unknown type "strng" (neither a scalar type nor a value object); did you mean "string"?',
      'SCF031@11: field "price" has unknown type "Mony" (neither a scalar type nor a value object); did you mean "Money"?',
      'SCF031@12: field "owner" has unknown type "Uid" (neither a scalar type nor a value object); did you mean "uuid"?',
      'SCF031@13: field "blob" has unknown type "hologram" (neither a scalar type nor a value object)',
      'SCF031@15: relation "project" of Task targets unknown entity "Projct"; did you mean "Project"?',
    ]);
  });

  it('list the known types when no name is near', async () => {
    const blob = (await problems('unknown-types.yaml')).find((d) => d.message.includes('hologram'));
    expect(blob?.hint).toBe('a field type is one of string, text, integer, bigint, decimal, number, boolean, date, datetime, uuid, json, enum, or a value object: Money');
  });

  it('name the nearest field or relation for a misspelled index field, inverse or mapped field', async () => {
    const found = (await problems('unknown-members.yaml')).map((d) => `${d.code}@${d.location?.line}: ${d.message}`);
    expect(found).toEqual([
      'SCF031@7: relation "tasks" of Project names inverse "projct", which Task does not have; did you mean "project"?',
      'SCF031@14: index names unknown field "titel" of Task; did you mean "title"?',
      'SCF031@18: mapping of "Tasks" maps "name" to unknown field "tilte" of Task; did you mean "title"?',
    ]);
  });
});
