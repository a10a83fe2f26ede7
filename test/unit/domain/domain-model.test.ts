import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { REPO_ROOT } from '../../support/fixtures.js';

const fixture = (name: string) => `${REPO_ROOT}/test/fixtures/domain/${name}`;

async function problems(path: string): Promise<Diagnostic[]> {
  try {
    buildDomainModel(await loadDomainModel(path));
  } catch (error) {
    if (error instanceof ScaffoldError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

describe('domain model loading', () => {
  it('reads the ecommerce model with its defaults applied', async () => {
    const model = buildDomainModel(await loadDomainModel(`${REPO_ROOT}/examples/ecommerce/domain.yaml`));
    expect(model.entities.map((e) => `${e.names.original}:${e.table}`)).toEqual([
      'Product:products',
      'InventoryItem:inventory',
      'Customer:customers',
      'Order:orders',
      'OrderItem:order_items',
      'Payment:payments',
    ]);
    const order = model.entities.find((e) => e.names.original === 'Order');
    expect(order?.stateMachine?.transitions.map((t) => `${t.names.camel}:${t.from.join('|')}->${t.to}`)).toEqual([
      'pay:pending->paid',
      'ship:paid->shipped',
      'deliver:shipped->delivered',
      'cancel:pending|paid->cancelled',
    ]);
    expect(order?.relations.find((r) => r.names.camel === 'customer')).toMatchObject({ column: 'customer_id', required: true, onDelete: 'restrict' });
    expect(model.entities.find((e) => e.names.original === 'InventoryItem')?.invariants[0]?.source).toBe('reserved <= onHand');
  });

  it('rejects what breaks the schema, pointing at the line', async () => {
    const found = await problems(fixture('not-schema.yaml'));
    expect(found.every((d) => d.code === 'SCF030')).toBe(true);
    expect(found.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('entity name "order" must start with a capital letter'), expect.stringContaining('field name "Total" of order must start with a lowercase letter'), expect.stringContaining('unknown property "colour"')]),
    );
    expect(found.find((d) => d.message.includes('colour'))?.location?.line).toBe(5);
  });

  it('reports every unknown name, bad state, bad invariant and impossible cycle at once, located', async () => {
    const found = await problems(fixture('broken.yaml'));
    const summary = found.map((d) => `${d.code}@${d.location?.line}: ${d.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SCF031@6: field "total" has unknown type "Moneyy"/),
        expect.stringMatching(/^SCF031@8: relation "customer" of Order targets unknown entity "Client"/),
        expect.stringMatching(/^SCF033@12: invariant "total-positive" names unknown field totl/),
        expect.stringMatching(/^SCF033@14: invariant "broken": the expression ends too early/),
        expect.stringMatching(/^SCF034@17: "draft" is not a state of status/),
        expect.stringMatching(/^SCF034@19: "shipped" is not a state of status/),
        expect.stringMatching(/^SCF032@\d+: required references form a cycle Order -> Invoice -> Order/),
      ]),
    );
  });

  it('says a missing file is missing', async () => {
    expect((await problems(fixture('nope.yaml')))[0]?.code).toBe('SCF001');
  });
});
