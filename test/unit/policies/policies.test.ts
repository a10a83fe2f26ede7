import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import type { DomainModel, Entity } from '../../../src/model/domain/types.js';
import { ruleFor } from '../../../src/model/domain/policies.js';
import { emptySqlImports, policyToPredicate, policyToSql } from '../../../src/plan/policies/compile-policy.js';
import { deleteRefusalsView, repositoryAccessView } from '../../../src/plan/policies/policy-views.js';
import { buildDomainViews } from '../../../src/plan/entity-view.js';

/**
 * Policies (docs/domain-model.md, "Policies"): per entity and action, a rule over the caller and the
 * row, checked by the model and compiled from one source to SQL (lists, reads) and TypeScript (creates).
 */

const SHOP = (policies: Record<string, Record<string, string>>) => `
schemaVersion: 1
entities:
  Customer:
    fields:
      email: { type: string }
${block(policies.Customer)}
  Order:
    fields:
      status: { type: enum, values: [pending, paid, cancelled], default: pending }
      totalCents: { type: integer }
      gift: { type: boolean, default: false }
    relations:
      customer: { kind: many-to-one, target: Customer }
    stateMachine:
      field: status
      initial: pending
      transitions:
        pay: { from: pending, to: paid }
        cancel: { from: [pending, paid], to: cancelled }
${block(policies.Order)}
  Payment:
    identity: serial
    fields:
      amountCents: { type: integer }
    relations:
      order: { kind: many-to-one, target: Order }
${block(policies.Payment)}
`;

function block(rules: Record<string, string> | undefined): string {
  if (!rules) return '';
  return `    policies:\n${Object.entries(rules)
    .map(([action, rule]) => `      ${action}: ${JSON.stringify(rule)}`)
    .join('\n')}`;
}

async function model(policies: Record<string, Record<string, string>>): Promise<DomainModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-policies-'));
  await writeFile(join(dir, 'domain.yaml'), SHOP(policies));
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

async function problems(policies: Record<string, Record<string, string>>): Promise<string[]> {
  try {
    await model(policies);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    return error.diagnostics.map((d) => `${d.code} ${d.message}`);
  }
  return [];
}

/** Generated code before prettier uses double quotes; the expectations read better in single ones. */
function single(code: string | undefined): string | undefined {
  return code?.replaceAll('"', "'");
}

function entity(domain: DomainModel, name: string): Entity {
  return domain.entities.find((e) => e.names.original === name) as Entity;
}

describe('the model checks every policy', () => {
  it('accepts rules over the caller, the row and many-to-one paths', async () => {
    const domain = await model({
      Order: { read: "customer == auth.sub or hasRole('admin')", cancel: "status in ['pending', 'paid'] and customer == auth.sub", onDenied: 'forbidden' },
      Payment: { read: "order.customer == auth.sub or hasRole('admin')" },
    });
    const order = entity(domain, 'Order');
    expect([...(order.policies?.rules.keys() ?? [])]).toEqual(['read', 'cancel']);
    expect(order.policies?.onDenied).toBe('forbidden');
    expect(entity(domain, 'Payment').policies?.onDenied).toBe('not-found');
    expect(entity(domain, 'Customer').policies).toBeUndefined();
  });

  it('falls back from list to read and from a transition to update, never from other actions', async () => {
    const domain = await model({ Order: { read: 'gift', update: "hasRole('admin')" } });
    const policies = entity(domain, 'Order').policies;
    expect(ruleFor(policies, 'list')?.source).toBe('gift');
    expect(ruleFor(policies, 'pay', true)?.source).toBe("hasRole('admin')");
    expect(ruleFor(policies, 'delete')).toBeUndefined();
  });

  it.each([
    [{ Order: { raed: 'gift' } }, 'policy for "raed": Order has no such action (read, list, create, update, delete, pay, cancel); did you mean "read"?'],
    [{ Order: { read: 'custmer == auth.sub' } }, 'Order has no field or many-to-one relation "custmer"; did you mean "customer"?'],
    [{ Order: { read: 'customer == auth.name' } }, '"auth.name" is not a value of the caller'],
    [{ Order: { read: 'totalCents + 1 > 3' } }, 'a comparison needs a field, a value of the caller or a literal on each side, not "+"'],
    [{ Order: { read: 'not (totalCents * 2)' } }, 'arithmetic ("*") is not available in a policy'],
    [{ Order: { read: 'totalCents' } }, '"totalCents" is not a boolean field'],
    [{ Order: { read: 'auth' } }, '"auth" alone is a value, not a condition'],
    [{ Order: { read: "auth == 'x'" } }, '"auth" alone is only compared with null'],
    [{ Order: { read: "hasRole(status)" } }, "hasRole() takes a role name in quotes"],
    [{ Order: { read: 'status in auth.sub' } }, '"in" needs a list of literal values'],
    [{ Payment: { create: 'order.customer == auth.sub' } }, 'a create rule compares the entity\'s own fields'],
    [{ Order: { read: 'customer ==' } }, 'policy for "read": the expression ends too early at column 12'],
  ])('refuses %j: %s', async (policies, message) => {
    const found = await problems(policies);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.startsWith('SCF018 '))).toBe(true);
    expect(found.join('\n')).toContain(message);
  });

  it('keeps invariants free of the caller', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-policies-'));
    await writeFile(join(dir, 'domain.yaml'), 'schemaVersion: 1\nentities:\n  A:\n    fields: { n: { type: integer } }\n    invariants:\n      - { name: mine, check: "auth.sub == null" }\n');
    await expect(buildDomainModelFrom(dir)).rejects.toThrow(/invariant "mine" reads the caller/);
  });
});

