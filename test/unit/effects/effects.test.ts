import { describe, expect, it } from 'vitest';
import { modelOf, problemsOf } from '../../support/domain-text.js';
import type { DomainModel, Entity } from '../../../src/model/domain/types.js';
import { buildDomainRules, checkHook, reactionHook, ruleErrorsOf } from '../../../src/plan/effects/domain-rules.js';
import { createSetup, type SentValues } from '../../../src/plan/effects/test-setup.js';
import type { Code } from '../../../src/plan/request-values.js';
import { buildDomainViews } from '../../../src/plan/entity-view.js';

/**
 * Effects (docs/domain-model.md, "Effects"): methods, checks across relations and reactions between
 * aggregates, checked by the model and compiled into src/services/domain-rules.gen.ts.
 */

const SHOP = `
schemaVersion: 1
entities:
  Product:
    fields:
      active: { type: boolean, default: true }
      currency: { type: string, default: EUR }
      priceCents: { type: integer, min: 0 }
    relations:
      inventory: { kind: one-to-many, target: InventoryItem, inverse: product }
  InventoryItem:
    fields:
      onHand: { type: integer, min: 0, default: 0 }
      reserved: { type: integer, min: 0, default: 0 }
    relations:
      product: { kind: many-to-one, target: Product }
    indexes:
      - { fields: [product], unique: true }
    invariants:
      - { name: reserved-within-stock, check: reserved <= onHand, code: INSUFFICIENT_STOCK }
    methods:
      reserve:
        params: { quantity: integer }
        set: { reserved: reserved + quantity }
      release:
        params: { quantity: integer }
        set: { reserved: reserved - quantity }
  Order:
    fields:
      status: { type: enum, values: [pending, paid, cancelled], default: pending }
      currency: { type: string }
      totalCents: { type: integer }
    relations:
      items: { kind: one-to-many, target: OrderItem, inverse: order }
      payments: { kind: one-to-many, target: Payment, inverse: order }
    stateMachine:
      field: status
      initial: pending
      transitions:
        pay: { from: pending, to: paid, event: OrderPaid }
        cancel: { from: [pending, paid], to: cancelled, event: OrderCancelled }
  OrderItem:
    fields:
      quantity: { type: integer, min: 1 }
    relations:
      order: { kind: many-to-one, target: Order }
      product: { kind: many-to-one, target: Product }
    checks:
      - name: product-orderable
        check: product.active and product.currency == order.currency
        code: PRODUCT_NOT_ORDERABLE
  Payment:
    fields:
      amountCents: { type: integer }
      status: { type: enum, values: [pending, succeeded, refunded], default: pending }
    relations:
      order: { kind: many-to-one, target: Order }
    stateMachine:
      field: status
      initial: pending
      transitions:
        succeed: { from: pending, to: succeeded, event: PaymentSucceeded }
        refund: { from: succeeded, to: refunded }
    checks:
      - { name: order-pending, check: "order.status == 'pending'", code: INVALID_ORDER_STATE, status: 409 }
      - { name: amount-matches, check: amountCents == order.totalCents, code: PAYMENT_AMOUNT_MISMATCH }
`;

const REACTIONS = `
reactions:
  - on: Product.created
    create: InventoryItem
    values: { product: id }
  - on: Order.created
    forEach: items
    target: product.inventory
    call: reserve
    with: { quantity: quantity }
  - on: OrderCancelled
    forEach: payments
    where: status == 'succeeded'
    call: refund
  - on: PaymentSucceeded
    target: order
    call: pay
`;

const model = modelOf;
const problems = problemsOf;

function entity(domain: DomainModel, name: string): Entity {
  return domain.entities.find((e) => e.names.original === name) as Entity;
}

