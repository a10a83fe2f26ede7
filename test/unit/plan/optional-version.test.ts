import { expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { buildServiceCode } from '../../../src/plan/crud-code.js';
import { REPO_ROOT } from '../../support/fixtures.js';

async function serviceMethod(design: string, operationId: string): Promise<string> {
  const { model } = buildModel(await loadSpec(`${REPO_ROOT}/test/fixtures/${design}/openapi.yaml`));
  const domain = buildDomainModel(await loadDomainModel(`${REPO_ROOT}/test/fixtures/${design}/domain.yaml`));
  const crud = bindOperations(model, domain);
  const implementation = crud.operations.get(operationId)?.implementation;
  if (implementation?.kind !== 'crud') throw new Error(`${operationId} is not implemented`);
  return buildServiceCode([implementation.operation], crud, domain, model.basePath).methods.get(operationId)?.body ?? '';
}

it('checks an optional version only when the request sends it (issue 15, item 3)', async () => {
  const body = await serviceMethod('crud/tasks', 'updateTask');
  expect(body).toContain('if (input.body.version !== undefined && input.body.version !== task.version) {');
});

it('checks a required version always', async () => {
  const body = await serviceMethod('crud/library', 'replaceAuthor');
  expect(body).toContain('if (input.body.version !== author.version) {');
});