async function buildDomainModelFrom(dir: string): Promise<DomainModel> {
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

describe('one rule, two compilations', () => {
  it('decides the caller in TypeScript and leaves the row to SQL, through relations by subquery', async () => {
    const domain = await model({ Payment: { read: "order.customer == auth.sub or hasRole('admin')" }, Order: { read: "gift and status != 'cancelled'" } });
    const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
    const imports = emptySqlImports();
    const payment = entity(domain, 'Payment');
    expect(single(policyToSql(payment.policies?.rules.get('read')?.expression as never, payment, byName, imports))).toBe(
      "anyOf(through(payments.orderId, compare(orders.customerId, '==', asUuid(caller?.subject)), (where) => this.db.select({ id: orders.id }).from(orders).where(where)), hasRole(caller, 'admin'))",
    );
    expect([...imports.tables]).toEqual(['orders']);
    const order = entity(domain, 'Order');
    expect(single(policyToSql(order.policies?.rules.get('read')?.expression as never, order, byName, emptySqlImports()))).toBe("allOf(eq(orders.gift, true), ne(orders.status, 'cancelled'))");
  });

  it('compiles a create rule to a predicate over the new entity, where a missing caller value matches nothing', async () => {
    const domain = await model({ Order: { create: "customer == auth.sub or hasRole('admin') or auth.claims.tier == 'gold'" } });
    const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
    const order = entity(domain, 'Order');
    expect(single(policyToPredicate(order.policies?.rules.get('create')?.expression as never, order, byName, { caller: new Set() }))).toBe(
      "((caller?.subject !== undefined && this.props.customerId === caller?.subject) || hasRole(caller, 'admin') || (claimOf(caller, ['tier']) !== undefined && claimOf(caller, ['tier']) === 'gold'))",
    );
  });

  it('gives the repository one case per distinct rule, and every other action all rows', async () => {
    const domain = await model({ Order: { read: 'customer == auth.sub', pay: "hasRole('admin')", cancel: "hasRole('admin')" } });
    const byName = new Map(domain.entities.map((e) => [e.names.original, e]));
    const view = repositoryAccessView(entity(domain, 'Order'), byName);
    expect(single(view?.actions)).toBe("'read' | 'list' | 'update' | 'delete' | 'pay' | 'cancel'");
    expect(view?.rules).toEqual(['read, list: customer == auth.sub', "pay, cancel: hasRole('admin')"]);
    expect(single(view?.allowedBody)).toContain("case 'update':\ncase 'delete':\nreturn true;");
    expect(repositoryAccessView(entity(domain, 'Customer'), byName)).toBeUndefined();
  });
});

describe('states that allow updates and deletes', () => {
  it('are states of the machine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-guards-'));
    const machine = (extra: string) =>
      `schemaVersion: 1\nentities:\n  Order:\n    fields: { status: { type: enum, values: [pending, paid] } }\n    stateMachine:\n      field: status\n      initial: pending\n      transitions: { pay: { from: pending, to: paid } }\n${extra}`;
    await writeFile(join(dir, 'domain.yaml'), machine('      updatableIn: [pending]\n      deletableIn: [paid]\n'));
    const order = (await buildDomainModelFrom(dir)).entities[0];
    expect([order?.stateMachine?.updatableIn, order?.stateMachine?.deletableIn]).toEqual([['pending'], ['paid']]);
    await writeFile(join(dir, 'domain.yaml'), machine('      updatableIn: [pending, shipped]\n'));
    await expect(buildDomainModelFrom(dir)).rejects.toThrow(/"shipped" is not a state of status/);
  });
});

