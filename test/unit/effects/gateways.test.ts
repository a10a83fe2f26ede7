import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOf, problemsOf } from '../../support/domain-text.js';
import { generate } from '../../../src/engine.js';
import { afterHook, buildDomainRules } from '../../../src/plan/effects/domain-rules.js';
import { buildGatewayViews } from '../../../src/plan/gateways/gateway-view.js';

/**
 * External services (docs/domain-model.md, "External services"): gateways declare a service's
 * operations in the domain's terms; a reaction with `gateway:` calls one once a change committed, and
 * each outcome moves the changed record on.
 */

const SHOP = `
schemaVersion: 1
entities:
  Order:
    fields:
      status: { type: enum, values: [pending, paid, cancelled], default: pending }
    relations:
      payments: { kind: one-to-many, target: Payment, inverse: order }
    stateMachine:
      field: status
      initial: pending
      transitions:
        pay: { from: pending, to: paid, event: OrderPaid }
        cancel: { from: [pending, paid], to: cancelled, event: OrderCancelled }
  Payment:
    fields:
      amountCents: { type: integer }
      method: { type: enum, values: [card, bank_transfer] }
      cardToken: { type: string, required: false, secret: true }
      status: { type: enum, values: [pending, succeeded, failed], default: pending }
      failureReason: { type: string, required: false }
    relations:
      order: { kind: many-to-one, target: Order }
    stateMachine:
      field: status
      initial: pending
      transitions:
        succeed: { from: pending, to: succeeded, event: PaymentSucceeded }
        fail: { from: pending, to: failed }
gateways:
  PaymentGateway:
    description: Charges cards.
    operations:
      charge:
        input: { amountCents: integer, cardToken: string, reference: string }
        outcomes: [succeeded, declined]
reactions:
  - on: PaymentSucceeded
    target: order
    call: pay
  - on: Payment.created
    where: method == 'card' and cardToken != null
    gateway: PaymentGateway.charge
    with: { amountCents: amountCents, cardToken: cardToken, reference: id }
    outcomes: { succeeded: succeed, declined: fail, unavailable: fail }
    reason: failureReason
`;

const model = modelOf;
const problems = problemsOf;

describe('gateways', () => {
  it('declare operations with input and outcomes; unavailable is implied, and the settings are read from <NAME>_*', async () => {
    const domain = await model(SHOP);
    expect(domain.gateways).toEqual([
      expect.objectContaining({ envPrefix: 'PAYMENT_GATEWAY', operations: [expect.objectContaining({ outcomes: ['succeeded', 'declined'] })] }),
    ]);
    const [view] = buildGatewayViews(domain);
    expect(view).toMatchObject({ fileStem: 'payment-gateway', interfaceName: 'PaymentGateway', httpClass: 'HttpPaymentGateway', fakeClass: 'FakePaymentGateway' });
    expect(view?.operations[0]).toMatchObject({ inputType: 'ChargeInput', outcomeUnion: '"succeeded" | "declined" | "unavailable"', outcomesLiteral: '["succeeded", "declined"]' });
  });

  it('refuse unavailable as a declared outcome', async () => {
    expect(await problems(SHOP.replace('outcomes: [succeeded, declined]', 'outcomes: [succeeded, unavailable]'))).toEqual([
      expect.stringMatching(/^SCF044 outcome "unavailable" of PaymentGateway.charge is implied/),
    ]);
  });
});

