import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { buildModel } from '../../../src/model/build-model.js';
import type { ApiModel, Operation } from '../../../src/model/types.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

const operation = (model: ApiModel, id: string): Operation => model.resources.flatMap((r) => r.operations).find((o) => o.operationId === id) as Operation;

const spec = (extra: string, header = 'Idempotency-Key') => `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    post:
      operationId: createThing
${extra}
      parameters:
        - { name: ${header}, in: header, schema: { type: string } }
      responses: { '201': { description: ok } }
    get:
      operationId: listThings
      x-idempotency-ttl: 60
      responses: { '200': { description: ok } }
`;

const build = async (text: string) => buildModel(await loadSpec(resolve(REPO_ROOT, 'inline.yaml'), { text }));

describe('idempotency keys declared by the spec', () => {
  it('finds the Idempotency-Key header through a $ref to components/parameters', async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('ecommerce')));
    expect(operation(model, 'createOrder').idempotency).toEqual({ ttlSeconds: undefined });
    expect(operation(model, 'createOrderPayment').idempotency).toEqual({ ttlSeconds: undefined });
    expect(operation(model, 'createProduct').idempotency).toBeUndefined();
  });

  it('matches the header name in any case and reads x-idempotency-ttl in seconds', async () => {
    const { model, diagnostics } = await build(spec('      x-idempotency-ttl: 3600', 'idempotency-KEY'));
    expect(operation(model, 'createThing').idempotency).toEqual({ ttlSeconds: 3600 });
    // A retention on an operation without the header keeps nothing: said, not silently dropped.
    expect(operation(model, 'listThings').idempotency).toBeUndefined();
    expect(diagnostics.filter((d) => d.code === 'SCF106').map((d) => d.location?.pointer)).toEqual(['/paths/~1things/get/x-idempotency-ttl']);
  });

  it.each(['24h', 0, -5, 1.5, 'PT24H'])('refuses x-idempotency-ttl %j (SCF085)', async (value) => {
    const refused = await build(spec(`      x-idempotency-ttl: ${JSON.stringify(value)}`)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ScaffoldError);
    expect((refused as ScaffoldError).diagnostics.filter((d) => d.code === 'SCF085').map((d) => d.location?.pointer)).toEqual(['/paths/~1things/post/x-idempotency-ttl']);
  });
});
