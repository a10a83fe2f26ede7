import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { buildRouteEntry } from '../../../src/plan/route-entry.js';
import { contractCases } from '../../../src/plan/contract-cases.js';
import { withBounds, withRouteParameters, withStorageBounds } from '../../../src/plan/storage-bounds.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/** The route schemas of an implemented operation carry what its columns can hold. */
async function routes(design: string) {
  const { model } = buildModel(await loadSpec(`${design}/openapi.yaml`));
  const domain = buildDomainModel(await loadDomainModel(`${design}/domain.yaml`));
  const crud = bindOperations(model, domain);
  const schemaById = new Map(model.schemas.map((s) => [s.id, s.schema]));
  return (operationId: string) => {
    const operation = model.resources.flatMap((r) => r.operations).find((o) => o.operationId === operationId);
    const bound = crud.operations.get(operationId)?.implementation;
    if (!operation || !bound || !('operation' in bound)) throw new Error(`${operationId} is not implemented`);
    const specified = buildRouteEntry(operation, (id) => schemaById.get(id));
    const route = withStorageBounds(specified, bound.operation, domain);
    const validRequest = contractCases(withRouteParameters(operation, route), model.basePath, (id) => schemaById.get(id)).valid;
    return { specified: structuredClone(specified.schema), bounded: route.schema, original: specified.schema, validRequest };
  };
}

describe('storage bounds in the request schemas', async () => {
  const notes = await routes(`${REPO_ROOT}/test/fixtures/hostile/08-storage-bounds-plain-string-id`);
  const ecommerce = await routes(`${REPO_ROOT}/examples/ecommerce`);

  it('gives a plain-string id stored as a uuid the uuid format', () => {
    const { bounded } = notes('getNote');
    expect(bounded.params).toEqual({ type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] });
  });

  it('gives the contract tests a sample the bounded route accepts: a uuid for that id', () => {
    expect(notes('getNote').validRequest?.url).toMatch(/^\/api\/v1\/notes\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('bounds integers stored in int4 and keeps the tighter of the spec and the column', () => {
    const { bounded } = notes('listNotes');
    expect(bounded.querystring).toMatchObject({
      properties: {
        q: { type: 'string', noNulCharacters: true },
        priority: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
        maxPriority: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
      },
    });
    const products = ecommerce('listProducts').bounded.querystring as { properties: Record<string, unknown> };
    expect(products.properties.maxPrice).toEqual({ type: 'integer', minimum: 0, maximum: 2147483647 });
  });

  it('adds the bounds of a body beside its reference, text without NUL and varchar lengths included', () => {
    const { bounded, specified, original } = notes('createNote');
    expect(bounded.body).toEqual({
      content: {
        'application/json': {
          schema: {
            allOf: [
              (specified.body as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema,
              {
                properties: {
                  title: { noNulCharacters: true, maxLength: 100 },
                  body: { noNulCharacters: true },
                  priority: { minimum: -2147483648, maximum: 2147483647 },
                  views: { minimum: -2147483648, maximum: 2147483647 },
                  extra: { noNulCharacters: true },
                },
              },
            ],
          },
        },
      },
    });
    // The spec's own schemas are left as they are.
    expect(original).toEqual(specified);
  });

  it('reaches into value objects and the children created with an aggregate', () => {
    const body = ecommerce('createOrder').bounded.body as { content: Record<string, { schema: { allOf: [unknown, { properties: Record<string, unknown> }] } }> };
    const properties = body.content['application/json']?.schema.allOf[1].properties;
    expect(properties?.customerId).toEqual({ format: 'uuid' });
    expect(properties?.shippingAddress).toMatchObject({ properties: { line1: { noNulCharacters: true, maxLength: 200 } } });
    expect(properties?.items).toMatchObject({ items: { properties: { productId: { format: 'uuid' }, quantity: { minimum: -2147483648, maximum: 2147483647 } } } });
  });

  it('merges into inline schemas by taking the tighter limit, and keeps a different format of the spec', () => {
    expect(withBounds({ type: 'integer', maximum: 10, minimum: -5 }, { minimum: -2147483648, maximum: 2147483647 })).toEqual({ type: 'integer', maximum: 10, minimum: -5 });
    expect(withBounds({ type: 'string', maxLength: 300 }, { maxLength: 100, noNulCharacters: true })).toEqual({ type: 'string', maxLength: 100, noNulCharacters: true });
    expect(withBounds({ type: 'string', format: 'email' }, { format: 'uuid' })).toEqual({ allOf: [{ type: 'string', format: 'email' }, { format: 'uuid' }] });
    expect(withBounds(false, { noNulCharacters: true })).toBe(false);
  });
});
