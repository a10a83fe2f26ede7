import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { sampleFields, sampleSatisfiesInvariants, violations } from '../../../src/plan/domain-samples.js';
import { REPO_ROOT } from '../../support/fixtures.js';

describe('test data for the generated model tests', async () => {
  const domain = buildDomainModel(await loadDomainModel(`${REPO_ROOT}/examples/ecommerce/domain.yaml`));
  const valueObjects = new Map(domain.valueObjects.map((v) => [v.names.original, v]));
  const entity = (name: string) => domain.entities.find((e) => e.names.original === name)!;

  it('derives valid input that satisfies patterns, lengths and invariants', () => {
    const product = sampleFields(entity('Product').fields, valueObjects)!;
    expect(Object.fromEntries(product.map((f) => [f.name, f.value]))).toMatchObject({ sku: 'SAMPLE-1', currency: 'EUR', description: null });
    expect(sampleSatisfiesInvariants(entity('Product'), product)).toBe(true);
  });

  it('breaks an invariant on its own, within the fields’ bounds', () => {
    const inventory = entity('InventoryItem');
    const found = violations(inventory, sampleFields(inventory.fields, valueObjects)!);
    expect(found.find((v) => v.location === 'reserved-within-stock')?.patch).toBe('reserved: 1');
  });
});
