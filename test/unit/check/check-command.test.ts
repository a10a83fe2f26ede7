import { copyFile, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/check/check-result.js';
import { exampleSpec, fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';
import { runCli } from '../../support/cli.js';

const cli = (...args: string[]) => runCli(args);

let validate: ReturnType<Ajv2020['compile']>;
beforeAll(async () => {
  const schema = JSON.parse(await readFile(join(REPO_ROOT, 'schemas', 'check-result.schema.json'), 'utf8')) as object;
  validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
});

/** `scaffold check --project <dir> --json`, its result validated against the documented schema. */
async function checkJson(project: string): Promise<{ code: number; result: CheckResult; stderr: string }> {
  const run = await cli('check', '--project', project, '--json');
  const result = JSON.parse(run.stdout) as CheckResult;
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  expect(result.exitCode).toBe(run.code);
  return { code: run.code, result, stderr: run.stderr };
}

const failing = (result: CheckResult, check: string) =>
  result.sections.flatMap((s) => s.results).filter((r) => r.check === check && r.status === 'fail');

/** A petstore project generated from a copy of the spec the test may change. */
async function generatedProject(): Promise<{ project: string; spec: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-check-'));
  const spec = join(dir, 'openapi.yaml');
  await copyFile(exampleSpec('petstore'), spec);
  const project = join(dir, 'project');
  const generated = await cli('generate', '--spec', spec, '--out', project);
  expect(generated.code, generated.stderr).toBe(0);
  return { project, spec };
}

/** Every file under the project with its size and modification time: what "writes nothing" compares. */
async function tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    files[relative(dir, path)] = `${info.size}:${info.mtimeMs}`;
  }
  return files;
}

