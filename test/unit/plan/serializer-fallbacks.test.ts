import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { generate } from '../../../src/engine.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { reportSerializerFallbacks } from '../../../src/plan/serializer-fallbacks.js';
import { PROJECT_DEPENDENCIES } from '../../../src/plan/project-dependencies.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/**
 * A generated project serializes each response with fast-json-stringify, or, where that cannot work,
 * strips undeclared properties and JSON.stringify's the body. The generator knows which responses
 * take that fallback before the project ever starts, and reports each one (SCF012).
 */
describe('responses serialized by the fallback (SCF012)', () => {
  it('are reported where fast-json-stringify refuses the schema, naming operation, status, media type and its error', async () => {
    // An amount in cents: a Money (a number) that is also an integer. Valid JSON Schema, but
    // fast-json-stringify merges allOf parts keyword by keyword and refuses `number` with `integer`.
    const diagnostics = await generateFrom({
      paths: {
        '/orders/{id}': {
          get: {
            operationId: 'getOrder',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: {
              '200': jsonResponse({
                type: 'object',
                properties: { id: { type: 'string' }, total: { allOf: [{ $ref: '#/components/schemas/Money' }, { type: 'integer' }] } },
              }),
            },
          },
        },
      },
      components: { schemas: { Money: { type: 'number' } } },
    });

    expect(fallbacks(diagnostics)).toEqual([
      {
        code: 'SCF012',
        severity: 'warning',
        message:
          'GET /orders/{id} (operationId getOrder), 200 application/json: serialized by the fallback (undeclared properties stripped, then JSON.stringify) ' +
          'because fast-json-stringify cannot compile its schema: Failed to merge "type" keyword schemas.',
        location: { pointer: '/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema' },
        hint: expect.stringContaining('docs/diagnostics.md'),
      },
    ]);
  });

  it('are reported where the schema has more paths through references than the budget', async () => {
    // Twenty components, each referencing the next twice (Stripe's expandable fields): 2^20 paths.
    const levels = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `Level${i}`,
        {
          type: 'object',
          properties: i === 19 ? {} : { child: { $ref: `#/components/schemas/Level${i + 1}` }, expandable: { anyOf: [{ type: 'string' }, { $ref: `#/components/schemas/Level${i + 1}` }] } },
        },
      ]),
    );
    const diagnostics = await generateFrom({
      paths: { '/tree': { get: { responses: { '200': jsonResponse({ $ref: '#/components/schemas/Level0' }) } } } },
      components: { schemas: levels },
    });

    expect(fallbacks(diagnostics).map((d) => d.message)).toEqual([
      'GET /tree (operationId getTree), 200 application/json: serialized by the fallback (undeclared properties stripped, then JSON.stringify) ' +
        'because its schema has more than 20000 paths through references, too many to try fast-json-stringify',
    ]);
  });

  it('name error responses and status ranges as the spec declares them', async () => {
    const refused = { type: 'object', properties: { code: { allOf: [{ type: 'string' }, { type: 'integer' }] } } };
    const diagnostics = await generateFrom({
      paths: {
        '/ping': {
          get: {
            operationId: 'ping',
            responses: { '2XX': jsonResponse(refused, 'application/problem+json'), '4XX': jsonResponse(refused) },
          },
        },
      },
    });

    expect(fallbacks(diagnostics).map((d) => d.message.split(': serialized')[0])).toEqual([
      'GET /ping (operationId ping), 2XX (served as 200) application/problem+json',
      'GET /ping (operationId ping), 4XX application/json',
    ]);
  });

  it('are not reported for schemas fast-json-stringify compiles, recursive ones included', async () => {
    const diagnostics = await generateFrom({
      paths: {
        '/categories': {
          get: {
            operationId: 'listCategories',
            responses: {
              '200': jsonResponse({ type: 'array', items: { $ref: '#/components/schemas/Category' } }),
              default: jsonResponse({ type: 'object', properties: { message: { type: 'string' } } }),
            },
          },
        },
      },
      components: {
        schemas: {
          Category: {
            type: 'object',
            properties: { name: { type: 'string' }, price: { allOf: [{ type: 'number' }, { minimum: 0 }] }, children: { type: 'array', items: { $ref: '#/components/schemas/Category' } } },
          },
        },
      },
    });

    expect(fallbacks(diagnostics)).toEqual([]);
  });

  it('are decided with the major version of fast-json-stringify the generated project depends on', async () => {
    const own = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const major = (range: string | undefined) => /\d+/.exec(range ?? '')?.[0];
    expect(major(own.dependencies['fast-json-stringify'])).toBe(major(PROJECT_DEPENDENCIES['fast-json-stringify']));
  });
});

describe('the fallback warnings of a regeneration', () => {
  it('are those of the whole spec, with only the operations of changed path items looked at again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-serializer-cache-'));
    const file = join(dir, 'openapi.json');
    const refused = { type: 'object', properties: { total: { allOf: [{ $ref: '#/components/schemas/Money' }, { type: 'integer' }] } } };
    const spec = (extra: unknown[]) => ({
      openapi: '3.1.0',
      info: { title: 'Fallbacks', version: '1' },
      paths: Object.fromEntries(
        ['a', 'b', 'c'].map((name) => [`/${name}`, { get: { operationId: `get${name}`, parameters: name === 'b' ? extra : [], responses: { '200': jsonResponse(refused), '201': jsonResponse({ type: 'string' }) } } }]),
      ),
      components: { schemas: { Money: { type: 'number' } } },
    });
    const warningsOf = async (document: unknown) => {
      await writeFile(file, JSON.stringify(document));
      const cache = await openRunCache(dir);
      const loaded = await loadSpec(file, { cache });
      const { model } = buildModel(loaded);
      const before = { ...cache.stats };
      const cached = reportSerializerFallbacks(model.resources, model.schemas, cache, loaded.pieceHashes);
      const lookups = { hits: cache.stats.hits - before.hits, misses: cache.stats.misses - before.misses };
      await cache.save();
      return { cached, fresh: reportSerializerFallbacks(model.resources, model.schemas), lookups };
    };
    const first = await warningsOf(spec([]));
    expect(first.cached).toEqual(first.fresh);
    expect(first.cached).toHaveLength(3);
    const changed = await warningsOf(spec([{ name: 'probe', in: 'query', schema: { type: 'string' } }]));
    expect(changed.cached).toEqual(changed.fresh);
    // The two unchanged operations are hits; the changed one misses and is looked at again, its two responses' verdicts hits.
    expect(changed.lookups).toEqual({ hits: 4, misses: 1 });
  });
});

function jsonResponse(schema: unknown, mediaType = 'application/json') {
  return { description: 'a body', content: { [mediaType]: { schema } } };
}

/** The diagnostics of a dry run on an OpenAPI 3.1 document with these paths and components. */
async function generateFrom(document: { paths: Record<string, unknown>; components?: Record<string, unknown> }): Promise<Diagnostic[]> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-serializer-fallbacks-'));
  const spec = join(dir, 'openapi.json');
  await writeFile(spec, JSON.stringify({ openapi: '3.1.0', info: { title: 'Fallbacks', version: '1' }, ...document }));
  const result = await generate({ spec, out: join(dir, 'project'), name: undefined, models: undefined, dryRun: true, force: false });
  return result.diagnostics;
}

function fallbacks(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'SCF012');
}
