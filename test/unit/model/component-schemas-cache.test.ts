import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunCache } from '../../../src/cache/run-cache.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { OpenApiDocument } from '../../../src/load/openapi-types.js';
import { buildComponentSchemas } from '../../../src/model/components.js';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {},
  components: {
    schemas: {
      User: { type: 'object', properties: { id: { type: 'string', readOnly: true }, password: { type: 'string', writeOnly: true }, code: { type: 'string', pattern: '([' } } },
      Team: { type: 'object', properties: { lead: { $ref: '#/components/schemas/User' }, name: { type: 'string', nullable: true } } },
    },
  },
} as unknown as OpenApiDocument;

describe('component schemas kept by the hash of the top level and the components', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-component-schemas-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function build(restHash: string | undefined) {
    const cache = await openRunCache(dir);
    const diagnostics: Diagnostic[] = [];
    const components = buildComponentSchemas(DOCUMENT, '3.0', diagnostics, { cache, restHash });
    const stats = { ...cache.stats };
    await cache.save();
    // What the converter does for operations afterwards, with the ids of the variants.
    const inline = components.converter.convert({ type: 'array', items: { $ref: '#/components/schemas/Team' } }, 'request', '/paths/~1teams/post');
    return { components, diagnostics, stats, inline, ids: (['neutral', 'request', 'response'] as const).map((view) => components.idFor('User', view)) };
  }

  it('are the same values, variants and warnings on a hit as when converted', async () => {
    const converted = await build(undefined);
    const first = await build('rest-1');
    const hit = await build('rest-1');
    expect(first.stats).toEqual({ hits: 0, misses: 1 });
    expect(hit.stats).toEqual({ hits: 1, misses: 0 });
    for (const run of [first, hit]) {
      expect(run.components.definitions).toEqual(converted.components.definitions);
      expect(run.diagnostics).toEqual(converted.diagnostics);
      expect(run.inline).toEqual(converted.inline);
      expect(run.ids).toEqual(converted.ids);
    }
    expect(converted.ids).toEqual(['User', 'User.request', 'User.response']);
    expect(converted.diagnostics.map((d) => d.code)).toEqual(['SCF105', 'SCF105', 'SCF105']); // the bad pattern, in each variant of User
  });

  it('are converted again when the top level or the components changed (another hash)', async () => {
    await build('rest-1');
    expect((await build('rest-2')).stats).toEqual({ hits: 0, misses: 1 });
  });
});