describe('deletes refused while related records hold the entity', () => {
  const shop = (refusal: string) =>
    `schemaVersion: 1\nentities:\n  Customer:\n    fields: { email: { type: string } }\n    relations:\n      orders: { kind: one-to-many, target: Order, inverse: customer }\n    deleteRefusedWhile:\n${refusal}\n  Order:\n    fields: { status: { type: enum, values: [pending, done] } }\n    relations:\n      customer: { kind: many-to-one, target: Customer }\n`;

  it('compile to one query on the related table, with the design\'s code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-refusals-'));
    await writeFile(join(dir, 'domain.yaml'), shop("      - { relation: orders, where: \"status == 'pending'\", code: HAS_OPEN_ORDERS }"));
    const domain = await buildDomainModelFrom(dir);
    const view = deleteRefusalsView(entity(domain, 'Customer'), new Map(domain.entities.map((e) => [e.names.original, e])));
    expect(single(view?.refusals[0]?.condition)).toBe("and(eq(orders.customerId, id), eq(orders.status, 'pending'))");
    expect(view?.refusals[0]).toMatchObject({ table: 'orders', variable: 'hasOpenOrders', message: '"Customer cannot be deleted while it has such orders"' });
  });

  it.each([
    ["      - { relation: order, code: HAS_ORDERS }", 'no one-to-many relation of Customer with a reference back; did you mean "orders"?'],
    ["      - { relation: orders, where: 'customer == auth.sub', code: MINE }", 'it reads the caller'],
    ["      - { relation: orders, where: 'statu == 1', code: BAD }", 'Order has no field or many-to-one relation "statu"'],
  ])('refuses %s', async (refusal, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-refusals-'));
    await writeFile(join(dir, 'domain.yaml'), shop(refusal));
    await expect(buildDomainModelFrom(dir)).rejects.toThrow(message);
  });
});

describe('updates and deletes refused while a condition on the row holds (changesRefusedWhile)', () => {
  const roles = (refusal: string) =>
    `schemaVersion: 1\nentities:\n  Role:\n    fields:\n      name: { type: string }\n      builtIn: { type: boolean, default: false }\n      archivedAt: { type: datetime, required: false }\n    changesRefusedWhile:\n${refusal}\n`;

  it('keep the condition, the code and the refused actions (both by default)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-change-refusals-'));
    await writeFile(join(dir, 'domain.yaml'), roles("      - { when: builtIn, code: BUILT_IN_ROLE }\n      - { when: 'archivedAt != null', code: ARCHIVED, refuses: [delete], message: Archived roles stay. }"));
    const role = entity(await buildDomainModelFrom(dir), 'Role');
    expect(role.changeRefusals.map((r) => [r.when.source, r.code, r.refuses, r.message])).toEqual([
      ['builtIn', 'BUILT_IN_ROLE', ['update', 'delete'], 'Role cannot be changed or deleted while builtIn'],
      ['archivedAt != null', 'ARCHIVED', ['delete'], 'Archived roles stay.'],
    ]);
  });

  it('compile to a check of the loaded entity, refused with the code, and to model tests of both sides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-change-refusals-'));
    await writeFile(join(dir, 'domain.yaml'), roles("      - { when: builtIn == true, code: BUILT_IN_ROLE }\n      - { when: 'archivedAt != null', code: ARCHIVED, refuses: [delete] }"));
    const view = buildDomainViews(await buildDomainModelFrom(dir)).entities[0];
    expect(view?.changeRefusals).toEqual([
      { condition: '(this.props.builtIn === true)', text: 'builtIn == true', message: '"Role cannot be changed or deleted while builtIn == true"', code: '"BUILT_IN_ROLE"', only: undefined },
      { condition: '(this.props.archivedAt !== null)', text: 'archivedAt != null', message: '"Role cannot be deleted while archivedAt != null"', code: '"ARCHIVED"', only: 'delete' },
    ]);
    expect(view).toMatchObject({ refusesUpdate: true, checksDeletes: true, refusalsByAction: true, ruleErrorClasses: ['RuleConflictError'] });
    expect(view?.refusalTests.map((t) => [t.state, t.calls, t.code])).toEqual([
      ['builtIn: true', ['update({})', 'assertDeletable()'], '"BUILT_IN_ROLE"'],
      ['', ['update({})', 'assertDeletable()'], undefined],
    ]);
  });

  it.each([
    ["      - { when: 'builtin', code: X }", '"builtin", which is no scalar field of it; did you mean "builtIn"?'],
    ["      - { when: \"hasRole('admin')\", code: X }", 'reads the caller'],
    ["      - { when: 'builtIn ==', code: X }", 'changesRefusedWhile "X"'],
  ])('refuses %s', async (refusal, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-change-refusals-'));
    await writeFile(join(dir, 'domain.yaml'), roles(refusal));
    await expect(buildDomainModelFrom(dir)).rejects.toThrow(message);
  });
});
