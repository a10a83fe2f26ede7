import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema, type RelationalSchema } from '../../../src/model/domain/relational-schema.js';
import { planMigrations } from '../../../src/plan/migrations.js';
import { REPO_ROOT } from '../../support/fixtures.js';

const ecommerce = async (): Promise<RelationalSchema> => relationalSchema(buildDomainModel(await loadDomainModel(`${REPO_ROOT}/examples/ecommerce/domain.yaml`)));

describe('migrations from the domain model', () => {
  it('creates every table first, then foreign keys and indexes, in one initial migration', async () => {
    const plan = planMigrations(undefined, await ecommerce(), undefined);
    expect(plan.added?.path).toBe('migrations/0000_initial.sql');
    const statements = plan.added?.sql.split('--> statement-breakpoint').map((s) => s.trim()) ?? [];
    const firstForeignKey = statements.findIndex((s) => s.includes('FOREIGN KEY'));
    expect(statements.slice(0, firstForeignKey).every((s) => s.startsWith('CREATE TABLE'))).toBe(true);
    expect(plan.added?.sql).toContain(`ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT;`);
    expect(plan.added?.sql).toContain(`CONSTRAINT "orders_status_check" CHECK ("status" IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled'))`);
    expect(plan.journal.entries).toEqual([{ idx: 0, version: '7', when: 1, tag: '0000_initial', breakpoints: true }]);
  });

  it('adds nothing when the model did not change', async () => {
    const schema = await ecommerce();
    const first = planMigrations(undefined, schema, undefined);
    expect(planMigrations(schema, schema, first.journal)).toEqual({ journal: first.journal, added: undefined });
  });

  it('adds a new optional column and a new table in a new migration', async () => {
    const before = await ecommerce();
    const after: RelationalSchema = structuredClone(before);
    const products = after.tables.find((t) => t.name === 'products');
    products?.columns.push({ name: 'weight_grams', type: 'integer', nullable: true, default: undefined, identity: false, property: 'weightGrams' });
    after.tables.push({ name: 'coupons', entity: 'Coupon', columns: [{ name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', identity: false, property: 'id' }], primaryKey: ['id'], uniques: [], checks: [], foreignKeys: [], indexes: [] });
    const plan = planMigrations(before, after, planMigrations(undefined, before, undefined).journal);
    expect(plan.added?.path).toBe('migrations/0001_update.sql');
    expect(plan.added?.sql).toContain('CREATE TABLE "coupons"');
    expect(plan.added?.sql).toContain('ALTER TABLE "products" ADD COLUMN "weight_grams" integer;');
    expect(plan.journal.entries.map((e) => e.when)).toEqual([1, 2]);
  });

  it('refuses changes that could lose data (SCF035)', async () => {
    const before = await ecommerce();
    const after: RelationalSchema = structuredClone(before);
    after.tables = after.tables.filter((t) => t.name !== 'payments');
    const journal = planMigrations(undefined, before, undefined).journal;
    expect(() => planMigrations(before, after, journal)).toThrow(/SCF035.*payments would be dropped/);
  });
});
