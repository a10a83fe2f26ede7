import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { DEFAULT_GUIDELINES } from '../../../src/load/guidelines-types.js';
import { loadGuidelines } from '../../../src/load/load-guidelines.js';

async function guidelinesFile(text: string, name = 'guidelines.yaml'): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'scaffold-guidelines-')), name);
  await writeFile(path, text);
  return path;
}

async function problems(text: string): Promise<Diagnostic[]> {
  const error = await loadGuidelines(await guidelinesFile(text)).catch((cause: unknown) => cause);
  expect(error).toBeInstanceOf(ScaffoldError);
  return [...(error as ScaffoldError).diagnostics];
}

describe('loading a guidelines file', () => {
  it('fills what the file leaves out with the defaults', async () => {
    const path = await guidelinesFile(['fileCase: camel', 'layers:', '  controllers: { path: src/api/controllers, fileSuffix: .handler }', 'apiPrefix: /api/v2', 'rules:', '  no-circular-imports: false', ''].join('\n'));
    const { guidelines, diagnostics } = await loadGuidelines(path);
    expect(guidelines.fileCase).toBe('camel');
    expect(guidelines.layers.controllers).toEqual({ path: 'src/api/controllers', fileSuffix: '.handler', classSuffix: 'Controller' });
    expect(guidelines.layers.services).toEqual(DEFAULT_GUIDELINES.layers.services);
    expect(guidelines.apiPrefix).toBe('/api/v2');
    expect(guidelines.rules).toEqual({ ...DEFAULT_GUIDELINES.rules, 'no-circular-imports': false });
    expect(diagnostics).toEqual([]);
  });

  it('reads JSON as well', async () => {
    const { guidelines } = await loadGuidelines(await guidelinesFile('{ "fileCase": "snake" }', 'guidelines.json'));
    expect(guidelines.fileCase).toBe('snake');
  });

  it('reports every problem at its line (SCF070), all at once', async () => {
    const found = await problems(
      ['fileCase: screaming', 'layers:', '  controllers:', '    path: lib/controllers', '    fileSuffix: handler', 'colour: blue', ''].join('\n'),
    );
    const byLine = Object.fromEntries(found.map((d) => [d.location?.line, d]));
    expect(found.every((d) => d.code === 'SCF070')).toBe(true);
    expect(byLine[1]?.message).toMatch(/\/fileCase: must be one of "kebab", "camel", "pascal", "snake"/);
    expect(byLine[4]?.message).toMatch(/\/layers\/controllers\/path: must match pattern/);
    expect(byLine[5]?.message).toMatch(/\/layers\/controllers\/fileSuffix: must match pattern/);
    expect(byLine[6]?.message).toMatch(/unknown property "colour"/);
    expect(found).toHaveLength(4);
  });

  it('refuses two layers in one folder, located at the second', async () => {
    const found = await problems(['layers:', '  controllers: { path: src/app }', '  services:', '    path: src/app', ''].join('\n'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'SCF070', location: { line: 4 } });
    expect(found[0]?.message).toContain('is also the path of controllers');
  });

  it('locates a syntax error (SCF002)', async () => {
    const found = await problems('fileCase: kebab\nlayers: [\n');
    expect(found[0]?.code).toBe('SCF002');
    expect(found[0]?.location?.line).toBeGreaterThan(1);
  });

  it('reads errorEnvelope and idType, which the generator applies, without a warning', async () => {
    const { guidelines, diagnostics } = await loadGuidelines(await guidelinesFile('fileCase: kebab\nidType: serial\nerrorEnvelope: false\n'));
    expect(guidelines).toMatchObject({ idType: 'serial', errorEnvelope: false });
    expect(diagnostics).toEqual([]);
  });
});
