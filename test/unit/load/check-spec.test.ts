import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Source } from '@redocly/openapi-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noRunCache, openRunCache } from '../../../src/cache/run-cache.js';
import { checkSpec, type LocatedProblem } from '../../../src/load/check-spec.js';

type Spec = Record<string, any>;

/** Ten path items referencing shared components; some nodes carry problems Redocly reports (tolerated ones and errors). */
function baseSpec(): Spec {
  const paths: Spec = {};
  for (let i = 0; i < 10; i++) {
    paths[`/things${i}/{id}`] = {
      parameters: [{ $ref: '#/components/parameters/Id' }],
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          default: { $ref: '#/components/responses/Problem' },
        },
      },
    };
  }
  paths['/things0/{id}'].get.responses['200'].content['application/json'].schema = { type: 'object', properties: { odd: { nullable: true } } };
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths,
    components: {
      parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
      responses: { Problem: { description: 'problem', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
      schemas: {
        Thing: { type: 'object', properties: { id: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' }, loose: { nullable: true } } },
        Owner: { type: 'object', properties: { name: { type: 'string' } } },
        Problem: { type: 'object', properties: { message: { type: 'string' } } },
      },
    },
  };
}

async function check(spec: Spec, cache = noRunCache()): Promise<string[]> {
  const text = JSON.stringify(spec, null, 2);
  const { problems } = await checkSpec(new Source('/spec.json', text), JSON.parse(text) as Spec, cache);
  return problems.map(describeProblem).sort();
}

function describeProblem(problem: LocatedProblem): string {
  return `${problem.severity} ${problem.ruleId} ${problem.pointer} ${problem.reportOnKey ? 'key ' : ''}${problem.message}`;
}

describe('checking a spec again after a change', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-check-spec-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Checks `before` with a fresh cache, then `after` with what that run kept; returns the second run's problems and cache stats. */
  async function recheck(before: Spec, after: Spec) {
    const first = await openRunCache(dir);
    await check(before, first);
    await first.save();
    const second = await openRunCache(dir);
    const problems = await check(after, second);
    return { problems, stats: second.stats };
  }

  it('finds what a check of the whole spec finds when path items changed, checking only those', async () => {
    const after = baseSpec();
    after.paths['/things3/{id}'].get.responses['200'].content['application/json'].schema = { type: 'object', properties: { also: { nullable: true } } };
    after.paths['/things3/{id}'].get.summary = 42; // an error Redocly reports
    after.paths['/new/{id}'] = structuredClone(after.paths['/things1/{id}']);
    const { problems, stats } = await recheck(baseSpec(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.includes('#/paths/~1things3~1{id}/get/summary'))).toBe(true);
    // The top level with the components, and the nine path items that did not change, came from the cache.
    expect(stats.hits).toBe(10);
  });

  it('keeps the problems of path items that did not change, and of the components', async () => {
    const after = baseSpec();
    after.paths['/things5/{id}'].get.description = 'changed';
    const { problems, stats } = await recheck(baseSpec(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.filter((p) => p.includes('nullable')).length).toBe(2);
    expect(stats.hits).toBe(10);
  });

  it('finds a reference that uses a component as something it is not, as the whole check does', async () => {
    const after = baseSpec();
    after.paths['/things2/{id}'].parameters = [{ $ref: '#/components/schemas/Owner' }];
    const { problems } = await recheck(baseSpec(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.startsWith('error struct #/components/schemas/Owner'))).toBe(true);
  });

  /** The base spec with example components (one with a problem in it) and a vendor extension at the top level. */
  function withExamplesAndExtensions(): Spec {
    const spec = baseSpec();
    spec.components.examples = { Good: { value: { id: 'a' } }, Odd: { value: { id: 'b' }, externalValue: 42 } };
    spec['x-shared'] = { owner: { type: 'object', properties: { name: { type: 'string' } } }, sample: { $ref: '#/components/examples/Odd' } };
    for (const path of Object.keys(spec.paths)) {
      spec.paths[path].get.responses['200'].content['application/json'].examples = { good: { $ref: '#/components/examples/Good' }, odd: { $ref: '#/components/examples/Odd' } };
    }
    return spec;
  }

  it('finds what the whole check finds when a changed path item uses examples, checking it against stubs of them', async () => {
    const after = withExamplesAndExtensions();
    after.paths['/things3/{id}'].get.summary = 42;
    after.paths['/things6/{id}'].get.responses['200'].content['application/json'].examples.bad = { $ref: '#/components/examples/Missing' };
    const { problems, stats } = await recheck(withExamplesAndExtensions(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.includes('#/components/examples/Odd/externalValue'))).toBe(true);
    expect(problems.some((p) => p.startsWith('error no-unresolved-refs #/paths/~1things6~1{id}'))).toBe(true);
    expect(stats.hits).toBe(9);
  });

  it('finds an example used as something it is not, as the whole check does', async () => {
    const after = withExamplesAndExtensions();
    after.paths['/things2/{id}'].parameters = [{ $ref: '#/components/examples/Good' }];
    const { problems } = await recheck(withExamplesAndExtensions(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.startsWith('error struct #/components/examples/Good'))).toBe(true);
  });

  it('tells an examples map from a schema property or a header named examples', async () => {
    const asPropertyItems = withExamplesAndExtensions();
    asPropertyItems.components.examples.Odd = { summary: 'not a schema', value: 1 };
    const before = structuredClone(asPropertyItems);
    asPropertyItems.paths['/things3/{id}'].get.responses['200'].content['application/json'].schema = {
      type: 'object',
      properties: { examples: { type: 'array', items: { $ref: '#/components/examples/Odd' } } },
    };
    const asHeader = structuredClone(before);
    asHeader.paths['/things4/{id}'].get.responses['200'].headers = { examples: { schema: { $ref: '#/components/examples/Odd' } } };
    for (const after of [asPropertyItems, asHeader]) {
      const { problems } = await recheck(before, after);
      expect(problems).toEqual(await check(after));
      expect(problems.some((p) => p.startsWith('error struct #/components/examples/Odd'))).toBe(true);
    }
  });

  it('resolves a changed path item\'s reference into a vendor extension of the top level', async () => {
    const after = withExamplesAndExtensions();
    after.paths['/things5/{id}'].get.responses['200'].content['application/json'].schema = { $ref: '#/x-shared/owner' };
    after.paths['/things7/{id}'].get.responses['200'].content['application/json'].schema = { $ref: '#/x-shared/missing' };
    const { problems } = await recheck(withExamplesAndExtensions(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.includes('~1things5~1{id}') && p.includes('no-unresolved-refs'))).toBe(false);
    expect(problems.some((p) => p.includes('~1things7~1{id}') && p.includes('no-unresolved-refs'))).toBe(true);
  });

  it('finds a reference to a component that does not exist, in the changed path item', async () => {
    const after = baseSpec();
    after.paths['/things4/{id}'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Missing' };
    const { problems } = await recheck(baseSpec(), after);
    expect(problems).toEqual(await check(after));
    expect(problems.some((p) => p.startsWith('error no-unresolved-refs #/paths/~1things4~1{id}'))).toBe(true);
  });

  it('checks the whole spec again when a component changed or a path item went away', async () => {
    const componentChanged = baseSpec();
    componentChanged.components.schemas.Owner.properties.name = { nullable: true };
    const removed = baseSpec();
    delete removed.components.schemas.Owner;
    delete removed.paths['/things7/{id}'];
    for (const after of [componentChanged, removed]) {
      const { problems } = await recheck(baseSpec(), after);
      expect(problems).toEqual(await check(after));
    }
  });
});
