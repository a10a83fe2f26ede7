import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema } from '../../../src/model/domain/relational-schema.js';
import { buildApiTests } from '../../../src/plan/api-tests.js';
import { buildPersistenceView } from '../../../src/plan/persistence-view.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/**
 * Issue 15, item 2: `Project.key: { unique: true, pattern: '^[A-Z]{2,6}$' }`, Task many-to-one
 * Project, Comment many-to-one Task. The samples and the API tests were built on a key no common
 * word fits; samples.gen.ts called a `sampleTask` it never emitted.
 */
async function design(fixture: string) {
  const dir = `${REPO_ROOT}/test/fixtures/newcomer/${fixture}`;
  const { model } = buildModel(await loadSpec(`${dir}/openapi.yaml`));
  const domain = buildDomainModel(await loadDomainModel(`${dir}/domain.yaml`));
  const persistence = buildPersistenceView(domain, relationalSchema(domain));
  return { persistence, apiTests: buildApiTests(model, bindOperations(model, domain), domain, persistence) };
}

/** The sample builders a builder calls, and the ones that exist. */
function references(persistence: Awaited<ReturnType<typeof design>>['persistence']) {
  const defined = new Set(persistence.samples.map((s) => s.entityClass));
  const called = persistence.samples.flatMap((s) => s.parents.map((p) => p.entityClass));
  return { defined, called };
}

describe('samples of a unique key with a pattern no word fits', async () => {
  const { persistence, apiTests } = await design('samples-pattern');

  it('makes a sample of every entity, the key written in capitals from a running number', () => {
    expect(persistence.samples.map((s) => s.entityClass)).toEqual(['Project', 'Task', 'Comment']);
    expect(persistence.samples[0]?.input).toBe('key: spellNumber(next(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4), name: "sample"');
    expect(persistence.unsampled).toEqual([]);
  });

  it('tests every operation over HTTP, the key of each body distinct', () => {
    expect(apiTests.files.flatMap((f) => f.omitted)).toEqual([]);
    const projects = apiTests.files.find((f) => f.fileStem === 'projects');
    expect(projects?.helpers.join('\n')).toContain('return { key: spellNumber(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4), name: "sample" };');
    expect(projects?.imports).toContain("import { next, spellNumber } from '../support/samples.gen.js';");
  });
});

describe('samples of a unique key with too few values', async () => {
  const { persistence, apiTests } = await design('samples-impossible');

  it('makes none of what needs one, through every relation, and says why', () => {
    const { defined, called } = references(persistence);
    expect(called.filter((name) => !defined.has(name))).toEqual([]);
    expect(persistence.samples).toEqual([]);
    expect(persistence.unsampled).toEqual([
      'Project: no distinct values of its unique field key can be made.',
      'Task: it needs a Project, which has no sample.',
      'Comment: it needs a Task, which has no sample.',
    ]);
  });

  it('leaves out the API tests that need a sample, each with its reason', () => {
    expect(apiTests.files.flatMap((f) => f.omitted)).toEqual([
      'listProjects: createProject: no distinct values for "key" fit both the spec and the model.',
      'createProject: no distinct values for "key" fit both the spec and the model.',
      'listProjectTasks: createProjectTask: no sample Project can be made for its path.',
      'createProjectTask: no sample Project can be made for its path.',
    ]);
    const text = apiTests.files.flatMap((f) => [...f.helpers, ...f.groups.flatMap((g) => g.cases.map((c) => c.body))]).join('\n');
    expect(text).not.toMatch(/sample(Project|Task|Comment)\(/);
  });
});
