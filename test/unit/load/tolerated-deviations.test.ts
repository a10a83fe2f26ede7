import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';

async function specFile(schema: Record<string, unknown>, openapi = '3.1.0'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-tolerated-'));
  const path = join(dir, 'openapi.json');
  const document = {
    openapi,
    info: { title: 'Tolerated', version: '1' },
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: { content: { 'application/json': { schema } } },
          responses: { '204': { description: 'created' } },
        },
      },
    },
  };
  await writeFile(path, JSON.stringify(document));
  return path;
}

describe('deviations real specs carry, loaded with a warning (SCF105)', () => {
  it('tolerates an OpenAPI examples map inside a schema (Scalar Galaxy)', async () => {
    const path = await specFile({ type: 'object', properties: { image: { type: 'string', examples: { png: { value: 'a.png' } } } } });
    const spec = await loadSpec(path);
    expect(spec.warnings.map((w) => w.code)).toEqual(['SCF105']);
    expect(spec.warnings[0]?.location?.pointer).toMatch(/\/properties\/image\/examples$/);
  });

  it('tolerates unknown keywords in a schema, as JSON Schema does (discourse)', async () => {
    for (const openapi of ['3.0.3', '3.1.0']) {
      const path = await specFile({ type: 'object', properties: { setting: { type: 'object', auto_bump_days: { type: 'integer' } } } }, openapi);
      const spec = await loadSpec(path);
      expect(spec.warnings.map((w) => w.code)).toEqual(['SCF105']);
    }
  });

  it('still rejects unknown fields outside schemas (SCF005)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-tolerated-'));
    const path = join(dir, 'openapi.json');
    await writeFile(path, JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { bogus: 1, responses: { '204': { description: 'x' } } } } } }));
    await expect(loadSpec(path)).rejects.toMatchObject({ diagnostics: [expect.objectContaining({ code: 'SCF005' })] });
  });
});
