import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * The import-cycle rule the generated project's own lint carries (eslint/no-circular-imports.js): it
 * finds the cycles `scaffold check` finds, reports each at the import that closes it, and goes away
 * with the guideline.
 */
const DIR = resolve(REPO_ROOT, 'test', '.cache', 'e2e-lint-import-cycles');

interface LintError {
  file: string;
  line: number;
  message: string;
}

async function generate(name: string, guidelines?: string): Promise<string> {
  const project = join(DIR, name);
  const flags = [];
  if (guidelines !== undefined) {
    await writeFile(join(DIR, `${name}.guidelines.yaml`), guidelines);
    flags.push('--guidelines', join(DIR, `${name}.guidelines.yaml`));
  }
  const run = await runCli(['generate', '--spec', exampleSpec('petstore'), '--out', project, ...flags]);
  expect(run.code, run.stderr).toBe(0);
  await linkRuntimeModules(project);
  return project;
}

/** `npm run lint` with ESLint's JSON report: its exit code and the errors of the cycle rule, by file. */
async function lint(project: string): Promise<{ code: number; cycles: LintError[] }> {
  const output = join(DIR, 'lint.json');
  await rm(output, { force: true });
  const run = await runCommand('npm', ['run', 'lint', '--', '--format', 'json', '--output-file', output], { cwd: project });
  const report = JSON.parse(await readFile(output, 'utf8')) as { filePath: string; messages: { ruleId: string | null; line: number; message: string }[] }[];
  const cycles = report.flatMap((result) =>
    result.messages.filter((m) => m.ruleId === 'guidelines/no-circular-imports').map((m) => ({ file: relative(project, result.filePath), line: m.line, message: m.message })),
  );
  return { code: run.code, cycles: cycles.sort((a, b) => a.file.localeCompare(b.file)) };
}

async function check(project: string): Promise<{ code: number; cycles: string[] }> {
  const run = await runCli(['check', '--project', project, '--json']);
  const rows = (JSON.parse(run.stdout) as { sections: { name: string; results: { check: string; status: string; detail: string }[] }[] }).sections.find((s) => s.name === 'guidelines')?.results ?? [];
  return { code: run.code, cycles: rows.filter((r) => r.check === 'no-circular-imports' && r.status === 'fail').map((r) => r.detail) };
}

/** The files a test changed, with their text before (undefined: the test created it). */
const originals = new Map<string, string | undefined>();
async function prepend(project: string, path: string, ...lines: string[]): Promise<void> {
  const file = join(project, path);
  const text = existsSync(file) ? await readFile(file, 'utf8') : undefined;
  if (!originals.has(file)) originals.set(file, text);
  await writeFile(file, [...lines, text ?? ''].join('\n'));
}

describe("the generated project's import-cycle lint rule", () => {
  let project: string;

  beforeAll(async () => {
    await rm(DIR, { recursive: true, force: true });
    await mkdir(DIR, { recursive: true });
    project = await generate('petstore');
  });

  afterEach(async () => {
    for (const [file, text] of originals) await (text === undefined ? rm(file) : writeFile(file, text));
    originals.clear();
  });

  it('passes on the untouched project', async () => {
    expect(await lint(project)).toEqual({ code: 0, cycles: [] });
  });

  it('counts no type-only import: a service importing its controller, which imports the service only as a type, is no cycle', async () => {
    expect(await readFile(join(project, 'src/controllers/pet.controller.gen.ts'), 'utf8')).toMatch(/^import type \{ PetServiceBase \} from '\.\.\/services\/pet\.service\.gen\.js';$/m);
    await prepend(project, 'src/services/pet.service.gen.ts', "import { PetController } from '../controllers/pet.controller.js';", 'void PetController;');
    expect(await lint(project)).toEqual({ code: 0, cycles: [] });
    expect((await check(project)).cycles).toEqual([]);
  });

  it('reports a cycle of three modules, through a re-export, at the import of each that closes it', async () => {
    await prepend(project, 'src/services/pet-pricing.ts', "export * from '../controllers/pet.controller.js';");
    await prepend(project, 'src/controllers/pet.controller.ts', '// The price list follows the service.', "import { PetService } from '../services/pet.service.js';", 'void PetService;');
    await prepend(project, 'src/services/pet.service.ts', "import './pet-pricing.js';");
    const { code, cycles } = await lint(project);
    expect(code).not.toBe(0);
    const cycle = ['src/controllers/pet.controller.ts', 'src/services/pet.service.ts', 'src/services/pet-pricing.ts'];
    const from = (start: number) => [...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' -> ');
    expect(cycles).toEqual([
      { file: 'src/controllers/pet.controller.ts', line: 2, message: `Import cycle: ${from(0)}.` },
      { file: 'src/services/pet-pricing.ts', line: 1, message: `Import cycle: ${from(2)}.` },
      { file: 'src/services/pet.service.ts', line: 1, message: `Import cycle: ${from(1)}.` },
    ]);
    const checked = await check(project);
    expect(checked.code).toBe(2);
    expect(checked.cycles).toEqual([`import cycle: ${from(0)}`]);
  });

  it('is left out, file and entry, when the guidelines turn no-circular-imports off', async () => {
    const relaxed = await generate('relaxed', 'rules:\n  no-circular-imports: false\n');
    expect(existsSync(join(relaxed, 'eslint'))).toBe(false);
    expect(await readFile(join(relaxed, 'eslint.config.js'), 'utf8')).not.toContain('circular');
    await prepend(relaxed, 'src/services/pet.service.ts', "import { PetController } from '../controllers/pet.controller.js';", 'void PetController;');
    await prepend(relaxed, 'src/controllers/pet.controller.ts', "import { PetService } from '../services/pet.service.js';", 'void PetService;');
    expect(await lint(relaxed)).toEqual({ code: 0, cycles: [] });
  });
});
