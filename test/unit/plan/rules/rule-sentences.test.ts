import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../../src/load/load-spec.js';
import { buildModel } from '../../../../src/model/build-model.js';
import { bindOperations } from '../../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../../src/model/domain/build-domain.js';
import { classifySentence, findRuleSentences, RULE_KINDS, splitSentences, type RuleKind } from '../../../../src/plan/rules/rule-sentences.js';
import { exampleModels, exampleSpec, REPO_ROOT } from '../../../support/fixtures.js';

/** operationId -> the rule-like sentences found (their first words) and their kinds; operations with none are listed with []. */
type Expected = Record<string, [string, RuleKind[]][]>;

const ECOMMERCE: Expected = {
  listProducts: [['Anonymous callers only see active products', ['roles', 'ownership']]],
  createProduct: [
    ['**Admin only.**', ['roles']],
    ['Its inventory starts at zero.', ['effect']],
  ],
  getProduct: [['Public; inactive products are only visible to admins.', ['roles', 'ownership']]],
  updateProduct: [
    ['**Admin only.**', ['roles']],
    ['Uses optimistic locking: `version` must equal', ['error-code']],
    ['Clients that cached the product', ['error-code']],
  ],
  deleteProduct: [
    ['**Admin only.**', ['roles']],
    ['Refused with `409 PRODUCT_HAS_RESERVED_STOCK`', ['error-code']],
  ],
  getProductInventory: [],
  setProductInventory: [
    ['**Admin only.**', ['roles']],
    ['`reserved` is managed by orders and cannot be set', ['error-code']],
  ],
  listCustomers: [['**Admin only.**', ['roles']]],
  createCustomer: [
    ['A customer token creates the profile bound to its own subject', ['roles', 'ownership']],
    ['E-mail addresses are unique.', ['uniqueness']],
  ],
  getCustomer: [['Customers may only read their own profile; admins any.', ['roles', 'ownership']]],
  replaceCustomer: [
    ['Customers may only update their own profile; admins any.', ['roles', 'ownership']],
    ['A new e-mail must not belong to another customer.', ['uniqueness']],
  ],
  deleteCustomer: [
    ['**Admin only.**', ['roles']],
    ['Refused with `409 CUSTOMER_HAS_OPEN_ORDERS`', ['error-code']],
  ],
  listCustomerOrders: [['Customers may only list their own; admins any.', ['roles', 'ownership']]],
  listOrders: [['Admins see all orders; customers only their own', ['roles', 'ownership', 'error-code']]],
  createOrder: [
    ['Unit prices are taken from the catalogue at this moment and the ordered quantities are reserved', ['effect']],
    ['All products must be active', ['other']],
    ['Customers may only order for themselves.', ['ownership']],
    ['Send an `Idempotency-Key`', ['idempotency']],
  ],
  getOrder: [['Customers may only read their own orders.', ['ownership']]],
  updateOrder: [
    ['Changes the shipping address or note of an order that has not shipped yet', ['state', 'error-code']],
    ['Line items, status and totals cannot be changed here', ['other']],
  ],
  cancelOrder: [
    ['Moves a `pending` or `paid` order to `cancelled` and releases its reserved stock.', ['state', 'effect']],
    ["A paid order's succeeded payment is refunded.", ['state', 'effect']],
    ['Shipped, delivered or already cancelled orders answer', ['state', 'error-code']],
    ['Customers may cancel their own orders.', ['ownership']],
  ],
  shipOrder: [
    ['Moves a `paid` order to `shipped`, records the carrier and tracking number and turns reserved stock', ['state', 'effect']],
    ['**Admin only.**', ['roles']],
    ['Any other status answers `409 INVALID_ORDER_STATE`.', ['state', 'error-code']],
  ],
  deliverOrder: [
    ['**Admin only.**', ['roles']],
    ['Any other status answers `409 INVALID_ORDER_STATE`.', ['state', 'error-code']],
  ],
  createOrderPayment: [
    ['The amount and currency must equal', ['error-code']],
    ['A card payment that succeeds moves the order to `paid`', ['state', 'effect']],
    ['Orders that are not `pending` answer', ['state', 'error-code']],
    ['Send an `Idempotency-Key`', ['idempotency']],
  ],
  getPayment: [['Customers may only read payments of their own orders.', ['ownership']]],
};