describe('methods', () => {
  it('are named changes of fields from expressions over the fields and parameters, generated on the entity', async () => {
    const domain = await model(SHOP);
    const view = buildDomainViews(domain).entities.find((e) => e.className === 'InventoryItem');
    expect(view?.methods).toEqual([
      expect.objectContaining({ name: 'reserve', parameters: 'quantity: number', patch: '{ reserved: (this.props.reserved + quantity) }' }),
      expect.objectContaining({ name: 'release', parameters: 'quantity: number', patch: '{ reserved: (this.props.reserved - quantity) }' }),
    ]);
  });

  it('may not set the state, an unknown field, or take a parameter named like a field', async () => {
    const bad = SHOP.replace(
      `      release:
        params: { quantity: integer }
        set: { reserved: reserved - quantity }`,
      `      release:
        params: { onHand: integer }
        set: { reserve: reserved - onHand }`,
    ).replace(
      `    stateMachine:
      field: status
      initial: pending
      transitions:
        pay:`,
      `    methods:
      settle:
        set: { status: "'paid'" }
    stateMachine:
      field: status
      initial: pending
      transitions:
        pay:`,
    );
    const found = await problems(bad);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SCF019 parameter "onHand" of method release has the name of a field of InventoryItem/),
        expect.stringMatching(/^SCF019 method release sets "reserve", which is no field of InventoryItem .*did you mean "reserved"/),
        expect.stringMatching(/^SCF019 method settle sets the state field "status"; the state changes only through the transitions/),
      ]),
    );
  });
});

describe('invariants with a code', () => {
  it('answer the design code (422 by default) instead of a validation error', async () => {
    const domain = await model(SHOP);
    expect(entity(domain, 'InventoryItem').invariants[0]?.violation).toEqual({ code: 'INSUFFICIENT_STOCK', status: 422 });
    const view = buildDomainViews(domain).entities.find((e) => e.className === 'InventoryItem');
    expect(view?.ruleChecks).toEqual([{ condition: '(this.props.reserved <= this.props.onHand)', message: '"reserved-within-stock: reserved <= onHand must hold"', code: '"INSUFFICIENT_STOCK"', errorClass: 'RuleViolationError' }]);
    expect(view?.checks.map((c) => c.location)).not.toContain('"reserved-within-stock"');
    expect(ruleErrorsOf(domain)).toEqual({ violation: true, conflict: true, codedInvariants: true });
  });

  it('need a code for a status', async () => {
    const found = await problems(SHOP.replace('code: INSUFFICIENT_STOCK', 'status: 409'));
    expect(found).toEqual(['SCF019 invariant "reserved-within-stock" has a status but no code; a broken invariant without a code answers 400']);
  });
});

describe('checks', () => {
  it('read the fields of what a new record refers to through required many-to-one relations, one step', async () => {
    const domain = await model(SHOP);
    expect(entity(domain, 'OrderItem').checks).toEqual([expect.objectContaining({ name: 'product-orderable', relations: ['product', 'order'], code: 'PRODUCT_NOT_ORDERABLE', status: 422 })]);
    expect(entity(domain, 'Payment').checks.map((c) => [c.name, c.status])).toEqual([
      ['order-pending', 409],
      ['amount-matches', 422],
    ]);
  });

  it('refuse an optional relation, two steps, an unknown field and the caller', async () => {
    const bad = SHOP.replace('      product: { kind: many-to-one, target: Product }\n    checks:', '      product: { kind: many-to-one, target: Product, required: false }\n    checks:')
      .replace('check: product.active and product.currency == order.currency', "check: product.active and order.payments == 1 and quantity < order.limit and auth.sub == 'x'");
    const found = await problems(bad);
    expect(found).toEqual([
      'SCF019 check "product-orderable" of OrderItem reads the caller (auth, hasRole()); effects happen for every caller alike, and who may act is a policy',
    ]);
    const withoutCaller = await problems(bad.replace(" and auth.sub == 'x'", ''));
    expect(withoutCaller).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/check "product-orderable" of OrderItem: "product.active" follows the optional relation "product"/),
        expect.stringMatching(/check "product-orderable" of OrderItem: Order has no field or many-to-one relation "limit"/),
      ]),
    );
  });
});

