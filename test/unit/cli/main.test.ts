import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleSpec, fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';
import { linkRuntimeModules } from '../../support/runtime-deps.js';
import { runCli } from '../../support/cli.js';

const cli = (...args: string[]) => runCli(args);

const tempDir = () => mkdtemp(join(tmpdir(), 'scaffold-cli-'));

describe('scaffold CLI', () => {
  it('prints its version and help', async () => {
    expect((await cli('--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = await cli('generate', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--spec', '--out', '--name', '--models', '--dry-run', '--force']) expect(help.stdout).toContain(flag);
  });

  it('exits 2 with usage on a wrong command line', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    const missing = await cli('generate', '--out', await tempDir());
    expect(missing.code).toBe(2);
    const listed = /missing options, and no terminal to ask them in.*\n((?:  .*\n)+)Pass them/.exec(missing.stderr)?.[1];
    expect(listed).toMatch(/^  --spec <file> /);
    expect(listed).not.toContain('--out');
    expect((await cli('generate', '--bogus')).code).toBe(2);
  });

  it('infers entities without --models, or generates no database with --persistence none (remembered)', async () => {
    const inferred = join(await tempDir(), 'inferred');
    const first = await cli('generate', '--spec', exampleSpec('petstore'), '--out', inferred);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/operations: 11 CRUD, 0 domain actions, 9 stubs answering 501/);
    expect(existsSync(join(inferred, 'src', 'repositories', 'pet.repository.ts'))).toBe(true);

    const apiOnly = join(await tempDir(), 'api-only');
    expect((await cli('generate', '--spec', exampleSpec('petstore'), '--out', apiOnly, '--persistence', 'none')).code).toBe(0);
    expect(existsSync(join(apiOnly, 'src', 'repositories'))).toBe(false);
    expect(JSON.parse(await readFile(join(apiOnly, '.scaffold', 'config.json'), 'utf8'))).toMatchObject({ persistence: 'none' });
    const again = await cli('generate', '--out', apiOnly);
    expect(again.stdout).toMatch(/operations: 0 CRUD/);

    const wrong = await cli('generate', '--spec', exampleSpec('petstore'), '--out', apiOnly, '--persistence', 'sometimes');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--persistence must be one of infer, none');
  });

  it('exits 1 with located diagnostics for a broken spec and writes nothing', async () => {
    const out = join(await tempDir(), 'project');
    const result = await cli('generate', '--spec', fixtureSpec('broken-syntax.yaml'), '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error SCF002: .*broken-syntax\.yaml:\d+:\d+/);
    expect(result.stderr).toContain('Nothing was written.');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a non-empty directory it did not generate, unless --force', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'precious.txt'), 'mine');
    const refused = await cli('generate', '--spec', exampleSpec('petstore'), '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SCF020');
    expect(existsSync(join(out, 'package.json'))).toBe(false);
    const forced = await cli('generate', '--spec', exampleSpec('petstore'), '--out', out, '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(join(out, 'precious.txt'), 'utf8')).toBe('mine');
  });

  it('writes nothing on --dry-run but lists what it would write', async () => {
    const out = join(await tempDir(), 'project');
    const result = await cli('generate', '--spec', exampleSpec('petstore'), '--out', out, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('src/services/pet.service.gen.ts');
    expect(result.stdout).toContain('--- /dev/null\n+++ b/src/services/pet.service.gen.ts\n@@ -0,0 +1,');
    expect(result.stdout).toMatch(/Summary: \d+ added, 0 updated, 0 merged, 0 left alone .*, 0 conflicts, 0 refused; dry run: nothing was written\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('regenerates inside a project with no flags, from .scaffold/config.json, keeping user files', async () => {
    const out = join(await tempDir(), 'project');
    expect((await cli('generate', '--spec', exampleSpec('petstore'), '--out', out, '--name', 'pets-api')).code).toBe(0);
    const service = join(out, 'src', 'services', 'pet.service.ts');
    await writeFile(service, '// my implementation\n');
    const cwd = process.cwd();
    process.chdir(out);
    try {
      const again = await cli('generate');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Summary: 0 added, 0 updated, 0 merged, \d+ left alone \(yours: user-owned and template files kept\), \d+ unchanged, 0 conflicts, 0 refused; nothing changed, nothing was written\n$/);
    } finally {
      process.chdir(cwd);
    }
    expect(await readFile(service, 'utf8')).toBe('// my implementation\n');
    expect(JSON.parse(await readFile(join(out, 'package.json'), 'utf8')).name).toBe('pets-api');
  });

  it('refuses to regenerate over an edited .gen.ts file, naming it and the file that extends it; --force backs it up', async () => {
    const out = join(await tempDir(), 'project');
    expect((await cli('generate', '--spec', exampleSpec('petstore'), '--out', out)).code).toBe(0);
    const base = join(out, 'src', 'services', 'pet.service.gen.ts');
    const edited = `${await readFile(base, 'utf8')}// a hot fix\n`;
    await writeFile(base, edited);

    const refused = await cli('generate', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error SCF026: src/services/pet.service.gen.ts: edited since scaffold generated it');
    expect(refused.stderr).toContain('hint: move your change into src/services/pet.service.ts, which extends it and is never rewritten');
    expect(refused.stderr).toMatch(/Refused \(1 file, see above\): nothing was written\. It would have added 0, updated 0, merged 0, left \d+ alone .* and \d+ unchanged, with 0 conflicts\.\n$/);
    expect(await readFile(base, 'utf8')).toBe(edited);

    const forced = await cli('generate', '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const backup = /saved 1 edited generator-owned file under (\.scaffold\/backup\/[^/]+)\//.exec(forced.stdout)?.[1];
    expect(backup, forced.stdout).toBeDefined();
    expect(await readFile(join(out, backup!, 'src', 'services', 'pet.service.gen.ts'), 'utf8')).toBe(edited);
    expect(await readFile(base, 'utf8')).not.toContain('// a hot fix');
  });

  it('regenerates after a spec change, merging the new output into the README and package.json you edited', async () => {
    const dir = await tempDir();
    const spec = join(dir, 'openapi.yaml');
    const out = join(dir, 'project');
    await writeFile(spec, await readFile(exampleSpec('petstore'), 'utf8'));
    expect((await cli('generate', '--spec', spec, '--out', out, '--persistence', 'none')).code).toBe(0);
    const readme = join(out, 'README.md');
    const packageJson = join(out, 'package.json');
    await writeFile(readme, `${await readFile(readme, 'utf8')}\n## Our team\n\nAsk in #pets.\n`);
    const pkg = JSON.parse(await readFile(packageJson, 'utf8')) as { scripts: Record<string, string>; description: string };
    await writeFile(packageJson, `${JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, format: 'prettier --write .' } }, null, 2)}\n`);
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('title: Swagger Petstore', 'title: Pet Shop').replace('This is a sample server Petstore server.', 'The pet shop API.'));

    const again = await cli('generate', '--out', out);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Summary: 0 added, \d+ updated, 2 merged, \d+ left alone .*, 0 conflicts, 0 refused\n$/);
    const merged = await readFile(readme, 'utf8');
    expect(merged).toContain('Pet Shop: a TypeScript backend generated by');
    expect(merged.endsWith('\n## Our team\n\nAsk in #pets.\n')).toBe(true);
    const mergedPkg = JSON.parse(await readFile(packageJson, 'utf8')) as typeof pkg;
    expect(mergedPkg.description).toBe('The pet shop API.');
    expect(mergedPkg.scripts).toEqual({ ...pkg.scripts, format: 'prettier --write .' });
  });

  it('rejects an invalid package name', async () => {
    const result = await cli('generate', '--spec', exampleSpec('petstore'), '--out', join(await tempDir(), 'p'), '--name', 'Bad Name!');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SCF022');
  });

  it("regenerates after the spec gains a resource: wires it into app.ts, keeps the user's lines, and the project type-checks", async () => {
    const dir = await tempDir();
    const spec = join(dir, 'openapi.yaml');
    const petstore = await readFile(exampleSpec('petstore'), 'utf8');
    await writeFile(spec, petstore);
    const out = join(dir, 'project');
    expect((await cli('generate', '--spec', spec, '--out', out)).code).toBe(0);

    const servicePath = join(out, 'src', 'services', 'pet.service.ts');
    const service = (await readFile(servicePath, 'utf8')).replace(
      'extends PetServiceBase {}',
      'extends PetServiceBase {\n  describe(name: string): string {\n    return `the pet ${name}`;\n  }\n}',
    );
    await writeFile(servicePath, service);
    const appPath = join(out, 'src', 'app.ts');
    const app = (await readFile(appPath, 'utf8')).replace('  const controllers: Controllers = {', '  // wired by hand, keep\n  const controllers: Controllers = {');
    expect(app).toContain('// wired by hand');
    await writeFile(appPath, app);
    const vets = ["  '/vets':", '    get:', '      tags: [vet]', '      operationId: listVets', '      responses:', "        '200':", '          description: the vets', ''].join('\n');
    await writeFile(spec, petstore.replace(/^paths:\n/m, `paths:\n${vets}`));

    const again = await cli('generate', '--out', out);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('extended: src/app.ts (+ vet registration, + 2 imports)');
    expect(again.stdout).toMatch(/Summary: \d+ added, \d+ updated, 1 extended, /);
    expect(await readFile(servicePath, 'utf8')).toBe(service);
    const added = [
      "import { VetController } from './controllers/vet.controller.js';",
      "import { VetService } from './services/vet.service.js';",
      '    vet: new VetController(new VetService(repositories, unitOfWork)),',
    ];
    const lines = (await readFile(appPath, 'utf8')).split('\n');
    for (const line of added) lines.splice(lines.indexOf(line), 1);
    expect(lines.join('\n')).toBe(app);

    await linkRuntimeModules(out);
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', out])).resolves.toBeDefined();
    const third = await cli('generate', '--out', out);
    expect(third.stdout).toMatch(/nothing changed, nothing was written\n$/);
  }, 600_000);
});
