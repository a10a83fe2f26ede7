import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ScaffoldError } from '../../src/diagnostics/diagnostic.js';
import { generate } from '../../src/engine.js';
import { exampleModels, exampleSpec } from '../support/fixtures.js';

/**
 * A property of the generator: whatever a design holds, a run ends with a project or with located
 * diagnostics, never an uncaught exception. The examples' specs are mutated with hostile names,
 * values and structures (fixed seed, so a failure is reproducible: fast-check prints the mutation).
 */
const SEED = 1_406_2026;
const RUNS = Number(process.env.HOSTILE_MUTATION_RUNS ?? 25);

const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'valueOf',
  'toString',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '*/',
  '${process.exit(1)}',
  '`',
  '../../outside',
  '/etc/passwd',
  "'; DROP TABLE x; --",
  'a\u0000b',
  'line\u2028sep',
  '\u202e',
  '🚀',
  '',
  ' ',
  '0',
  '-1',
  '.',
  '..',
  'x'.repeat(300),
  'default',
  'class',
  'await',
];

const HOSTILE_VALUES: unknown[] = [
  null,
  [],
  {},
  '',
  0,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  'x'.repeat(10_000),
  { $ref: '#/components/schemas/__proto__' },
  { $ref: '#' },
  { $ref: '#/paths' },
  { $ref: '/etc/passwd' },
  { $ref: 'http://127.0.0.1:9/spec.yaml' },
  { type: 'object', properties: { __proto__: { type: 'string' }, constructor: { type: 'integer' } } },
  { type: 'string', pattern: '^(a+)+$' },
  { type: 'string', pattern: '(' },
  { type: 'integer', minimum: 10, maximum: 1 },
  { allOf: [{ type: 'string' }, { type: 'integer' }] },
  { enum: [] },
  nested(40),
];

function nested(depth: number): unknown {
  let schema: unknown = { type: 'string' };
  for (let level = 0; level < depth; level++) schema = { type: 'object', properties: { child: schema } };
  return schema;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One edit at one place of the document: rename a key, replace or delete a value, copy a subtree over another. */
type Mutation = { kind: 'rename'; at: number; name: string } | { kind: 'replace'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'copy'; at: number; from: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.constantFrom(...HOSTILE_NAMES) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_VALUES) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), from: fc.nat() }),
);

/** Every (object, key) of the document, in a stable order: the places a mutation can land. */
function places(document: Json): { parent: Record<string, Json> | Json[]; key: string }[] {
  const found: { parent: Record<string, Json> | Json[]; key: string }[] = [];
  const visit = (node: Json): void => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      found.push({ parent: node, key });
      visit((node as Record<string, Json>)[key] as Json);
    }
  };
  visit(document);
  return found;
}

function mutate(document: Json, mutations: readonly Mutation[]): Json {
  const copy = structuredClone(document);
  for (const change of mutations) {
    const all = places(copy);
    const place = all[change.at % all.length];
    if (!place) continue;
    const { parent, key } = place;
    const target = parent as Record<string, Json>;
    if (change.kind === 'rename' && !Array.isArray(parent)) {
      const value = target[key] as Json;
      delete target[key];
      Object.defineProperty(target, change.name, { value, enumerable: true, writable: true, configurable: true });
    } else if (change.kind === 'replace') {
      target[key] = structuredClone(change.value) as Json;
    } else if (change.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete target[key];
    } else if (change.kind === 'copy') {
      const source = all[change.from % all.length];
      if (source) target[key] = structuredClone((source.parent as Record<string, Json>)[source.key] as Json);
    }
  }
  return copy;
}

describe('the generator on mutated designs', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'scaffold-mutations-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it.each(['petstore', 'ecommerce', 'user-management'])('%s: every mutation generates or stops with diagnostics', async (example) => {
    const original = parse(await readFile(exampleSpec(example), 'utf8')) as Json;
    const models = exampleModels(example);
    const spec = join(workDir, `${example}.yaml`);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, withModels) => {
        const text = stringify(mutate(original, mutations), { aliasDuplicateObjects: false });
        try {
          await generate({ spec, out: join(workDir, `${example}-out`), name: 'mutated', models: withModels ? models : undefined, dryRun: true, force: false, designTexts: new Map([[spec, text]]) });
        } catch (thrown) {
          if (!(thrown instanceof ScaffoldError)) throw thrown;
          expect(thrown.diagnostics.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