const USER_MANAGEMENT: Expected = {
  login: [['Failed attempts are rate limited', ['other']]],
  refreshToken: [['Re-use of an already rotated refresh token', ['error-code']]],
  logout: [],
  getCurrentUser: [],
  getPasswordPolicy: [
    ["With a bearer token, the policy that applies to the caller's roles", ['other']],
    ['An invalid token is rejected with `401`', ['error-code']],
  ],
  impersonateUser: [['Requires **both** the support console', ['roles']]],
  listUsers: [],
  createUser: [
    ['E-mail addresses are unique (case-insensitive).', ['uniqueness', 'other']],
    ['The password must satisfy the default password policy.', ['other']],
  ],
  lookupUserByEmail: [['Accepts either an internal service API key or an OAuth2 client token with `users:read`.', ['roles']]],
  getUser: [],
  updateUser: [['Optimistic locking: when `If-Match` is sent', ['error-code']]],
  deleteUser: [],
  changePassword: [
    ["Changes the caller's own password", ['ownership', 'error-code']],
    ['The current password must be supplied', ['error-code']],
  ],
  assignRole: [['Requires both `users:write` and `roles:write`.', ['roles']]],
  unassignRole: [
    ['Answers `404` when the user does not hold the role.', ['error-code']],
    ['Removing the last `admin` assignment', ['error-code']],
  ],
  listUserSessions: [['A user may list their own sessions', ['roles', 'ownership']]],
  revokeSession: [['A user may revoke their own sessions', ['roles', 'ownership']]],
  listRoles: [],
  createRole: [['Role names are unique.', ['uniqueness']]],
  getRole: [],
  replaceRole: [['Built-in roles cannot be changed', ['error-code']]],
  deleteRole: [['Built-in roles cannot be deleted', ['error-code']]],
};

/** Every operation of an example: its rule-like sentences, with the states of the entity it is bound to. */
async function classifyExample(name: string): Promise<Record<string, [string, RuleKind[]][]>> {
  const { model } = buildModel(await loadSpec(exampleSpec(name)));
  const modelPath = exampleModels(name);
  const domain = modelPath === undefined ? undefined : buildDomainModel(await loadDomainModel(modelPath));
  const crud = domain && bindOperations(model, domain);
  return Object.fromEntries(
    model.resources.flatMap((resource) =>
      resource.operations.map((operation) => {
        const entityName = crud?.operations.get(operation.operationId)?.entity;
        const states = domain?.entities.find((e) => e.names.original === entityName)?.stateMachine?.states ?? [];
        const sentences = [...findRuleSentences(operation.summary, { states }), ...findRuleSentences(operation.description, { states })];
        return [operation.operationId, sentences.map((s) => [s.text, s.kinds] as [string, RuleKind[]])];
      }),
    ),
  );
}

function expectSentences(found: Record<string, [string, RuleKind[]][]>, expected: Expected): void {
  expect(Object.keys(found).sort()).toEqual(Object.keys(expected).sort());
  for (const [operationId, sentences] of Object.entries(expected)) {
    const actual = found[operationId] ?? [];
    expect(actual.map(([text]) => text), operationId).toHaveLength(sentences.length);
    for (const [i, [start, kinds]] of sentences.entries()) {
      expect(actual[i]?.[0], operationId).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(actual[i]?.[1], `${operationId}: ${start}`).toEqual(kinds);
    }
  }
}

describe('rule-like sentences of operation descriptions', () => {
  it('has the kinds scaffold generate --json documents in its schema', async () => {
    const schema = await readFile(join(REPO_ROOT, 'schemas', 'generate-result.schema.json'), 'utf8');
    const enums = [...schema.matchAll(/"enum": \[([^\]]*"uniqueness"[^\]]*)\]/g)].map((m) => JSON.parse(`[${m[1] ?? ''}]`) as string[]);
    expect(enums).toEqual([[...RULE_KINDS], [...RULE_KINDS]]);
  });

  it('finds every rule the ecommerce example states in prose, and nothing else', async () => {
    expectSentences(await classifyExample('ecommerce'), ECOMMERCE);
  });

  it('finds every rule the user-management example states in prose, and nothing else', async () => {
    expectSentences(await classifyExample('user-management'), USER_MANAGEMENT);
  });

  it('takes descriptions of what an operation returns for no rule', () => {
    for (const text of ['Returns a page of products.', 'Public: no token is needed.', 'Returns one user. The `ETag` response header is used with `If-Match` for updates.', 'Places an order in status `pending`.']) {
      expect(findRuleSentences(text, { states: ['pending'] }), text).toEqual([]);
    }
  });

  it('names the codes a sentence states, with or without their status', () => {
    expect(classifySentence('Refused with `409 PRODUCT_HAS_RESERVED_STOCK` while stock is reserved.', { states: [] })?.codes).toEqual([{ status: 409, code: 'PRODUCT_HAS_RESERVED_STOCK' }]);
    expect(classifySentence('Another customer answers `403`.', { states: [] })?.codes).toEqual([{ status: 403, code: undefined }]);
    expect(classifySentence('Built-in roles answer BUILT_IN_ROLE.', { states: [] })?.codes).toEqual([{ status: undefined, code: 'BUILT_IN_ROLE' }]);
  });

  it('marks a state only in a sentence that states a rule, and a state of the entity only', () => {
    expect(classifySentence('Only `draft` posts may be edited; others are refused.', { states: ['draft', 'published'] })?.kinds).toEqual(['state']);
    expect(classifySentence('Only `draft` posts may be edited; others are refused.', { states: [] })?.kinds).toEqual(['other']);
  });

  it('cuts a description into sentences, keeping abbreviations and bold text whole', () => {
    expect(splitSentences('Adds a product. **Admin only.** Sets the stock, e.g. after a count.\n  Done (`x`).')).toEqual([
      'Adds a product.',
      '**Admin only.**',
      'Sets the stock, e.g. after a count.',
      'Done (`x`).',
    ]);
  });
});