describe('scaffold check', () => {
  it('passes on a freshly generated project: exit 0, a drift and a guidelines section of passing checks, JSON that matches its schema', async () => {
    const { project } = await generatedProject();
    const { code, result } = await checkJson(project);
    expect(code).toBe(0);
    expect(result.status).toBe('pass');
    expect(result.sections.map((s) => [s.name, s.status])).toEqual([['drift', 'pass'], ['guidelines', 'pass']]);
    expect(result.sections[0]?.results.map((r) => r.check)).toEqual(['generated-files', 'hand-edits', 'pending-migrations', 'api-changes']);
    expect(result.apiChanges).toEqual({ added: [], removed: [], changed: [] });

    const table = await cli('check', '--project', project);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Section +Check +Status +File +Detail$/m);
    expect(table.stdout).toMatch(/^drift +api-changes +pass +- +none since the last generation$/m);
    expect(table.stdout).toContain('Result: all checks pass (exit 0)');
  });

  it('runs inside a project with no flags, like generate', async () => {
    const { project } = await generatedProject();
    const cwd = process.cwd();
    process.chdir(project);
    try {
      expect((await cli('check')).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  it('after a spec change exits 1 naming the files behind it, the migration it implies and the API changes; after generate, 0 again; it writes nothing', async () => {
    const { project, spec } = await generatedProject();
    const original = await readFile(spec, 'utf8');
    const changed = original
      // a breaking change: the path parameter of getOrderById becomes a string
      .replace(/(operationId: getOrderById[\s\S]*?schema:\n\s+)type: integer\n\s+format: int64\n\s+minimum: 1\n\s+maximum: 10/, '$1type: string')
      // a new optional property of the inferred Pet entity: a new column
      .replace(/(    Pet:\n      type: object\n[\s\S]*?properties:\n)/, '$1        nickname:\n          type: string\n')
      // a second change of getOrderById, documentation only
      .replace('summary: Find purchase order by ID', 'summary: Find a purchase order by its ID');
    expect(changed).not.toBe(original);
    await writeFile(spec, changed);
    const before = await tree(project);

    const { code, result } = await checkJson(project);

    expect(code).toBe(1);
    expect(result.status).toBe('fail');
    expect(failing(result, 'generated-files').map((r) => r.file)).toEqual(expect.arrayContaining(['src/services/store.service.gen.ts', 'src/dto/openapi.gen.ts', '.scaffold/api-snapshot.json']));
    expect(failing(result, 'pending-migrations').map((r) => r.file)).toEqual([expect.stringMatching(/^migrations\/0001_.+\.sql$/)]);
    expect(failing(result, 'api-changes').map((r) => r.detail)).toContain('breaking: GET /v2/store/order/{orderId}: path parameter orderId: integer(int64) -> string');
    // One row per change, as generate prints them, not the changes of an operation joined on one line.
    expect(failing(result, 'api-changes').map((r) => r.detail)).toContain('changed: GET /v2/pet/findByStatus: optional response 200 property [].nickname added');
    expect(failing(result, 'api-changes').map((r) => r.detail)).toContain('changed: GET /v2/store/order/{orderId}: summary or description changed');
    expect(result.apiChanges?.changed.find((c) => c.operation.operationId === 'getOrderById')?.breaking).toBe(true);
    expect(failing(result, 'hand-edits')).toEqual([]);
    expect(await tree(project)).toEqual(before);

    const table = await cli('check', '--project', project);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^drift +generated-files +fail +src\/services\/store\.service\.gen\.ts +behind the spec\/models: would be updated \(generator-owned\)$/m);
    expect(table.stdout).toContain('Result: drift (exit 1)');

    const generated = await cli('generate', '--out', project);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/^API changes: 6 changed \(1 breaking\)$/m);
    expect(generated.stdout).toContain('\n  GET /v2/store/order/{orderId}\n    breaking: path parameter orderId: integer(int64) -> string\n    summary or description changed\n');
    expect(generated.stdout).toMatch(/^  GET \/v2\/pet\/findByStatus\n(?: {4}.*\n)*? {4}optional response 200 property \[\]\.nickname added$/m);
    const after = await checkJson(project);
    expect(after.code).toBe(0);
    expect(after.result.apiChanges).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports a generated file edited by hand as drift, naming the user-owned file to move the change into, and leaves it as it is', async () => {
    const { project } = await generatedProject();
    const base = join(project, 'src', 'services', 'pet.service.gen.ts');
    const edited = `${await readFile(base, 'utf8')}// a hot fix\n`;
    await writeFile(base, edited);

    const { code, result } = await checkJson(project);

    expect(code).toBe(1);
    expect(failing(result, 'hand-edits')).toEqual([
      expect.objectContaining({ file: 'src/services/pet.service.gen.ts', detail: expect.stringContaining('move the change into src/services/pet.service.ts') }),
    ]);
    expect(failing(result, 'generated-files')).toEqual([]);
    expect(await readFile(base, 'utf8')).toBe(edited);
    expect((await readdir(join(project, '.scaffold'))).some((name) => name === 'backup')).toBe(false);
  });

  it('exits 3 with the diagnostic when the spec is broken, and in the JSON', async () => {
    const { project, spec } = await generatedProject();
    await copyFile(fixtureSpec('broken-syntax.yaml'), spec);

    const text = await cli('check', '--project', project);
    expect(text.code).toBe(3);
    expect(text.stderr).toMatch(/error SCF002: .*openapi\.yaml:\d+:\d+/);
    expect(text.stdout).toContain('Result: could not check (exit 3)');

    const { code, result } = await checkJson(project);
    expect(code).toBe(3);
    expect(result.status).toBe('error');
    expect(result.sections).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SCF002']);
  });

  it('exits 3 outside a generated project (SCF051) and on a wrong command line; --help documents the exit codes', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'scaffold-check-'));
    const outside = await checkJson(empty);
    expect(outside.code).toBe(3);
    expect(outside.result.diagnostics.map((d) => d.code)).toEqual(['SCF051']);
    expect(outside.stderr).toContain('error SCF051');

    const wrong = await cli('check', '--bogus');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Usage: scaffold check');

    const help = await cli('check', '--help');
    expect(help.code).toBe(0);
    for (const text of ['--project <dir>', '--json', '0 all checks pass, 1 drift, 2 guideline violations, 3 could not check']) expect(help.stdout).toContain(text);
    expect((await cli('--help')).stdout).toMatch(/^ {2}check {7}/m);
  });
});
