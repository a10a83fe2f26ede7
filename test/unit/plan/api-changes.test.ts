import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { apiChangesSummary, apiChangesMarkdown, diffApiSnapshots, planApiChanges, type ApiChanges } from '../../../src/plan/api-changes.js';
import { buildApiSnapshot, serializeApiSnapshot, type ApiSnapshot } from '../../../src/plan/api-snapshot.js';

type Spec = Record<string, any>;

/** A small API: list and create widgets, read one, delete one. Each test changes a copy. */
function baseSpec(): Spec {
  return {
    openapi: '3.1.0',
    info: { title: 'Widgets', version: '1.0.0' },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Widget: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'integer' }, name: { type: 'string' }, colour: { type: 'string' }, part: { $ref: '#/components/schemas/Part' } },
        },
        Part: { type: 'object', properties: { sku: { type: 'string', maxLength: 20 } } },
        NewWidget: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, colour: { type: 'string' } } },
      },
    },
    paths: {
      '/widgets': {
        get: {
          operationId: 'listWidgets',
          summary: 'List widgets',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Widget' } } } } } },
        },
        post: {
          operationId: 'createWidget',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewWidget' } } } },
          responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } } },
        },
      },
      '/widgets/{id}': {
        get: {
          operationId: 'getWidget',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } },
            '404': { description: 'missing' },
          },
        },
        delete: {
          operationId: 'deleteWidget',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '204': { description: 'gone' } },
        },
      },
    },
  };
}

async function snapshotOf(spec: Spec): Promise<ApiSnapshot> {
  const file = join(await mkdtemp(join(tmpdir(), 'scaffold-api-')), 'openapi.json');
  await writeFile(file, JSON.stringify(spec));
  return buildApiSnapshot(buildModel(await loadSpec(file)).model);
}

/** The changes from the base spec to the base spec after `change`. */
async function changesAfter(change: (spec: Spec) => void): Promise<ApiChanges> {
  const next = baseSpec();
  change(next);
  return diffApiSnapshots(await snapshotOf(baseSpec()), await snapshotOf(next));
}

/** Every change of one operation as `detail (breaking|compatible)`. */
function detailsOf(changes: ApiChanges, operationId: string): string[] {
  const changed = changes.changed.find((c) => c.operation.operationId === operationId);
  return (changed?.changes ?? []).map((c) => `${c.detail} (${c.breaking ? 'breaking' : 'compatible'})`);
}

