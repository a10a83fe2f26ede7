import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleModels, exampleSpec, REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';

/**
 * The guidelines test: a kebab-case / suffix / layout convention set (controllers under
 * src/api/controllers as `.handler.ts` files with `Handler` classes, services and models under
 * src/domain, repositories under src/infrastructure) yields a project that builds, passes its own
 * tests and its own `scaffold check`.
 */
const GUIDELINES = [
  'fileCase: kebab',
  'layers:',
  '  controllers: { path: src/api/controllers, fileSuffix: .handler, classSuffix: Handler }',
  '  services: { path: src/domain/services, fileSuffix: .service, classSuffix: UseCases }',
  '  repositories: { path: src/infrastructure/repositories, fileSuffix: .repo, classSuffix: Store }',
  '  models: { path: src/domain/models }',
  'apiPrefix: /api/v2',
  '',
].join('\n');

const scaffold = (args: string[], cwd: string) => runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd });

describe('a project generated under team guidelines', () => {
  let project: string;

  beforeAll(async () => {
    const dir = resolve(REPO_ROOT, 'test', '.cache', 'e2e-guidelines');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'guidelines.yaml'), GUIDELINES);
    project = join(dir, 'ecommerce');
    const generated = await scaffold(
      ['generate', '--spec', exampleSpec('ecommerce'), '--models', exampleModels('ecommerce') as string, '--guidelines', join(dir, 'guidelines.yaml'), '--out', project],
      REPO_ROOT,
    );
    expect(generated.code, generated.output).toBe(0);
    await linkRuntimeModules(project);
  });

  it('lies where the guidelines say, named as they say', async () => {
    for (const path of ['src/api/controllers/orders.handler.ts', 'src/domain/services/orders.service.gen.ts', 'src/infrastructure/repositories/order.repo.ts', 'src/domain/models/order.entity.ts']) {
      expect(existsSync(join(project, path)), path).toBe(true);
    }
    for (const folder of ['src/controllers', 'src/services', 'src/repositories', 'src/models']) expect(existsSync(join(project, folder)), folder).toBe(false);
    expect(await readFile(join(project, 'src/api/controllers/orders.handler.ts'), 'utf8')).toContain('export class OrdersHandler extends OrdersHandlerBase');
    expect(await readFile(join(project, 'src/domain/services/orders.service.ts'), 'utf8')).toContain('export class OrdersUseCases extends OrdersUseCasesBase');
    expect(await readFile(join(project, 'src/infrastructure/repositories/order.repo.ts'), 'utf8')).toContain('DrizzleOrderStore');
  });

  it('type-checks, builds and passes its own tests', async () => {
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: project });
    expect(typecheck.code, typecheck.output).toBe(0);
    const build = await runCommand('npm', ['run', 'build'], { cwd: project });
    expect(build.code, build.output).toBe(0);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project });
    expect(tests.code, tests.output).toBe(0);
  });

  it('passes its own lint, whose layer rules follow the moved folders', async () => {
    const lint = await runCommand('npm', ['run', 'lint'], { cwd: project });
    expect(lint.code, lint.output).toBe(0);
    const config = await readFile(join(project, 'eslint.config.js'), 'utf8');
    expect(config).toContain("files: ['src/api/controllers/**/*.ts']");
    expect(config).toContain("'guidelines/no-circular-imports': 'error'");
  });

  it('passes its own scaffold check (exit 0)', async () => {
    const check = await scaffold(['check'], project);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/guidelines: pass \(0 failing of 7 rows\)/);
  });

  it('fails its lint and its check (exit 2) when a controller imports a repository', async () => {
    const controller = join(project, 'src/api/controllers/orders.handler.ts');
    const original = await readFile(controller, 'utf8');
    await writeFile(controller, `import { DrizzleOrderStore } from '../../infrastructure/repositories/order.repo.js';\nvoid DrizzleOrderStore;\n${original}`);
    try {
      const lint = await runCommand('npm', ['run', 'lint'], { cwd: project });
      expect(lint.code).not.toBe(0);
      expect(lint.output).toMatch(/orders\.handler\.ts\s+1:1\s+error .*Controllers go through services/);
      const check = await scaffold(['check'], project);
      expect(check.code, check.output).toBe(2);
      expect(check.output).toMatch(/controllers-no-repositories +fail +src\/api\/controllers\/orders\.handler\.ts:1 /);
    } finally {
      await writeFile(controller, original);
    }
  });

  it('fails its lint and its check (exit 2) naming the cycle when a service and a controller import each other', async () => {
    const service = join(project, 'src/domain/services/orders.service.ts');
    const controller = join(project, 'src/api/controllers/orders.handler.ts');
    const originals = { service: await readFile(service, 'utf8'), controller: await readFile(controller, 'utf8') };
    await writeFile(service, `import { OrdersHandler } from '../../api/controllers/orders.handler.js';\nvoid OrdersHandler;\n${originals.service}`);
    await writeFile(controller, `import { OrdersUseCases } from '../../domain/services/orders.service.js';\nvoid OrdersUseCases;\n${originals.controller}`);
    try {
      const cycle = 'src/api/controllers/orders.handler.ts -> src/domain/services/orders.service.ts -> src/api/controllers/orders.handler.ts';
      const lint = await runCommand('npm', ['run', 'lint'], { cwd: project });
      expect(lint.code).not.toBe(0);
      expect(lint.output).toContain(`orders.handler.ts\n  1:1  error  Import cycle: ${cycle}  guidelines/no-circular-imports`);
      expect(lint.output).toContain(
        'orders.service.ts\n  1:1  error  Import cycle: src/domain/services/orders.service.ts -> src/api/controllers/orders.handler.ts -> src/domain/services/orders.service.ts  ',
      );
      const check = await scaffold(['check'], project);
      expect(check.code, check.output).toBe(2);
      expect(check.output).toMatch(/no-circular-imports +fail +src\/api\/controllers\/orders\.handler\.ts:1 /);
      expect(check.output).toContain(`import cycle: ${cycle}`);
    } finally {
      await writeFile(service, originals.service);
      await writeFile(controller, originals.controller);
    }
  });
});