describe('reactions', () => {
  it('resolve their trigger (created, a transition, its event), records, target and call', async () => {
    const domain = await model(SHOP + REACTIONS);
    expect(domain.reactions.map((r) => [r.source, r.trigger.entity, r.trigger.on, r.action.kind])).toEqual([
      ['Product.created', 'Product', 'created', 'create'],
      ['Order.created', 'Order', 'created', 'call'],
      ['OrderCancelled', 'Order', 'cancel', 'call'],
      ['PaymentSucceeded', 'Payment', 'succeed', 'call'],
    ]);
    const reserve = domain.reactions[1];
    expect(reserve?.forEach).toMatchObject({ relation: 'items', entity: 'OrderItem', reference: 'orderId' });
    expect(reserve?.action).toMatchObject({
      kind: 'call',
      member: 'reserve',
      memberKind: 'method',
      hops: [
        { kind: 'many-to-one', relation: 'product', property: 'productId' },
        { kind: 'one-to-many', relation: 'inventory', reference: 'productId', unique: true },
      ],
    });
    expect(reactionHook(domain, { entity: 'Order', on: 'created' })).toBe('onOrderCreated');
    expect(reactionHook(domain, { entity: 'Order', on: 'cancel' })).toBe('onOrderCancelled');
    expect(reactionHook(domain, { entity: 'Order', on: 'pay' })).toBeUndefined();
    expect(checkHook(entity(domain, 'Payment'))).toBe('checkNewPayment');
  });

  it('report what they name wrongly, with suggestions', async () => {
    const found = await problems(
      SHOP +
        `
reactions:
  - { on: Order.shipped, call: pay }
  - { on: OrderPayed, call: pay }
  - { on: Order.created, forEach: item, call: reserve }
  - { on: Order.created, forEach: items, target: product.inventory, call: reserv, with: { quantity: quantity } }
  - { on: Order.created, forEach: items, target: product.inventory, call: reserve, with: { amount: quantity } }
  - { on: Product.created, create: InventoryItem, values: { onHand: 1 } }
  - { on: Product.created, call: reserve, create: InventoryItem }
`,
    );
    expect(found).toEqual([
      expect.stringMatching(/^SCF019 "on: Order.shipped": Order has no transition "shipped" \(created, updated, pay, cancel\)/),
      expect.stringMatching(/^SCF019 "on: OrderPayed" names no event a transition raises.*did you mean "OrderPaid"/),
      expect.stringMatching(/^SCF019 "item" is no one-to-many relation of Order with a reference back.*did you mean "items"/),
      expect.stringMatching(/^SCF019 the reaction to Order.created calls "reserv", which is no method or transition of InventoryItem.*did you mean "reserve"/),
      'SCF019 "with" of the reaction to Order.created: reserve(quantity) misses quantity and has no parameter amount',
      'SCF019 the reaction to Product.created creates InventoryItem without product, which it requires',
      'SCF019 a reaction either calls a method or transition ("call") or creates an entity ("create")',
    ]);
  });

  it('that would trigger themselves again are refused', async () => {
    const found = await problems(SHOP + `\nreactions:\n  - { on: OrderPaid, forEach: payments, call: succeed }\n  - { on: PaymentSucceeded, target: order, call: pay }\n`);
    expect(found).toEqual([
      'SCF019 the reaction to OrderPaid triggers itself again through other reactions; it would never end',
      'SCF019 the reaction to PaymentSucceeded triggers itself again through other reactions; it would never end',
    ]);
  });
});

