import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { reportSuperLinearDomainPatterns } from '../../../src/model/domain/domain-patterns.js';
import { sampleFields } from '../../../src/plan/domain-samples.js';
import { buildDomainViews } from '../../../src/plan/entity-view.js';
import { createSchemaConverter } from '../../../src/model/json-schema.js';
import { isSuperLinearPattern, patternTester } from '../../../src/model/pattern.js';
import { reportSerializerFallbacks } from '../../../src/plan/serializer-fallbacks.js';
import { superLinearPatterns } from '../../../src/plan/super-linear-patterns.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/** Issue 14 item 7: patterns a backtracking engine can take seconds to test are found at generation. */
describe('super-linear patterns', () => {
  it.each([
    ['^(a+)+$', 'nested quantifiers'],
    ['^(a|a)*$', 'alternatives matching the same text under a star'],
    ['^(a|aa)+$', 'overlapping alternatives'],
    ['^([a-z]+)*$', 'a class repeated inside a repetition'],
    ['^(\\w+\\s?)*$', 'an optional separator between repetitions'],
    ['^(.*a){12}$', 'polynomial: a wildcard repeated a fixed number of times'],
    ['^(a+)+\\1$', 'a backreference after nested quantifiers'],
  ])('flags %s (%s)', (pattern) => {
    expect(isSuperLinearPattern(pattern)).toBe(true);
  });

  it.each(['^[A-Z]{2}$', '^[a-z0-9-]+$', '^[A-Z0-9]+(?:-[A-Z0-9]+)*$', '^\\+[1-9][0-9]{1,14}$', '^\\p{L}+$', '^[\\-a-z]+$', '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', '(', '^(a)\\1$'])(
    'leaves %s alone',
    (pattern) => {
      expect(isSuperLinearPattern(pattern)).toBe(false);
    },
  );

  it('warns (SCF017) where a pattern or a patternProperties key sits, once per place whatever the views', () => {
    const diagnostics: Diagnostic[] = [];
    const converter = createSchemaConverter({ version: '3.1', componentIdFor: (name) => name, resolvePointer: () => ({}), diagnostics });
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' }, b: { type: 'string', pattern: '^[a-z]+$' } }, patternProperties: { '^(a|a)*$': {} } };
    for (const view of ['neutral', 'request', 'response'] as const) converter.convert(schema, view, '/components/schemas/Word');
    expect(diagnostics.map((d) => [d.code, d.severity, d.location?.pointer])).toEqual([
      ['SCF017', 'warning', '/components/schemas/Word/properties/a/pattern'],
      ['SCF017', 'warning', '/components/schemas/Word/patternProperties/^(a|a)*$'],
    ]);
    expect(diagnostics[0]?.message).toContain('"^(a+)+$"');
  });

  it('names the spec file and the pointer of every super-linear pattern: body, path, query, header, patternProperties', async () => {
    const file = resolve(REPO_ROOT, 'test/fixtures/hostile/07-redos-every-place/openapi.yaml');
    const { diagnostics } = buildModel(await loadSpec(file));
    const found = diagnostics.filter((d) => d.code === 'SCF017').map((d) => [d.location?.file, d.location?.pointer]);
    expect(found).toEqual(
      expect.arrayContaining([
        [file, '/components/schemas/Word/properties/text/pattern'],
        [file, '/components/schemas/Word/properties/labels/patternProperties/^(a|aa)+$'],
        [file, '/components/schemas/Word/properties/twice/pattern'],
        [file, '/paths/~1words~1{slug}/put/parameters/0/schema/pattern'],
        [file, '/paths/~1words~1{slug}/put/parameters/1/schema/pattern'],
        [file, '/paths/~1words~1{slug}/put/parameters/2/schema/pattern'],
      ]),
    );
    expect(found).toHaveLength(6);
  });

  it('lists them for the generated server, each once and sorted, the safe ones left out', async () => {
    const { model } = buildModel(await loadSpec(resolve(REPO_ROOT, 'test/fixtures/hostile/07-redos-every-place/openapi.yaml')));
    expect(superLinearPatterns(model.schemas, model.resources)).toEqual(['^([a-z]+)*$', '^(a+)+$', '^(a+)+\\1$', '^(a|a)*$', '^(a|aa)+$']);
  });

  it('keeps a response whose patternProperties key backtracks away from fast-json-stringify (SCF012)', async () => {
    const { model } = buildModel(await loadSpec(resolve(REPO_ROOT, 'test/fixtures/hostile/07-redos-every-place/openapi.yaml')));
    const fallbacks = reportSerializerFallbacks(model.resources, model.schemas);
    expect(fallbacks.map((d) => [d.code, d.location?.pointer])).toEqual([['SCF012', '/paths/~1words~1{slug}/put/responses/200/content/application~1json/schema']]);
    expect(fallbacks[0]?.message).toContain('its patternProperties key "^(a|aa)+$" can backtrack super-linearly');
  });

  describe('in the domain model', () => {
    const folder = resolve(REPO_ROOT, 'test/fixtures/hostile/07-redos-domain-field');

    it('warns (SCF017) at the line of the field pattern in the model file', async () => {
      const found = reportSuperLinearDomainPatterns(await loadDomainModel(resolve(folder, 'domain.yaml')));
      expect(found.map((d) => [d.code, d.location?.file, d.location?.line, d.location?.pointer])).toEqual([
        ['SCF017', resolve(folder, 'domain.yaml'), 6, '/entities/Tag/fields/slug/pattern'],
        ['SCF017', resolve(folder, 'domain.yaml'), 10, '/valueObjects/Label/fields/text/pattern'],
      ]);
    });

    it('has the entities test their patterns through the project engine, which lists these for RE2', async () => {
      const domain = buildDomainModel(await loadDomainModel(resolve(folder, 'domain.yaml')));
      const { entities, valueObjects } = buildDomainViews(domain);
      expect(entities[0]?.usesPatterns).toBe(true);
      expect(entities[0]?.checks.map((c) => c.condition)).toContainEqual(expect.stringMatching(/^compilePattern\(.*\)\.test\(this\.props\.slug\)$/));
      expect(valueObjects[0]?.usesPatterns).toBe(true);
      expect(superLinearPatterns(domain)).toEqual(['^([a-z]+-?)*$', '^(a|a)*$']);
    });
  });

  it('does not hold the generator: sample values are tested as the server tests them', async () => {
    const domain = buildDomainModel(await loadDomainModel(resolve(REPO_ROOT, 'test/fixtures/hostile/07-redos-generator-samples/domain.yaml')));
    const started = performance.now();
    // A candidate that fails ^([a-z]+)*[0-9]$ at its end would take 2^40 steps in Node's RegExp; the
    // sampler makes one from the pattern and tests it with RE2, in linear time.
    const slug = sampleFields(domain.entities[0]?.fields ?? [], new Map())?.find((field) => field.name === 'slug');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(slug?.value).toHaveLength(40);
    expect(patternTester('^([a-z]+)*[0-9]$')?.test(String(slug?.value))).toBe(true);
    expect(patternTester('^([a-z]+)*[0-9]$')?.test(`${'a'.repeat(40)}1`)).toBe(true);
    expect(patternTester('^(a+)+\\1$')?.test(`${'a'.repeat(40)}!`)).toBe(false); // RE2 cannot: bounded
    expect(patternTester('(')).toBeUndefined();
  });
});