describe('a reaction that calls a gateway', () => {
  it('is resolved with its condition, input and the transition of each outcome', async () => {
    const domain = await model(SHOP);
    expect(domain.reactions).toHaveLength(1);
    expect(domain.gatewayCalls).toEqual([
      expect.objectContaining({
        trigger: { entity: 'Payment', on: 'created' },
        gateway: 'PaymentGateway',
        operation: 'charge',
        outcomes: [
          { outcome: 'succeeded', transition: 'succeed' },
          { outcome: 'declined', transition: 'fail' },
          { outcome: 'unavailable', transition: 'fail' },
        ],
        reasonProperty: 'failureReason',
      }),
    ]);
  });

  it('compiles to a function run after the commit: the call, then the outcome in a unit of work of its own, setting off its reactions', async () => {
    const domain = await model(SHOP);
    expect(afterHook(domain, { entity: 'Payment', on: 'created' })).toBe('afterPaymentCreated');
    expect(afterHook(domain, { entity: 'Order', on: 'created' })).toBeUndefined();
    const code = buildDomainRules(domain)?.functions.join('\n') ?? '';
    expect(code).toContain('export async function afterPaymentCreated(payment: Payment, gateways: Gateways, unitOfWork: UnitOfWork): Promise<Payment> {');
    expect(code).toContain('if (!((payment.method === "card") && (payment.cardToken !== null))) return payment;');
    expect(code).toContain('await gateways.paymentGateway.charge({ amountCents: payment.amountCents, cardToken: payment.cardToken, reference: payment.id });');
    // The card token is cleared by every outcome; the service's reason is kept for the failures only.
    expect(code).toMatch(/case "succeeded":\n\{\npaymentNow\.succeed\(\{ cardToken: null \}\);\nconst saved = await repositories\.payments\.update\(paymentNow\);\nawait onPaymentSucceeded\(saved, repositories\);/);
    expect(code).toMatch(/case "declined":\ncase "unavailable":\n\{\npaymentNow\.fail\(\{ cardToken: null, \.\.\.\(reason !== undefined && \{ failureReason: reason \}\) \}\);\nreturn await repositories\.payments\.update\(paymentNow\);/);
    expect(code).toContain('if (unitOfWork.current()) {\nthrow new Error("afterPaymentCreated calls PaymentGateway after the change commits; it was called inside a unit of work");');
    expect(buildDomainRules(domain)?.imports).toContain(`import type { Gateways } from '../gateways/gateways.gen.js';`);
  });

  it('must give every input, from fields that are there and of its type', async () => {
    expect(await problems(SHOP.replace('with: { amountCents: amountCents, cardToken: cardToken, reference: id }', 'with: { amountCents: amountCents, token: cardToken }'))).toEqual([
      expect.stringMatching(/^SCF044 "with" of the reaction to Payment.created calling PaymentGateway.charge: the input \(amountCents, cardToken, reference\) misses cardToken, reference and has no input token$/),
    ]);
    expect(await problems(SHOP.replace("where: method == 'card' and cardToken != null", "where: method == 'card'"))).toEqual([
      expect.stringContaining('cardToken may be empty, and cardToken is required; add "cardToken != null" to "where"'),
    ]);
    expect(await problems(SHOP.replace('amountCents: amountCents, cardToken', 'amountCents: method, cardToken'))).toEqual([expect.stringContaining('method is an enum (a string), the input is integer')]);
  });

  it('must lead every outcome to a transition the record can take from the state the change leaves it in', async () => {
    expect(await problems(SHOP.replace('declined: fail, unavailable: fail', 'declined: fail'))).toEqual([expect.stringContaining('say which transition of Payment the outcome "unavailable" leads to')]);
    expect(await problems(SHOP.replace('declined: fail,', 'declined: fial,'))).toEqual([expect.stringContaining('"fial" is no transition of Payment; did you mean "fail"?')]);
    expect(await problems(SHOP.replace('succeeded: succeed,', 'succeeded: succeed, refunded: succeed,'))).toEqual([expect.stringContaining('"refunded" is no outcome of the operation')]);
    const later = SHOP.replace('succeed: { from: pending, to: succeeded, event: PaymentSucceeded }', 'succeed: { from: failed, to: succeeded, event: PaymentSucceeded }');
    expect(await problems(later)).toEqual([expect.stringContaining('Payment is "pending" after created, and succeed starts from failed')]);
  });

  it('names an unknown gateway or operation with a suggestion, and a reason that is no optional string field', async () => {
    expect(await problems(SHOP.replace('gateway: PaymentGateway.charge', 'gateway: PaymentGateway.chrage'))).toEqual([expect.stringContaining('PaymentGateway has no operation "chrage"; did you mean "charge"?')]);
    expect(await problems(SHOP.replace('gateway: PaymentGateway.charge', 'gateway: PaymentGatway.charge'))).toEqual([expect.stringContaining('"PaymentGatway" is no gateway of the model; did you mean "PaymentGateway"?')]);
    expect(await problems(SHOP.replace('reason: failureReason', 'reason: amountCents'))).toEqual([expect.stringContaining('"reason" names "amountCents", which is no optional string field of Payment')]);
  });

  it('acts on the changed record itself, and only after a change a service makes (never inside another reaction)', async () => {
    expect(await problems(SHOP.replace('    gateway: PaymentGateway.charge', '    target: order\n    gateway: PaymentGateway.charge'))).toEqual([expect.stringContaining('takes "target"; a gateway call acts on the changed Payment itself')]);
    const insideReaction = SHOP.replace('on: Payment.created\n    where', 'on: PaymentSucceeded\n    where').replace('succeeded: succeed, declined: fail, unavailable: fail', 'succeeded: fail, declined: fail, unavailable: fail');
    const chained = insideReaction.replace('  - on: PaymentSucceeded\n    target: order\n    call: pay\n', '  - on: OrderCancelled\n    forEach: payments\n    call: succeed\n');
    expect(await problems(chained)).toEqual([expect.stringContaining('PaymentSucceeded also happens inside the reaction to OrderCancelled, in a transaction, where no external service may be called')]);
  });
});

describe('a gateway call after a transition, in a generated project', () => {
  it('runs after the transition and its reactions committed, and the generated tests expect where the fake leaves the record', async () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'examples', 'ecommerce');
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-gateway-transition-'));
    const spec = (await readFile(join(root, 'openapi.yaml'), 'utf8')).replaceAll('enum: [pending, paid, shipped, delivered, cancelled]', 'enum: [pending, paid, shipped, delivered, cancelled, archived]');
    const models = (await readFile(join(root, 'domain.yaml'), 'utf8'))
      .replace('values: [pending, paid, shipped, delivered, cancelled]', 'values: [pending, paid, shipped, delivered, cancelled, archived]')
      .replace('        cancel: { from: [pending, paid], to: cancelled, event: OrderCancelled }\n', '        cancel: { from: [pending, paid], to: cancelled, event: OrderCancelled }\n        archive: { from: cancelled, to: archived }\n')
      .replace('gateways:\n', 'gateways:\n  Notifier:\n    operations:\n      notify: { input: { orderId: string }, outcomes: [sent] }\n')
      .replace('reactions:\n', 'reactions:\n  - on: OrderCancelled\n    gateway: Notifier.notify\n    with: { orderId: id }\n    outcomes: { sent: archive, unavailable: archive }\n');
    await writeFile(join(dir, 'openapi.yaml'), spec);
    await writeFile(join(dir, 'domain.yaml'), models);
    const result = await generate({ spec: join(dir, 'openapi.yaml'), models: join(dir, 'domain.yaml'), out: join(dir, 'project'), name: undefined, dryRun: false, force: false });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const service = await readFile(join(dir, 'project', 'src', 'services', 'orders.service.gen.ts'), 'utf8');
    const cancel = service.slice(service.indexOf('async cancelOrder('), service.indexOf('async shipOrder('));
    expect(cancel).toMatch(/const recorded = await this\.unitOfWork\.run\(async \(\) => \{[\s\S]*await onOrderCancelled\(saved, this\.repositories, [\s\S]*return saved;\s*\}\);\s*const settled = await afterOrderCancelled\(recorded, this\.gateways, this\.unitOfWork, /);
    expect(cancel).toContain('return toOrder(settled,');
    const tests = await readFile(join(dir, 'project', 'test', 'api', 'orders.api.gen.ts'), 'utf8');
    expect(tests).toContain('performs "cancel" from pending: the Order is then cancelled, and archived once Notifier.notify answered sent');
    expect(await readFile(join(dir, 'project', 'src', 'gateways', 'gateways.gen.ts'), 'utf8')).toContain('readonly notifier: Notifier;');
  }, 120_000);
});

describe('a gateway call after an update', () => {
  it('is refused: only a creation or a transition has outcomes to move the record on', async () => {
    expect(await problems(SHOP.replace('on: Payment.created\n    where', 'on: Payment.updated\n    where'))).toEqual([expect.stringContaining('a gateway call follows a creation or a transition')]);
  });
});

describe('gateway calls that could not run as declared', () => {
  const second = `  - on: Payment.created
    gateway: PaymentGateway.charge
    where: cardToken != null
    with: { amountCents: amountCents, cardToken: cardToken, reference: id }
    outcomes: { succeeded: succeed, declined: fail, unavailable: fail }
`;

  it('are refused: a second call after one change, a call after the outcome of another, when beside gateway, a date sent as text', async () => {
    expect(await problems(`${SHOP}${second}`)).toEqual([expect.stringContaining('Payment.created already calls PaymentGateway.charge; one change calls one service')]);
    const afterOutcome = second.replace('on: Payment.created', 'on: PaymentSucceeded').replace('succeeded: succeed, declined: fail, unavailable: fail', 'succeeded: settle, declined: settle, unavailable: settle');
    const settles = SHOP.replace('  - on: PaymentSucceeded\n    target: order\n    call: pay\n', '').replace('        fail: { from: pending, to: failed }\n', '        fail: { from: pending, to: failed }\n        settle: { from: succeeded, to: failed }\n');
    expect(await problems(`${settles}${afterOutcome}`)).toEqual([
      expect.stringContaining('PaymentSucceeded is also an outcome of PaymentGateway.charge, applied in a transaction'),
    ]);
    expect(await problems(SHOP.replace('    gateway: PaymentGateway.charge', "    when: method == 'card'\n    gateway: PaymentGateway.charge"))).toEqual([expect.stringContaining('takes "when"')]);
    expect(await problems(SHOP.replace('reference: id }', 'reference: createdAt }'))).toEqual([expect.stringContaining('createdAt is a datetime (a date), the input is string')]);
  });
});