describe('src/services/domain-rules.gen.ts', () => {
  it('compiles each trigger to one function, following the hops and cascading into the reactions a transition sets off', async () => {
    const domain = await model(SHOP + REACTIONS);
    const rules = buildDomainRules(domain);
    const code = rules?.functions.join('\n\n') ?? '';
    expect(code).toContain('export async function onProductCreated(product: Product, repositories: Repositories): Promise<void> {');
    expect(code).toContain('await repositories.inventoryItems.insert(InventoryItem.create({ productId: product.id }));');
    expect(code).toContain('for (const orderItem of await repositories.orderItems.findAll({ orderId: order.id })) {');
    expect(code).toContain('const inventoryItem = await repositories.inventoryItems.findOne({ productId: orderItem.productId });');
    expect(code).toContain('if (!inventoryItem) throw new ConflictError(`Product ${orderItem.productId} has no InventoryItem`);');
    expect(code).toContain('inventoryItem.reserve(orderItem.quantity);');
    expect(code).toContain(`if (!(payment.status === "succeeded")) continue;`);
    expect(code).toContain('const order = await repositories.orders.getById(payment.orderId);\norder.pay();\nawait repositories.orders.update(order);');
    expect(code).toContain('throw new RuleConflictError("order-pending: order.status == \'pending\' must hold", "INVALID_ORDER_STATE");');
    expect(rules?.imports).toEqual([
      "import { ConflictError, RuleConflictError, RuleViolationError } from '../errors/index.js';",
      "import { InventoryItem } from '../models/inventory-item.entity.js';",
      "import type { Order } from '../models/order.entity.js';",
      "import type { OrderItem } from '../models/order-item.entity.js';",
      "import type { Payment } from '../models/payment.entity.js';",
      "import type { Product } from '../models/product.entity.js';",
      "import type { Repositories } from '../repositories/repositories.gen.js';",
    ]);
  });

  it('calls the reactions of a transition a reaction performs', async () => {
    const domain = await model(SHOP + REACTIONS + `  - { on: OrderPaid, forEach: items, target: product.inventory, call: release, with: { quantity: quantity } }\n`);
    const code = buildDomainRules(domain)?.functions.join('\n\n') ?? '';
    expect(code).toContain('order.pay();\nawait onOrderPaid(await repositories.orders.update(order), repositories);');
  });

  it('is not generated for a model without reactions or checks', async () => {
    const plain = await model(`schemaVersion: 1\nentities:\n  Note:\n    fields:\n      text: { type: string }\n`);
    expect(buildDomainRules(plain)).toBeUndefined();
  });
});

describe('test setup for a create', () => {
  const literal = (value: unknown) => ({ kind: 'literal' as const, value });
  const reference = (parent: string) => ({ kind: 'reference' as const, parent, serial: false });

  it('gives parents the values the checks need and stores the reaction targets with room for the change', async () => {
    const domain = await model(SHOP + REACTIONS);
    const item: SentValues = { fields: new Map<string, Code>([['quantity', literal(2)], ['productId', reference('product')]]), children: new Map() };
    const order: SentValues = { fields: new Map<string, Code>([['currency', literal('USD')]]), children: new Map([['items', { sent: item }]]) };
    const setup = createSetup(domain, entity(domain, 'Order'), order);
    expect(setup.overrides.get('product')).toEqual(['active: true', 'currency: "USD"']);
    expect(setup.companions).toEqual([
      {
        parent: 'product',
        sample: 'sampleInventoryItem',
        entries: ['productId: product.id', 'onHand: 100', 'reserved: 0'],
        repository: 'inventoryItems',
        reference: 'productId',
        expected: ['reserved: 2'],
        description: 'Order.created: each of items: product.inventory.reserve(quantity)',
      },
    ]);
    // Each part of a check solved through a parent has a value that breaks it, for a refusal test.
    expect(setup.breaks.map((b) => [b.parent, b.entry, b.code])).toEqual([
      ['product', 'active: false', 'PRODUCT_NOT_ORDERABLE'],
      ['product', 'currency: "sample"', 'PRODUCT_NOT_ORDERABLE'],
    ]);

    const payment: SentValues = { fields: new Map<string, Code>([['amountCents', literal(1250)], ['orderId', reference('order')]]), children: new Map() };
    expect(createSetup(domain, entity(domain, 'Payment'), payment).overrides.get('order')).toEqual(['status: "pending"', 'totalCents: 1250']);
  });
});
