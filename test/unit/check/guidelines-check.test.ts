import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, CheckRow } from '../../../src/check/check-result.js';
import { runCli } from '../../support/cli.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

const cli = (...args: string[]) => runCli(args);

let validate: ReturnType<Ajv2020['compile']>;
beforeAll(async () => {
  validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(await readFile(join(REPO_ROOT, 'schemas', 'check-result.schema.json'), 'utf8')) as object);
});

async function check(project: string): Promise<{ code: number; result: CheckResult; rows: CheckRow[] }> {
  const run = await cli('check', '--project', project, '--json');
  const result = JSON.parse(run.stdout) as CheckResult;
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  expect(result.exitCode).toBe(run.code);
  return { code: run.code, result, rows: result.sections.find((s) => s.name === 'guidelines')?.results ?? [] };
}

const TEAM_GUIDELINES = [
  'fileCase: kebab',
  'layers:',
  '  controllers: { path: src/api/controllers, fileSuffix: .handler, classSuffix: Handler }',
  '  services: { path: src/domain/services }',
  '  repositories: { path: src/infrastructure/repositories, fileSuffix: .repo }',
  '  models: { path: src/domain/models }',
  '',
].join('\n');

/** The petstore (entities inferred) generated under a guidelines file, or under the defaults. */
async function generated(guidelines?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-guidelines-check-'));
  await copyFile(exampleSpec('petstore'), join(dir, 'openapi.yaml'));
  if (guidelines !== undefined) await writeFile(join(dir, 'guidelines.yaml'), guidelines);
  const project = join(dir, 'project');
  const run = await cli('generate', '--spec', join(dir, 'openapi.yaml'), '--out', project, ...(guidelines === undefined ? [] : ['--guidelines', join(dir, 'guidelines.yaml')]));
  expect(run.code, run.stderr).toBe(0);
  return project;
}

describe('the guidelines section of scaffold check', () => {
  it('passes on a project generated with the default conventions, one passing row per rule', async () => {
    const { code, rows } = await check(await generated());
    expect(code).toBe(0);
    expect(rows.map((r) => [r.check, r.status])).toEqual(
      ['layer-folders', 'file-case', 'file-suffixes', 'controllers-no-repositories', 'models-no-framework', 'no-circular-imports', 'operations-have-handlers'].map((c) => [c, 'pass']),
    );
  });

  it('passes on a project generated under a team layout, which lies where the guidelines say', async () => {
    const project = await generated(TEAM_GUIDELINES);
    expect(await readdir(join(project, 'src', 'api', 'controllers'))).toEqual(expect.arrayContaining(['pet.handler.ts', 'pet.handler.gen.ts', 'routes.gen.ts']));
    expect(await readdir(join(project, 'src', 'infrastructure', 'repositories'))).toEqual(expect.arrayContaining(['pet.repo.ts', 'pet.repo.gen.ts']));
    expect(await readFile(join(project, 'src', 'api', 'controllers', 'pet.handler.ts'), 'utf8')).toMatch(/export class PetHandler extends PetHandlerBase/);
    const { code, result } = await check(project);
    expect(code, JSON.stringify(result.sections, null, 2)).toBe(0);
  });

  it('exits 2 naming the file and line of a controller that imports a repository, and of a model that imports fastify', async () => {
    const project = await generated(TEAM_GUIDELINES);
    const controller = join(project, 'src', 'api', 'controllers', 'pet.handler.ts');
    await writeFile(controller, `${await readFile(controller, 'utf8')}\nimport { DrizzlePetRepository } from '../../infrastructure/repositories/pet.repo.js';\nvoid DrizzlePetRepository;\n`);
    const line = (await readFile(controller, 'utf8')).split('\n').findIndex((text) => text.includes('pet.repo.js')) + 1;
    const model = join(project, 'src', 'domain', 'models', 'pet.entity.ts');
    await writeFile(model, `import type { FastifyInstance } from 'fastify';\n${await readFile(model, 'utf8')}\nexport type Server = FastifyInstance;\n`);

    const { code, result, rows } = await check(project);
    expect(code).toBe(2);
    expect(result.status).toBe('fail');
    expect(rows.filter((r) => r.status === 'fail')).toEqual([
      expect.objectContaining({ check: 'controllers-no-repositories', file: 'src/api/controllers/pet.handler.ts', line }),
      expect.objectContaining({ check: 'models-no-framework', file: 'src/domain/models/pet.entity.ts', line: 1 }),
    ]);
    const table = await cli('check', '--project', project);
    expect(table.stdout).toContain(`src/api/controllers/pet.handler.ts:${line}`);
    expect(table.stdout).toContain('Result: guideline violations (exit 2)');
  });

  it('reports an import cycle, a misplaced layer file and a missing layer folder', async () => {
    const project = await generated(TEAM_GUIDELINES);
    const services = join(project, 'src', 'domain', 'services');
    await writeFile(join(services, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    await writeFile(join(services, 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => (Math.random() > 2 ? a() : 0);\n");
    await writeFile(join(project, 'src', 'stray.handler.ts'), 'export class StrayHandler {}\n');
    const { code, rows } = await check(project);
    expect(code).toBe(2);
    const failed = rows.filter((r) => r.status === 'fail');
    expect(failed).toContainEqual(expect.objectContaining({ check: 'no-circular-imports', file: 'src/domain/services/a.ts', line: 1, detail: expect.stringContaining('a.ts -> src/domain/services/b.ts -> src/domain/services/a.ts') }));
    expect(failed).toContainEqual(expect.objectContaining({ check: 'file-suffixes', file: 'src/stray.handler.ts', detail: 'a .handler file outside src/api/controllers' }));
  });
});
