import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { parseExpression } from '../../../src/model/domain/expression.js';
import type { Entity } from '../../../src/model/domain/types.js';
import { holdingValues } from '../../../src/plan/effects/test-setup.js';

/** The values a generated test stores so that a record holds a delete refusal's condition, its own rules kept. */
describe('values under which a condition holds', () => {
  async function entity(name: string): Promise<Entity> {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-holding-'));
    await writeFile(
      join(dir, 'domain.yaml'),
      `schemaVersion: 1
entities:
  Stock:
    fields:
      onHand: { type: integer, min: 0, default: 0 }
      reserved: { type: integer, min: 0, default: 0 }
      note: { type: integer, default: 0 }
    invariants:
      - { name: within, check: reserved <= onHand }
  Order:
    fields:
      status: { type: enum, values: [pending, paid, cancelled], default: pending }
      totalCents: { type: integer, min: 0 }
`,
    );
    return (await buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')))).entities.find((e) => e.names.original === name) as Entity;
  }

  it('takes the literal a field is compared with, and only the numbers the condition and its invariants tie together', async () => {
    expect(holdingValues(await entity('Order'), parseExpression("status in ['paid', 'pending']"))).toEqual({ status: 'paid' });
    expect(holdingValues(await entity('Stock'), parseExpression('reserved > 0'))).toEqual({ onHand: 1, reserved: 1 });
    expect(holdingValues(await entity('Stock'), parseExpression('reserved >= 5'))).toEqual({ onHand: 10, reserved: 10 });
  });

  it('finds none where the rules cannot all hold', async () => {
    expect(holdingValues(await entity('Stock'), parseExpression('reserved > onHand'))).toBeUndefined();
  });
});
