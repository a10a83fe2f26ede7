import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { requiredRoles } from '../../../src/model/security.js';
import type { ApiModel, Operation } from '../../../src/model/types.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

const operation = (model: ApiModel, id: string): Operation => model.resources.flatMap((r) => r.operations).find((o) => o.operationId === id) as Operation;

describe('roles in security requirements', () => {
  it('reads the names of bearer requirements as roles, and OAuth2 names as scopes', async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('ecommerce')));
    expect(model.securitySchemes.find((s) => s.key === 'bearerAuth')?.rolesClaim).toBe('role');
    expect(requiredRoles(operation(model, 'createProduct'), model.securitySchemes)).toEqual([['admin']]);
    expect(requiredRoles(operation(model, 'shipOrder'), model.securitySchemes)).toEqual([['admin']]);
    expect(requiredRoles(operation(model, 'createOrder'), model.securitySchemes)).toEqual([]);
    expect(requiredRoles(operation(model, 'getProduct'), model.securitySchemes)).toEqual([]);

    const users = buildModel(await loadSpec(exampleSpec('user-management'))).model;
    // Either role, each together with the API key.
    expect(requiredRoles(operation(users, 'impersonateUser'), users.securitySchemes)).toEqual([['admin'], ['support']]);
    expect(requiredRoles(operation(users, 'assignRole'), users.securitySchemes)).toEqual([]);
  });

  it('takes a dotted path, and ignores an x-roles-claim that is no claim name (SCF105)', async () => {
    const spec = (claim: string) => `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      security: [{ jwt: [admin, auditor] }]
      responses: { '200': { description: ok } }
components:
  securitySchemes:
    jwt: { type: http, scheme: bearer, x-roles-claim: ${claim} }
`;
    const nested = buildModel(await loadSpec(resolve(REPO_ROOT, 'inline.yaml'), { text: spec('realm_access.roles') }));
    expect(nested.model.securitySchemes[0]?.rolesClaim).toBe('realm_access.roles');
    expect(requiredRoles(operation(nested.model, 'listThings'), nested.model.securitySchemes)).toEqual([['admin', 'auditor']]);

    const broken = buildModel(await loadSpec(resolve(REPO_ROOT, 'inline.yaml'), { text: spec("'realm access..roles'") }));
    expect(broken.model.securitySchemes[0]?.rolesClaim).toBeUndefined();
    expect(broken.diagnostics.find((d) => d.code === 'SCF105')?.message).toMatch(/x-roles-claim must be a claim name/);
  });
});