describe('API changes between two generations', () => {
  it('finds none between a spec and itself, nor when only the key order differs', async () => {
    const reordered = baseSpec();
    reordered.paths = Object.fromEntries(Object.entries(reordered.paths).reverse());
    reordered.components.schemas.Widget = Object.fromEntries(Object.entries(reordered.components.schemas.Widget).reverse());
    const changes = diffApiSnapshots(await snapshotOf(baseSpec()), await snapshotOf(reordered));
    expect(changes).toEqual({ added: [], removed: [], changed: [] });
    expect(apiChangesSummary(changes)).toBe('API changes: none since the last generation');
  });

  it('lists operations added and removed, and prints them in the summary line', async () => {
    const changes = await changesAfter((spec) => {
      delete spec.paths['/widgets/{id}'].delete;
      spec.paths['/widgets/{id}'].put = { operationId: 'replaceWidget', responses: { '204': { description: 'ok' } } };
    });
    expect(changes.added).toEqual([{ method: 'PUT', path: '/api/widgets/{id}', operationId: 'replaceWidget' }]);
    expect(changes.removed).toEqual([{ method: 'DELETE', path: '/api/widgets/{id}', operationId: 'deleteWidget' }]);
    expect(changes.changed).toEqual([]);
    expect(apiChangesSummary(changes)).toBe(['API changes: 1 added, 1 removed', '  PUT /api/widgets/{id}: added', '  DELETE /api/widgets/{id}: removed (breaking)'].join('\n'));
  });

  it('calls a changed parameter type breaking, and says from what to what', async () => {
    const changes = await changesAfter((spec) => {
      spec.paths['/widgets'].get.parameters[0].schema = { type: 'string' };
    });
    expect(detailsOf(changes, 'listWidgets')).toEqual(['query parameter limit: integer -> string (breaking)']);
    expect(apiChangesSummary(changes)).toBe(['API changes: 1 changed (1 breaking)', '  GET /api/widgets', '    breaking: query parameter limit: integer -> string'].join('\n'));
  });

  it('tells parameters added as optional (compatible) from ones added or made required (breaking)', async () => {
    const changes = await changesAfter((spec) => {
      spec.paths['/widgets'].get.parameters[0].required = true;
      spec.paths['/widgets'].get.parameters.push({ name: 'colour', in: 'query', schema: { type: 'string' } });
      spec.paths['/widgets'].get.parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } });
    });
    expect(detailsOf(changes, 'listWidgets')).toEqual([
      'query parameter limit became required (breaking)',
      'optional query parameter colour added (compatible)',
      'required header parameter x-tenant added (breaking)',
    ]);
  });

  it('treats a renamed path parameter as the same route and parameter', async () => {
    const changes = await changesAfter((spec) => {
      const item = spec.paths['/widgets/{id}'];
      delete spec.paths['/widgets/{id}'];
      for (const operation of [item.get, item.delete]) operation.parameters[0].name = 'widgetId';
      spec.paths['/widgets/{widgetId}'] = item;
    });
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(detailsOf(changes, 'getWidget')).toEqual(['path parameters renamed: /api/widgets/{id} -> /api/widgets/{widgetId} (compatible)']);
  });

  it('calls an operation that kept its operationId but moved a breaking change, not a removal and an addition', async () => {
    const changes = await changesAfter((spec) => {
      spec.paths['/gadgets'] = { get: spec.paths['/widgets'].get };
      delete spec.paths['/widgets'].get;
    });
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(detailsOf(changes, 'listWidgets')).toEqual(['moved from GET /api/widgets (breaking)']);
  });

  it('checks request bodies property by property: added as required or made required is breaking, optional is not', async () => {
    const changes = await changesAfter((spec) => {
      const body = spec.components.schemas.NewWidget;
      body.properties.weight = { type: 'number' };
      body.properties.size = { type: 'integer' };
      body.required.push('size', 'colour');
    });
    expect(detailsOf(changes, 'createWidget')).toEqual([
      'request body property colour became required (breaking)',
      'optional request body property weight added (compatible)',
      'required request body property size added (breaking)',
    ]);
  });

  it('calls a body that became required, or a media type it no longer accepts, breaking', async () => {
    const changes = await changesAfter((spec) => {
      spec.paths['/widgets/{id}'].delete.requestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
      const create = spec.paths['/widgets'].post.requestBody;
      create.content = { 'application/x-www-form-urlencoded': create.content['application/json'] };
    });
    expect(detailsOf(changes, 'deleteWidget')).toEqual(['required request body added (breaking)']);
    expect(detailsOf(changes, 'createWidget')).toEqual([
      'request body no longer accepts application/json (breaking)',
      'request body accepts application/x-www-form-urlencoded (compatible)',
    ]);
  });

  it('calls a removed response status or response property breaking, an added one compatible', async () => {
    const changes = await changesAfter((spec) => {
      const get = spec.paths['/widgets/{id}'].get;
      delete get.responses['404'];
      get.responses['410'] = { description: 'gone for good' };
      const widget = spec.components.schemas.Widget;
      delete widget.properties.colour;
      widget.properties.createdAt = { type: 'string', format: 'date-time' };
    });
    expect(detailsOf(changes, 'getWidget')).toEqual([
      'optional response 200 property createdAt added (compatible)',
      'response 200 property colour removed (breaking)',
      'response 410 added (compatible)',
      'response 404 removed (breaking)',
    ]);
    // a list of the same component, by the properties of its items
    expect(detailsOf(changes, 'listWidgets')).toEqual(['optional response 200 property [].createdAt added (compatible)', 'response 200 property [].colour removed (breaking)']);
  });

  it('sees a change deep inside a referenced component and in a constraint', async () => {
    const changes = await changesAfter((spec) => {
      spec.components.schemas.Part.properties.sku.maxLength = 10;
    });
    expect(detailsOf(changes, 'getWidget')).toEqual(['response 200 property part property sku: schema changed (breaking)']);
    expect(changes.changed.map((c) => c.operation.operationId).sort()).toEqual(['createWidget', 'getWidget', 'listWidgets']);
  });

  it('calls a property added to a nested response object compatible, as at the top level', async () => {
    const changes = await changesAfter((spec) => {
      spec.components.schemas.Part.properties.weight = { type: 'integer' };
    });
    expect(detailsOf(changes, 'getWidget')).toEqual(['optional response 200 property part property weight added (compatible)']);
    expect(changes.changed.every((c) => !c.breaking)).toBe(true);
  });

  it('calls security added to an open operation breaking, and security removed compatible', async () => {
    const secured = baseSpec();
    secured.paths['/widgets'].post.security = [{ bearer: [] }];
    secured.security = [{ bearer: [] }];
    secured.paths['/widgets/{id}'].get.security = [];
    const [open, closed] = [await snapshotOf(baseSpec()), await snapshotOf(secured)];

    const added = diffApiSnapshots(open, closed);
    expect(detailsOf(added, 'createWidget')).toEqual(['security added: bearer (breaking)']);
    expect(detailsOf(added, 'listWidgets')).toEqual(['security added: bearer (breaking)']);
    expect(detailsOf(added, 'getWidget')).toEqual([]);

    const removed = diffApiSnapshots(closed, open);
    expect(detailsOf(removed, 'createWidget')).toEqual(['security no longer required (was bearer) (compatible)']);
  });

  it('calls documentation, deprecation and a new operationId compatible', async () => {
    const changes = await changesAfter((spec) => {
      const list = spec.paths['/widgets'].get;
      list.summary = 'List all widgets';
      list.deprecated = true;
      list.operationId = 'findWidgets';
      spec.components.schemas.Widget.description = 'A widget';
    });
    expect(detailsOf(changes, 'findWidgets')).toEqual(['operationId listWidgets -> findWidgets (compatible)', 'deprecated (compatible)', 'summary or description changed (compatible)']);
    expect(changes.changed.every((c) => !c.breaking)).toBe(true);
    expect(apiChangesSummary(changes)).toBe(
      ['API changes: 1 changed (none breaking)', '  GET /api/widgets', '    operationId listWidgets -> findWidgets', '    deprecated', '    summary or description changed'].join('\n'),
    );
  });

  it('finds no change when only annotations or keywords that validate nothing change (a stray keyword removed)', async () => {
    const annotated = baseSpec();
    const sku = annotated.components.schemas.Part.properties.sku;
    Object.assign(sku, { unique: true, 'x-internal': true, deprecated: true, $comment: 'from the model', examples: ['AB-1'], title: 'SKU' });
    annotated.components.schemas.Widget.properties.name.example = 'Sprocket';
    // Beside a $ref (OpenAPI 3.1 applies siblings): the model wraps the reference in an allOf with them.
    Object.assign(annotated.components.schemas.Widget.properties.part, { unique: true, description: 'The part it is made of' });
    annotated.paths['/widgets'].get.parameters[0].schema = { unbounded: true };
    const plain = baseSpec();
    plain.paths['/widgets'].get.parameters[0].schema = {};
    const changes = diffApiSnapshots(await snapshotOf(annotated), await snapshotOf(plain));
    expect(changes).toEqual({ added: [], removed: [], changed: [] });
  });

  it('calls a required property added to a request and a property removed from a response breaking', async () => {
    const changes = await changesAfter((spec) => {
      spec.components.schemas.NewWidget.properties.weight = { type: 'integer' };
      spec.components.schemas.NewWidget.required.push('weight');
      delete spec.components.schemas.Widget.properties.colour;
    });
    expect(detailsOf(changes, 'createWidget')).toEqual(['required request body property weight added (breaking)', 'response 201 property colour removed (breaking)']);
    expect(detailsOf(changes, 'getWidget')).toEqual(['response 200 property colour removed (breaking)']);
    expect(changes.changed.map((c) => `${c.operation.operationId}: ${c.breaking}`)).toEqual(['listWidgets: true', 'createWidget: true', 'getWidget: true']);
  });

  it('prints one change per line, grouped under its operation, breaking ones marked', async () => {
    const changes = await changesAfter((spec) => {
      spec.paths['/widgets/{id}'].put = { ...spec.paths['/widgets/{id}'].get, operationId: 'replaceWidget' };
      delete spec.paths['/widgets/{id}'].delete;
      spec.paths['/widgets'].get.parameters[0].schema = { type: 'string' };
      spec.components.schemas.NewWidget.properties.weight = { type: 'integer' };
      spec.components.schemas.NewWidget.required.push('weight');
      delete spec.components.schemas.Widget.properties.colour;
      spec.paths['/widgets/{id}'].get.summary = 'Read one widget';
      spec.paths['/widgets'].get.parameters.push({ name: 'offset', in: 'query', schema: { type: 'integer' } });
    });
    expect(apiChangesSummary(changes)).toBe(
      [
        'API changes: 1 added, 1 removed, 3 changed (3 breaking)',
        '  PUT /api/widgets/{id}: added',
        '  DELETE /api/widgets/{id}: removed (breaking)',
        '  GET /api/widgets',
        '    breaking: query parameter limit: integer -> string',
        '    optional query parameter offset added',
        '    breaking: response 200 property [].colour removed',
        '  POST /api/widgets',
        '    breaking: required request body property weight added',
        '    breaking: response 201 property colour removed',
        '  GET /api/widgets/{id}',
        '    breaking: response 200 property colour removed',
        '    summary or description changed',
      ].join('\n'),
    );
  });

  it('reports a change to a shared component under each operation it reaches, since a client calls operations', async () => {
    const changes = await changesAfter((spec) => {
      spec.components.schemas.Part.properties.sku.maxLength = 10;
    });
    expect(apiChangesSummary(changes)).toBe(
      [
        'API changes: 3 changed (3 breaking)',
        '  GET /api/widgets',
        '    breaking: response 200 property [].part property sku: schema changed',
        '  POST /api/widgets',
        '    breaking: response 201 property part property sku: schema changed',
        '  GET /api/widgets/{id}',
        '    breaking: response 200 property part property sku: schema changed',
      ].join('\n'),
    );
  });

  it('prints at most 20 operations on the terminal, and says where the rest are', async () => {
    const many = baseSpec();
    for (let i = 0; i < 25; i += 1) many.paths[`/gadgets${i}`] = { get: { operationId: `gadget${i}`, responses: { '204': { description: 'ok' } } } };
    const printed = apiChangesSummary(diffApiSnapshots(await snapshotOf(baseSpec()), await snapshotOf(many))).split('\n');
    expect(printed[0]).toBe('API changes: 25 added');
    expect(printed).toHaveLength(22);
    expect(printed.at(-1)).toBe('  ... and 5 more operations (all of them in .scaffold/report.md)');
  });

  it('lists the changes in the report grouped by operation, one per line', async () => {
    const changes = await changesAfter((spec) => {
      delete spec.paths['/widgets/{id}'].delete;
      spec.paths['/widgets'].get.parameters[0].schema = { type: 'string' };
      spec.paths['/widgets'].get.parameters.push({ name: 'offset', in: 'query', schema: { type: 'integer' } });
    });
    const section = apiChangesMarkdown(changes);
    expect(section.aligned).toBe(true);
    expect(section.lines.join('\n')).toContain(
      [
        '- DELETE /api/widgets/{id} (deleteWidget): removed, **breaking**',
        '- GET /api/widgets (listWidgets):',
        '  - **breaking**: query parameter limit: integer -\\> string',
        '  - optional query parameter offset added',
      ].join('\n'),
    );
  });
});

