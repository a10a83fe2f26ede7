import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/engine.js';
import * as serializer from '../../../src/shared/response-serializer.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

type Build = serializer.BuildSerializer;

/**
 * A response schema fast-json-stringify cannot compile (soundcloud: `type: array` with an anyOf of
 * objects) or would take minutes to (Stripe's densely cross-referenced schemas) must not keep the
 * server from starting: the body goes through the fallback (strip, then JSON.stringify) instead. The
 * module imports no packages and is the generated project's own, so it is tested as it is, with a
 * stand-in for fast-json-stringify.
 */

/** Stands in for the generated strip-then-stringify fallback (validation.ts), which needs Ajv. */
const fallback = () => (data: unknown) => `fallback:${JSON.stringify(data)}`;

describe('the response serializer module', () => {
  it('is copied into the generated project verbatim, so that the generator and the project decide alike', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'scaffold-serializer-')), 'project');
    await generate({ spec: exampleSpec('petstore'), out, name: undefined, models: undefined, dryRun: false, force: false });
    const generated = await readFile(join(out, 'src/utils/response-serializer.ts'), 'utf8');
    expect(generated).toBe(await readFile(join(REPO_ROOT, 'src/shared/response-serializer.ts'), 'utf8'));
  });
});

describe('response serializers', () => {
  it('uses fast-json-stringify when it compiles the schema, given the schemas it references', () => {
    const calls: Record<string, unknown>[] = [];
    const build: Build = (_schema, options) => {
      calls.push(options.schema);
      return () => 'fast';
    };
    const schemas = [{ $id: 'Pet', properties: { tag: { $ref: 'Tag#/properties/name' } } }, { $id: 'Tag', properties: { name: { type: 'string' } } }, { $id: 'Order' }];
    const result = serializer.compileResponseSerializer({ type: 'array', items: { $ref: 'Pet' } }, schemas, build, fallback);
    expect(result.fallback).toBeUndefined();
    expect(result.serialize({})).toBe('fast');
    expect(Object.keys(calls[0] ?? {}).sort()).toEqual(['Pet', 'Tag']);
  });

  it('falls back to strip-and-stringify when fast-json-stringify refuses the schema', () => {
    const build: Build = () => {
      throw new Error('Failed to merge "type" keyword schemas.');
    };
    const result = serializer.compileResponseSerializer({ type: 'array', items: { type: 'array', anyOf: [{ type: 'object' }] } }, [], build, fallback);
    expect(result.fallback).toBe('fast-json-stringify cannot compile its schema: Failed to merge "type" keyword schemas.');
    expect(result.serialize([{ a: 1 }])).toBe('fallback:[{"a":1}]');
  });

  it('does not hand fast-json-stringify a patternProperties key that backtracks super-linearly, even behind a reference', () => {
    // fast-json-stringify would test every key of a body against it with a native RegExp (issue 14 item 7).
    const schemas = [{ $id: 'Labels', type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } } }];
    let built = false;
    const build: Build = () => {
      built = true;
      return () => 'fast';
    };
    const backtracks = (pattern: string) => pattern === '^(a+)+$';
    const result = serializer.compileResponseSerializer({ type: 'object', properties: { labels: { $ref: 'Labels' } } }, schemas, build, fallback, backtracks);
    expect(built).toBe(false);
    expect(result.fallback).toBe('its patternProperties key "^(a+)+$" can backtrack super-linearly, and fast-json-stringify would test every key of a body against it with a native RegExp');
    expect(result.serialize({ labels: { [`${'a'.repeat(28)}!`]: 'x' } })).toBe(`fallback:{"labels":{"${'a'.repeat(28)}!":"x"}}`);
    expect(serializer.compileResponseSerializer({ $ref: 'Labels' }, schemas, build, fallback).fallback).toBeUndefined();
  });

  it('does not try fast-json-stringify on schemas with more paths through references than the budget', () => {
    // Each level references the next twice: 2^depth paths, the shape of Stripe's expandable fields.
    const schemas = Array.from({ length: 20 }, (_, i) => ({
      $id: `Level${i}`,
      type: 'object',
      properties: i === 19 ? {} : { a: { $ref: `Level${i + 1}` }, b: { anyOf: [{ type: 'string' }, { $ref: `Level${i + 1}` }] } },
    }));
    let built = false;
    const result = serializer.compileResponseSerializer(
      { $ref: 'Level0' },
      schemas,
      () => {
        built = true;
        return () => '';
      },
      fallback,
    );
    expect(built).toBe(false);
    expect(result.fallback).toMatch(/paths through references/);
    expect(result.serialize({ a: {} })).toBe('fallback:{"a":{}}');
  });

  it('still compiles recursive schemas, whose cycles the walk cuts', () => {
    const schemas = [{ $id: 'Node', type: 'object', properties: { children: { type: 'array', items: { $ref: 'Node' } } } }];
    const result = serializer.compileResponseSerializer({ $ref: 'Node' }, schemas, () => () => 'fast', fallback);
    expect(result.fallback).toBeUndefined();
  });

  it('strips what the schema does not declare before the fallback sends a body', () => {
    const byId = new Map<string, unknown>([['User', { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }]]);
    const schema = { type: 'array', items: { anyOf: [{ $ref: 'User' }, { type: 'object', properties: { extra: { type: 'object', additionalProperties: true } } }] } };
    const data = [{ id: 1, name: 'a', password: 'secret', extra: { anything: true } }];
    expect(serializer.stripUndeclared(data, schema, byId)).toEqual([{ id: 1, name: 'a', extra: { anything: true } }]);
  });
});
