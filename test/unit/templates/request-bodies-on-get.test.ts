import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/engine.js';

/**
 * Fastify refuses a body schema on GET unless GET is declared a method with a body; specs do declare
 * bodies on GET (search endpoints, Stripe's form bodies). The generated route registration says so
 * before adding routes. The generated modules involved import no packages, so they load as they are.
 */
describe('request bodies on GET', () => {
  it('declares GET a method with a body when an operation has one, and leaves other methods alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-get-body-'));
    const spec = join(dir, 'openapi.json');
    const body = { content: { 'application/json': { schema: { type: 'object', properties: { q: { type: 'string' } } } } } };
    await writeFile(
      spec,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Search', version: '1' },
        paths: {
          '/search': { get: { operationId: 'search', requestBody: body, responses: { '204': { description: 'ok' } } } },
          '/items': { post: { operationId: 'addItem', requestBody: body, responses: { '204': { description: 'ok' } } }, head: { operationId: 'headItems', responses: { '204': { description: 'ok' } } } },
        },
      }),
    );
    const out = join(dir, 'project');
    await generate({ spec, out, name: undefined, models: undefined, dryRun: false, force: false });

    const { routes } = (await import(pathToFileURL(join(out, 'src/controllers/routes.gen.ts')).href)) as { routes: { method: string; requestMediaTypes: string[] }[] };
    const { allowDeclaredBodies } = (await import(pathToFileURL(join(out, 'src/controllers/register-routes.ts')).href)) as {
      allowDeclaredBodies(app: { addHttpMethod(method: string, options: { hasBody: boolean }): unknown }, list: typeof routes): void;
    };
    const calls: [string, { hasBody: boolean }][] = [];
    allowDeclaredBodies({ addHttpMethod: (method, options) => calls.push([method, options]) }, routes);
    expect(calls).toEqual([['GET', { hasBody: true, overrideExisting: true }]]);
  });
});
