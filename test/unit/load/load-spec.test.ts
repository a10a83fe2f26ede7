import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { fixtureSpec } from '../../support/fixtures.js';

async function diagnosticsOf(path: string) {
  try {
    await loadSpec(path);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics;
    throw error;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('load stage', () => {
  it('reads a 3.0 document and reports its version', async () => {
    const spec = await loadSpec(fixtureSpec('minimal.yaml'));
    expect(spec.version).toBe('3.0');
    expect(Object.keys(spec.document.paths ?? {})).toEqual(['/things/{thingId}']);
  });

  it('bundles schemas from other files into the document', async () => {
    const spec = await loadSpec(fixtureSpec('multi-file/openapi.yaml'));
    expect(spec.version).toBe('3.1');
    expect(spec.document.components?.schemas).toHaveProperty('Widget');
    expect(JSON.stringify(spec.document.paths)).toContain('#/components/schemas/Widget');
  });

  it('keeps a spec without references to other files exactly as written, literal values included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-load-'));
    const written = {
      openapi: '3.0.3',
      info: { title: 'as written', version: '1' },
      paths: {
        '/things': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, examples: { one: { value: { $ref: '#/components/examples/one' } } } } },
              },
            },
          },
        },
      },
      components: { schemas: { Thing: { type: 'object' } }, examples: { one: { value: { id: 1 } } } },
    };
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(written));
    // An example's value is a literal: a `$ref` in it is data, not a reference to inline.
    expect((await loadSpec(join(dir, 'openapi.json'))).document).toEqual(written);
  });

  it('fingerprints a one-file spec by its text and how it is parsed, and leaves a bundled spec without one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-load-'));
    const spec = { openapi: '3.0.3', info: { title: 'fingerprinted', version: '1' }, paths: {} };
    const load = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return loadSpec(join(dir, name));
    };
    const json = await load('openapi.json', JSON.stringify(spec));
    expect(json.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await load('openapi.json', JSON.stringify(spec))).fingerprint).toBe(json.fingerprint);
    expect((await load('openapi.json', JSON.stringify({ ...spec, info: { ...spec.info, version: '2' } }))).fingerprint).not.toBe(json.fingerprint);
    // The same text read as YAML is another parse, so another fingerprint.
    expect((await load('openapi.yaml', `# a comment first\n${JSON.stringify(spec)}`)).fingerprint).not.toBe(json.fingerprint);
    expect((await loadSpec(fixtureSpec('multi-file/openapi.yaml'))).fingerprint).toBeUndefined();
  });

  it('says a missing file is missing (SCF001)', async () => {
    const [d] = await diagnosticsOf(fixtureSpec('does-not-exist.yaml'));
    expect(d?.code).toBe('SCF001');
  });

  it('locates a YAML syntax error by line and column (SCF002)', async () => {
    const [d] = await diagnosticsOf(fixtureSpec('broken-syntax.yaml'));
    expect(d?.code).toBe('SCF002');
    expect(d?.location?.line).toBeGreaterThanOrEqual(4);
    expect(d?.location?.column).toBeGreaterThan(0);
  });

  it('locates a JSON syntax error', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/scaffold-`);
    await writeFile(`${dir}/spec.json`, '{\n  "openapi": "3.1.0",\n  "info": {,}\n}');
    const [d] = await diagnosticsOf(`${dir}/spec.json`);
    expect(d?.code).toBe('SCF002');
    expect(d?.location?.line).toBe(3);
  });

  it('recognises Swagger 2.0 and says how to convert it (SCF003)', async () => {
    const [d] = await diagnosticsOf(fixtureSpec('swagger2.yaml'));
    expect(d?.code).toBe('SCF003');
    expect(d?.hint).toMatch(/swagger2openapi/);
  });

  it('points at the invalid part of a document with a JSON pointer (SCF005)', async () => {
    const diagnostics = await diagnosticsOf(fixtureSpec('invalid-structure.yaml'));
    expect(diagnostics.map((d) => d.code)).toContain('SCF005');
    expect(diagnostics.some((d) => d.location?.pointer?.includes('/paths/~1a/get/responses'))).toBe(true);
  });

  it('reports an unresolvable $ref with where it is (SCF006)', async () => {
    const [d] = await diagnosticsOf(fixtureSpec('unresolved-ref.yaml'));
    expect(d?.code).toBe('SCF006');
    expect(d?.location?.pointer).toContain('/schema');
  });

  it('names the $ref it cannot resolve and the nearest component (SCF006)', async () => {
    const found = await diagnosticsOf(fixtureSpec('misspelled-ref.yaml'));
    expect(found.map((d) => `${d.code}@${d.location?.line}: ${d.message}`)).toEqual(['SCF006@11: cannot resolve $ref "#/components/schemas/Taks": components/schemas has no "Taks"; did you mean "Task"?']);
    const [plain] = await diagnosticsOf(fixtureSpec('unresolved-ref.yaml'));
    expect(plain?.message).toBe('cannot resolve $ref "#/components/schemas/Missing": the document has no "components"');
  });
});