describe('the snapshot a generation records', () => {
  it('has no changes on a first generation', async () => {
    const planned = planApiChanges(undefined, await snapshotOf(baseSpec()));
    expect(planned.changes).toBeUndefined();
    expect(planned.reported).toBeUndefined();
    expect(planned.snapshot.lastChanges).toBeUndefined();
  });

  it('keeps the last changes when the API did not change again, so a no-op run rewrites nothing', async () => {
    const v1 = await snapshotOf(baseSpec());
    const next = baseSpec();
    delete next.paths['/widgets/{id}'].delete;
    const v2 = planApiChanges(v1, await snapshotOf(next));
    expect(v2.changes?.removed.map((op) => op.operationId)).toEqual(['deleteWidget']);
    expect(v2.snapshot.lastChanges).toEqual(v2.changes);

    const again = planApiChanges(JSON.parse(JSON.stringify(v2.snapshot)) as ApiSnapshot, await snapshotOf(next));
    expect(again.changes).toEqual({ added: [], removed: [], changed: [] });
    expect(again.reported).toEqual(v2.changes);
    expect(JSON.stringify(again.snapshot)).toBe(JSON.stringify(v2.snapshot));
  });

  it('is written one operation per line, and reads back as it was', async () => {
    const v1 = await snapshotOf(baseSpec());
    const next = baseSpec();
    delete next.paths['/widgets/{id}'].delete;
    const { snapshot } = planApiChanges(v1, await snapshotOf(next));
    const text = serializeApiSnapshot(snapshot);
    expect(JSON.parse(text)).toEqual(snapshot);
    const lines = text.split('\n');
    for (const operation of snapshot.operations) expect(lines).toContain(`${JSON.stringify(operation)}${operation === snapshot.operations.at(-1) ? '' : ','}`);
    expect(lines).toHaveLength(snapshot.operations.length + 5); // head, "[", operations, "]", lastChanges, final newline
    expect(JSON.parse(serializeApiSnapshot({ schemaVersion: 1, operations: [] }))).toEqual({ schemaVersion: 1, operations: [] });
  });

  it('remembers the operations of each path item, and summarizes again only those of the items that changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-api-cache-'));
    const file = join(dir, 'openapi.json');
    const snapshot = async (spec: Spec) => {
      await writeFile(file, JSON.stringify(spec));
      const cache = await openRunCache(dir);
      const loaded = await loadSpec(file, { cache });
      const { model } = buildModel(loaded);
      const result = { cached: buildApiSnapshot(model, { cache, pieceHashes: loaded.pieceHashes }), fresh: buildApiSnapshot(model), stats: { ...cache.stats } };
      await cache.save();
      return result;
    };
    await snapshot(baseSpec());
    const next = baseSpec();
    next.paths['/widgets/{id}'].get.parameters.push({ name: 'expand', in: 'query', schema: { type: 'boolean' } });
    const before = (await snapshot(baseSpec())).stats;
    const { cached, fresh, stats } = await snapshot(next);
    expect(cached).toEqual(fresh);
    expect(cached.operations.find((op) => op.operationId === 'getWidget')?.parameters.map((p) => p.name)).toEqual(['id', 'expand']);
    // One lookup more missed than in the unchanged run: the changed path item's (its Redocly check misses too).
    expect(stats.misses - before.misses).toBe(2);
    const component = baseSpec();
    component.components.schemas.Part.properties.sku.maxLength = 30;
    const changed = await snapshot(component);
    expect(changed.cached).toEqual(changed.fresh);
  });
});
