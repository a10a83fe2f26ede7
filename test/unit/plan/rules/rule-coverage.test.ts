import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../../src/load/load-spec.js';
import { buildModel } from '../../../../src/model/build-model.js';
import { bindOperations } from '../../../../src/model/crud/bind-operations.js';
import type { ImplementationEntry } from '../../../../src/model/crud/types.js';
import { buildDomainModel } from '../../../../src/model/domain/build-domain.js';
import type { ApiModel, Operation } from '../../../../src/model/types.js';
import { buildDeclaredRules } from '../../../../src/plan/rules/declared-rules.js';
import { operationRules, type OperationRules } from '../../../../src/plan/rules/rule-coverage.js';
import { exampleModels, exampleSpec } from '../../../support/fixtures.js';

async function ecommerce(): Promise<{ model: ApiModel; rules: Map<string, OperationRules>; entries: Map<string, ImplementationEntry> }> {
  const { model } = buildModel(await loadSpec(exampleSpec('ecommerce')));
  const domain = buildDomainModel(await loadDomainModel(exampleModels('ecommerce')!));
  const crud = bindOperations(model, domain);
  const operations = model.resources.flatMap((r) => r.operations);
  return {
    model,
    entries: crud.operations,
    rules: new Map(operations.map((o) => [o.operationId, operationRules(o, crud.operations.get(o.operationId), domain)])),
  };
}

const undeclaredOf = (rules: OperationRules | undefined, start: string) => rules?.proseRules.find((r) => r.text.startsWith(start))?.undeclared;

/** An operation as the model holds it, with only what the rules look at. */
function operation(description: string, security: Operation['security'] = []): Operation {
  return { operationId: 'op', methodName: 'op', typeName: 'Op', method: 'post', path: '/x', routeUrl: '/x', summary: '', description, deprecated: false, parameters: [], requestBody: undefined, responses: [], security, entityHint: undefined };
}

describe('which prose rules the design declares', () => {
  it('reports every ecommerce operation whose description states a rule as not implemented, today all but one', async () => {
    const { rules } = await ecommerce();
    const implemented = [...rules.values()].filter((r) => !r.notImplemented).map((r) => r.operationId);
    // Its description states no rule: the CRUD label stays.
    expect(implemented).toEqual(['getProductInventory']);
  });

  it('covers the state of a transition (its from-states answer 409), not the error code the spec names for it', async () => {
    const { rules } = await ecommerce();
    expect(rules.get('shipOrder')?.declared).toEqual(['transition ship from paid']);
    expect(undeclaredOf(rules.get('shipOrder'), 'Any other status')).toEqual(['error-code']);
    expect(undeclaredOf(rules.get('cancelOrder'), 'Shipped, delivered')).toEqual(['error-code']);
    // An update is no transition: the states it is limited to are not declared.
    expect(undeclaredOf(rules.get('updateOrder'), 'Changes the shipping address')).toEqual(['state', 'error-code']);
  });

  it('covers uniqueness where the entity declares the field unique', async () => {
    const { rules } = await ecommerce();
    expect(rules.get('createCustomer')?.declared).toEqual(['unique email']);
    expect(undeclaredOf(rules.get('createCustomer'), 'E-mail addresses are unique.')).toEqual([]);
    expect(undeclaredOf(rules.get('replaceCustomer'), 'A new e-mail must not belong')).toEqual([]);
    expect(undeclaredOf(rules.get('replaceCustomer'), 'Customers may only update their own')).toEqual(['roles', 'ownership']);
  });

  it('covers a bare status the generated code answers (412 with If-Match), not a code of the spec it does not', async () => {
    const { rules } = await ecommerce();
    expect(undeclaredOf(rules.get('updateProduct'), 'Clients that cached the product')).toEqual([]);
    expect(undeclaredOf(rules.get('updateProduct'), 'Uses optimistic locking')).toEqual(['error-code']);
    // It answers 409, with the house code CONFLICT.
    expect(rules.get('updateProduct')?.proseRules.find((r) => r.text.startsWith('Uses optimistic locking'))?.unanswered).toEqual([{ status: 409, code: 'VERSION_CONFLICT' }]);
  });

  it('covers roles by the scopes of the security requirements', () => {
    const admin = operation('Adds a thing. **Admin only.**', [{ schemes: [{ key: 'oauth', scopes: ['admin'] }] }]);
    expect(operationRules(admin, undefined, undefined)).toMatchObject({ declared: ['roles/scopes admin'], notImplemented: false });
    const open = operation('Adds a thing. **Admin only.**', [{ schemes: [{ key: 'bearer', scopes: [] }] }]);
    expect(operationRules(open, undefined, undefined)).toMatchObject({ declared: [], notImplemented: true });
  });

  it('covers an error code the server answers for the operation, given as an input of the builder', () => {
    const op = operation('Refused with `409 THING_LOCKED` while the thing is locked.');
    expect(operationRules(op, undefined, undefined).notImplemented).toBe(true);
    expect(operationRules(op, undefined, undefined, () => [{ status: 409, code: 'THING_LOCKED' }]).notImplemented).toBe(false);
    expect(operationRules(op, undefined, undefined, () => [{ status: 422, code: 'THING_LOCKED' }]).notImplemented).toBe(true);
  });

  it('never covers ownership, idempotency or other rules yet', async () => {
    const { model, entries } = await ecommerce();
    for (const op of model.resources.flatMap((r) => r.operations)) {
      const declared = buildDeclaredRules({ operation: op, entry: entries.get(op.operationId), entity: undefined });
      expect(declared.rowPolicy).toBeUndefined();
      expect(declared.idempotency).toBe(false);
    }
    expect(operationRules(operation('Customers may only order for themselves.'), undefined, undefined).notImplemented).toBe(true);
    expect(operationRules(operation('The password must satisfy the policy.'), undefined, undefined).notImplemented).toBe(true);
  });
});
