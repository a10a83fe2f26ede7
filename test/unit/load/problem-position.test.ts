import { BaseResolver, createConfig, getLineColLocation, lintDocument, Source } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseText } from '../../../src/load/read-document.js';
import { createProblemPositions } from '../../../src/load/problem-position.js';

/** A spec with problems on many lines, keys and values, written as JSON or YAML. */
function specWithProblems(): Record<string, unknown> {
  const properties = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, i % 3 === 0 ? { nullable: true } : { type: 'string', minLength: 'one' }]));
  return {
    openapi: '3.0.3',
    info: { title: 'positions', version: '1' },
    paths: {
      '/things': { get: { unknownKeyword: 1, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties } } } } } } },
    },
    components: { schemas: { Thing: { type: 'object', properties, required: 'p1' } } },
  };
}

/** Keys a pointer must escape (`/`, `~`, `%`, quotes, unicode), and a duplicate key of which the first counts. */
function withAwkwardKeys(spec: Record<string, unknown>): Record<string, unknown> {
  const paths = spec.paths as Record<string, Record<string, unknown>>;
  const item = paths['/things']!;
  const awkward = { '/things/{a~b}/%20 "quoted" \u00e9\u4e2d': item, '/things': item };
  return { ...spec, paths: awkward };
}

async function lint(path: string, text: string) {
  const config = await createConfig({ rules: { struct: 'error', 'no-unresolved-refs': 'error' } });
  const document = { source: new Source(path, text), parsed: parseText(path, text) };
  return lintDocument({ document, config: config.styleguide, externalRefResolver: new BaseResolver(config.resolve) });
}

describe('problem positions', () => {
  it.each([
    ['spec.json', JSON.stringify(specWithProblems(), null, 2)],
    ['minified.json', JSON.stringify(specWithProblems())],
    ['tabs.json', JSON.stringify(specWithProblems(), null, '\t').replace(/\n/g, '\r\n')],
    ['escaped-keys.json', JSON.stringify(withAwkwardKeys(specWithProblems()), null, 1)],
    ['spec.yaml', stringify(specWithProblems())],
    ['crlf.yaml', stringify(specWithProblems()).replace(/\n/g, '\r\n')],
  ])("are Redocly's own line and column for every problem of %s", async (path, text) => {
    const problems = await lint(path, text);
    expect(problems.length).toBeGreaterThan(10);
    // The spec's file as the load stage gives it: text and path, no Redocly Source (JSON is found by one
    // scan of the text; YAML through Redocly's AST).
    const spec = { absoluteRef: path, body: text };
    const locations = problems.map((problem) => ({ source: spec, pointer: problem.location[0]!.pointer!, reportOnKey: problem.location[0]!.reportOnKey }));
    const positionOf = await createProblemPositions(locations);
    const ours = locations.map((location) => positionOf(location));
    // Redocly's answer, computed on a fresh copy of each source so that nothing is shared with ours.
    const theirs = problems.map((problem) => getLineColLocation({ ...problem.location[0]!, source: new Source(path, text) }).start);
    expect(ours).toEqual(theirs);
    expect(new Set(ours.map((p) => `${p.line}:${p.col}`)).size).toBeGreaterThan(5);
  });
});
