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

async function ecommerce(example = 'ecommerce'): Promise<{ model: ApiModel; rules: Map<string, OperationRules>; entries: Map<string, ImplementationEntry> }> {
  const { model } = buildModel(await loadSpec(exampleSpec(example)));
  const domain = buildDomainModel(await loadDomainModel(exampleModels(example)!));
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
  it('reports no ecommerce operation as not implemented: the example declares every rule its prose states', async () => {
    const { rules } = await ecommerce();
    const missing = [...rules.values()].filter((r) => r.notImplemented).map((r) => r.operationId);
    expect(missing).toEqual([]);
    // The card payment's gateway call, whose succeeded outcome's reaction moves the order to paid, is its effect.
    expect(rules.get('createOrderPayment')?.proseRules.filter((r) => r.undeclared.length > 0)).toEqual([]);
    expect(rules.get('createOrderPayment')?.declared).toEqual(expect.arrayContaining([expect.stringContaining('PaymentGateway.charge'), 'effect PaymentSucceeded: order.pay()']));
    // deleteRefusedWhile declares the codes the deletes answer.
    expect(rules.get('deleteCustomer')?.declared).toContain("refused while orders where status in ['pending', 'paid', 'shipped'] (CUSTOMER_HAS_OPEN_ORDERS)");
    // Its description states no rule: the CRUD label stays.
    expect(rules.get('getProductInventory')).toMatchObject({ declared: [], notImplemented: false });
    // InventoryItem is audited: its writes say so, its reads do not.
    expect(rules.get('setProductInventory')?.declared).toContain('audited');
    expect(rules.get('getProductInventory')?.declared).not.toContain('audited');
  });

  it("covers the state of a transition (its from-states answer 409) and the state code the spec names for it", async () => {
    const { rules } = await ecommerce();
    expect(rules.get('shipOrder')?.declared).toEqual([
      'roles/scopes admin',
      "row policy hasRole('admin')",
      'transition ship from paid',
      'check reserved-within-stock (INSUFFICIENT_STOCK)',
      'effect OrderShipped: each of items: product.inventory.consume(quantity)',
    ]);
    expect(undeclaredOf(rules.get('shipOrder'), 'Any other status')).toEqual([]);
    expect(undeclaredOf(rules.get('cancelOrder'), 'Shipped, delivered')).toEqual([]);
    // An update is no transition: the states it is allowed in are the machine's updatableIn.
    expect(rules.get('updateOrder')?.declared).toContain('only in pending, paid');
    expect(undeclaredOf(rules.get('updateOrder'), 'Changes the shipping address')).toEqual([]);
    // The payment's check of its order's state covers the state its description names.
    expect(undeclaredOf(rules.get('createOrderPayment'), 'Orders that are not')).toEqual([]);
    expect(undeclaredOf(rules.get('cancelOrder'), 'Moves a `pending` or `paid` order')).toEqual([]);
  });

  it('covers uniqueness where the entity declares the field unique, and ownership by its policies', async () => {
    const { rules } = await ecommerce();
    expect(rules.get('createCustomer')?.declared).toEqual(["row policy id == auth.sub or hasRole('admin')", 'unique email (ignoring case)']);
    expect(undeclaredOf(rules.get('createCustomer'), 'E-mail addresses are unique.')).toEqual([]);
    expect(undeclaredOf(rules.get('replaceCustomer'), 'A new e-mail must not belong')).toEqual([]);
    expect(undeclaredOf(rules.get('replaceCustomer'), 'Customers may only update their own')).toEqual([]);
    // A create rule with id == auth.sub binds the new profile to the caller's subject.
    expect(undeclaredOf(rules.get('createCustomer'), 'A customer token creates')).toEqual([]);
    // Roles a policy admits count: a public operation whose policy lets admins see more.
    expect(rules.get('getProduct')?.declared).toEqual(["row policy active or hasRole('admin')"]);
    expect(undeclaredOf(rules.get('getProduct'), 'Public; inactive products')).toEqual([]);
  });

  it('covers effects by the reactions an operation sets off, and what its checks and coded invariants answer', async () => {
    const { rules } = await ecommerce();
    expect(rules.get('createOrder')?.declared).toEqual(
      expect.arrayContaining(['check product-orderable (PRODUCT_NOT_ORDERABLE)', 'check reserved-within-stock (INSUFFICIENT_STOCK)', 'effect Order.created: each of items: product.inventory.reserve(quantity)']),
    );
    expect(undeclaredOf(rules.get('createOrder'), 'Unit prices are taken')).toEqual([]);
    // "All products must be active and priced in the order's currency": the check reads active and currency.
    expect(undeclaredOf(rules.get('createOrder'), 'All products must be active')).toEqual([]);
    expect(undeclaredOf(rules.get('setProductInventory'), '`reserved` is managed by orders')).toEqual([]);
    // "Line items, status and totals cannot be changed here": the PATCH body carries none of them.
    expect(undeclaredOf(rules.get('updateOrder'), 'Line items, status and totals')).toEqual([]);
    expect(undeclaredOf(rules.get('createProduct'), 'Its inventory starts at zero.')).toEqual([]);
  });

  it('covers "unique (case-insensitive)" by a field unique: ignore-case', async () => {
    const { rules } = await ecommerce('user-management');
    expect(rules.get('createUser')?.declared).toContain('unique email (ignoring case)');
    expect(undeclaredOf(rules.get('createUser'), 'E-mail addresses are unique (case-insensitive).')).toEqual([]);
  });

  it('covers a code an update or delete answers while a condition on the row holds (changesRefusedWhile)', async () => {
    const { rules } = await ecommerce('user-management');
    expect(rules.get('replaceRole')?.declared).toContain('refused while builtIn (BUILT_IN_ROLE)');
    expect(rules.get('deleteRole')?.declared).toContain('refused while builtIn (BUILT_IN_ROLE)');
    expect(undeclaredOf(rules.get('replaceRole'), 'Built-in roles cannot be')).toEqual([]);
    expect(undeclaredOf(rules.get('deleteRole'), 'Built-in roles cannot be')).toEqual([]);
    // Reads and creates are not refused, so they do not answer the code.
    expect(rules.get('getRole')?.declared.join()).not.toContain('BUILT_IN_ROLE');
  });

  it('lists an effect sentence no reaction declares', () => {
    const cancel = operation('Cancels the order and releases its reserved stock.', []);
    expect(operationRules(cancel, undefined, undefined)).toMatchObject({ notImplemented: true, proseRules: [{ undeclared: ['effect'] }] });
  });

  it('covers a bare status the generated code answers (412 with If-Match) and the spec codes it answers', async () => {
    const { rules } = await ecommerce();
    expect(undeclaredOf(rules.get('updateProduct'), 'Clients that cached the product')).toEqual([]);
    // The spec's VERSION_CONFLICT is what the server answers for a stale version (src/model/error-codes.ts).
    expect(undeclaredOf(rules.get('updateProduct'), 'Uses optimistic locking')).toEqual([]);
    expect(rules.get('updateProduct')?.proseRules.find((r) => r.text.startsWith('Uses optimistic locking'))?.unanswered).toEqual([]);
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

  it("covers ownership only through an entity's policies, and never other rules yet", async () => {
    const { model, entries } = await ecommerce();
    for (const op of model.resources.flatMap((r) => r.operations)) {
      const declared = buildDeclaredRules({ operation: op, entry: entries.get(op.operationId), entity: undefined });
      expect(declared.rowPolicy).toBeUndefined();
    }
    expect(operationRules(operation('Customers may only order for themselves.'), undefined, undefined).notImplemented).toBe(true);
    expect(operationRules(operation('The password must satisfy the policy.'), undefined, undefined).notImplemented).toBe(true);
  });

  it('covers idempotency where the operation declares an Idempotency-Key header and a database keeps the keys', async () => {
    const { model, rules, entries } = await ecommerce();
    for (const id of ['createOrder', 'createOrderPayment']) {
      expect(rules.get(id)?.declared).toContain('idempotency key');
      expect(undeclaredOf(rules.get(id), 'Send an `Idempotency-Key`')).toEqual([]);
    }
    expect(rules.get('createProduct')?.declared).not.toContain('idempotency key');
    const createOrder = model.resources.flatMap((r) => r.operations).find((o) => o.operationId === 'createOrder') as Operation;
    const declared = buildDeclaredRules({ operation: createOrder, entry: entries.get('createOrder'), entity: undefined, database: true });
    expect(declared.answers).toEqual(expect.arrayContaining([{ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' }, { status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' }]));
    // Without a database (no domain model) the keys are kept nowhere: the sentence stays a rule in prose.
    expect(buildDeclaredRules({ operation: createOrder, entry: undefined, entity: undefined }).idempotency).toBe(false);
    expect(undeclaredOf(operationRules(createOrder, undefined, undefined), 'Send an `Idempotency-Key`')).toEqual(['idempotency']);
  });
});
