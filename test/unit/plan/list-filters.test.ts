import { expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { buildServiceCode } from '../../../src/plan/crud-code.js';
import { REPO_ROOT } from '../../support/fixtures.js';

it('makes one condition of the query parameters that filter the same field (priority and maxPriority)', async () => {
  const design = `${REPO_ROOT}/test/fixtures/hostile/08-storage-bounds-plain-string-id`;
  const { model } = buildModel(await loadSpec(`${design}/openapi.yaml`));
  const domain = buildDomainModel(await loadDomainModel(`${design}/domain.yaml`));
  const crud = bindOperations(model, domain);
  const list = crud.operations.get('listNotes')?.implementation;
  if (list?.kind !== 'crud') throw new Error('listNotes is not implemented');
  const body = buildServiceCode([list.operation], crud, domain, model.basePath).methods.get('listNotes')?.body ?? '';
  expect(body).toContain('filter: { priority: { lte: input.query.maxPriority, in: input.query.priority === undefined ? undefined : [input.query.priority] } }');
});
