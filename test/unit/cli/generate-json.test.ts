import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateJson } from '../../../src/cli/generate-json.js';
import type { Terminal } from '../../../src/cli/prompts/terminal.js';
import { exampleSpec, fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';
import { runCli } from '../../support/cli.js';

/** A real terminal, colours on: --json must still ask nothing and print no spinner or colour. */
const TERMINAL: Terminal = { interactive: true, tty: true, color: true };

let validate: ReturnType<Ajv2020['compile']>;
beforeAll(async () => {
  const schema = JSON.parse(await readFile(join(REPO_ROOT, 'schemas', 'generate-result.schema.json'), 'utf8')) as object;
  validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
});

/** `scaffold generate --json ...`: stdout is one JSON object, valid against the documented schema. */
async function generateJson(...args: string[]): Promise<{ code: number; result: GenerateJson; stderr: string }> {
  const run = await runCli(['generate', '--json', ...args], TERMINAL);
  expect(run.stdout).not.toMatch(/\u001b\[/);
  const result = JSON.parse(run.stdout) as GenerateJson;
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  expect(result.exitCode).toBe(run.code);
  return { code: run.code, result, stderr: run.stderr };
}

describe('scaffold generate --json', () => {
  it('prints the files, counts and changes of a generation, and of a regeneration that changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-json-'));
    const spec = join(dir, 'openapi.yaml');
    await copyFile(exampleSpec('petstore'), spec);
    const project = join(dir, 'project');

    const first = await generateJson('--spec', spec, '--out', project);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.result).toMatchObject({ status: 'ok', dryRun: false, changed: true, project });
    expect(first.result.operations).toBeGreaterThan(0);
    const { crud, domain, stub } = first.result.implementations!;
    expect(crud + domain + stub).toBe(first.result.operations);
    expect(first.result.files.every((f) => f.action === 'create')).toBe(true);
    expect(first.result.files).toContainEqual({ path: 'src/app.ts', owner: 'user', action: 'create' });
    expect(first.result.files).toContainEqual({ path: 'package.json', owner: 'template', action: 'create' });
    expect(first.result.apiChanges).toBeUndefined();

    const again = await generateJson('--out', project, '--dry-run');
    expect(again.result).toMatchObject({ status: 'ok', dryRun: true, changed: false });
    // Generator-owned files are compared and unchanged; yours are left alone.
    expect(new Set(again.result.files.map((f) => f.action))).toEqual(new Set(['unchanged', 'keep']));
    expect(again.result.files).toContainEqual({ path: 'src/app.ts', owner: 'user', action: 'keep' });
    expect(again.result.apiChanges).toEqual({ added: [], removed: [], changed: [] });

    // A spec change shows up as API changes and updated generator-owned files.
    await writeFile(spec, (await readFile(spec, 'utf8')).replace(/operationId: (\w+)/, 'operationId: $1Renamed'));
    const changed = await generateJson('--out', project, '--dry-run');
    expect(changed.result.changed).toBe(true);
    expect(changed.result.files.some((f) => f.action === 'update' && f.owner === 'generator')).toBe(true);
    const { added, removed, changed: altered } = changed.result.apiChanges!;
    expect(added.length + removed.length + altered.length).toBeGreaterThan(0);
  }, 60_000);

  it('never asks: missing options exit 2 with the error as JSON on stdout, nothing on stderr', async () => {
    const missing = await generateJson('--spec', exampleSpec('petstore'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('');
    expect(missing.result).toMatchObject({ status: 'error', changed: false, files: [] });
    expect(missing.result.diagnostics).toEqual([expect.objectContaining({ code: 'SCF022', severity: 'error', message: expect.stringContaining('--out') })]);

    const unknown = await generateJson('--spec', exampleSpec('petstore'), '--colour');
    expect(unknown.code).toBe(2);
    expect(unknown.result.diagnostics[0]).toMatchObject({ code: 'SCF022', message: expect.stringContaining('--colour') });
  });

  it('an input that cannot be generated from exits 1 with its located diagnostics', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'scaffold-json-')), 'out');
    const broken = await generateJson('--spec', fixtureSpec('broken-syntax.yaml'), '--out', out, '--dry-run');
    expect(broken.code).toBe(1);
    expect(broken.result).toMatchObject({ status: 'error', dryRun: true, changed: false });
    expect(broken.result.diagnostics[0]).toMatchObject({ code: 'SCF002', severity: 'error', location: { file: expect.stringContaining('broken-syntax.yaml'), line: expect.any(Number) } });
  });

  it('a refused write exits 1 listing the refused file, and writes nothing', async () => {
    const project = join(await mkdtemp(join(tmpdir(), 'scaffold-json-')), 'project');
    expect((await generateJson('--spec', exampleSpec('petstore'), '--out', project)).code).toBe(0);
    const edited = (await generateJson('--out', project, '--dry-run')).result.files.find((f) => f.owner === 'generator' && f.path.endsWith('.gen.ts'))!;
    await writeFile(join(project, edited.path), '// edited by hand\n');

    const refused = await generateJson('--out', project);
    expect(refused.code).toBe(1);
    expect(refused.result).toMatchObject({ status: 'error', changed: false });
    expect(refused.result.diagnostics).toContainEqual(expect.objectContaining({ code: 'SCF026' }));
    expect(refused.result.files).toContainEqual(expect.objectContaining({ path: edited.path, owner: 'generator', action: 'refuse' }));
    expect(await readFile(join(project, edited.path), 'utf8')).toBe('// edited by hand\n');
  }, 60_000);
});
