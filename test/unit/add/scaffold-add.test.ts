// Imported first: it replaces inquirer's prompts with ones driven by `screen` (a virtual terminal).
import { screen } from '@inquirer/testing/vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { applyPatch, diffLines } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../../src/cli/main.js';
import type { Terminal } from '../../../src/cli/prompts/terminal.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';
import { linkRuntimeModules } from '../../support/runtime-deps.js';

const NO_TERMINAL: Terminal = { interactive: false, tty: false, color: false };
const TERMINAL: Terminal = { interactive: true, tty: false, color: false };

function run(cwd: string, args: string[], terminal = NO_TERMINAL): { done: Promise<number>; output: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  err.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const previous = process.cwd();
  process.chdir(cwd);
  const done = main(args, out, err, terminal).finally(() => process.chdir(previous));
  return { done, output: () => output };
}

async function succeeds(cwd: string, args: string[]): Promise<string> {
  const session = run(cwd, args);
  expect(await session.done, session.output()).toBe(0);
  return session.output();
}

/** A fresh copy of the e-commerce design, generated into `<tmp>/api`. */
async function generatedEcommerce(): Promise<{ root: string; api: string }> {
  const root = await mkdtemp(join(tmpdir(), 'scaffold-add-'));
  await cp(join(REPO_ROOT, 'examples', 'ecommerce'), join(root, 'design'), { recursive: true });
  await succeeds(root, ['generate', '--spec', 'design/openapi.yaml', '--models', 'design/domain.yaml', '--out', 'api']);
  return { root, api: join(root, 'api') };
}

/** The lines of `after` that are not in `before`, and whether removing them gives `before` back byte for byte. */
function insertedLines(before: string, after: string): { inserted: string[]; restOfFileUnchanged: boolean } {
  const a = before.split('\n');
  const b = after.split('\n');
  const inserted: string[] = [];
  let i = 0;
  for (const line of b) {
    if (i < a.length && line === a[i]) i++;
    else inserted.push(line);
  }
  return { inserted, restOfFileUnchanged: i === a.length || (i === a.length - 1 && a[i] === '') };
}

/** Every file under `dir` and its text (node_modules left out): what "nothing was written" is checked against. */
async function tree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && !e.parentPath.includes('node_modules')).map((e) => join(e.parentPath, e.name));
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));
}

/**
 * JSON has no comments to keep, but its other bytes are kept all the same: from `before` to `after`,
 * lines are only added, and a line is only changed by the comma that a new member after it needs.
 */
function expectJsonAdditionsOnly(before: string, after: string): void {
  const parts = diffLines(before, after);
  const lines = (kind: 'added' | 'removed') => parts.filter((part) => part[kind]).flatMap((part) => part.value.split('\n').filter((line) => line !== ''));
  expect(lines('added').length).toBeGreaterThan(0);
  expect(lines('added')).toEqual(expect.arrayContaining(lines('removed').map((line) => `${line},`)));
  expect(() => JSON.parse(after)).not.toThrow();
}

describe('scaffold add resource', () => {
  let project: { root: string; api: string };
  let specBefore: string;
  let modelBefore: string;
  let output: string;
  beforeAll(async () => {
    project = await generatedEcommerce();
    specBefore = await readFile(join(project.root, 'design', 'openapi.yaml'), 'utf8');
    modelBefore = await readFile(join(project.root, 'design', 'domain.yaml'), 'utf8');
    output = await succeeds(project.api, ['add', 'resource', '--name', 'reviews', '--fields', 'rating:integer,comment:text?']);
  }, 120_000);

  it('says which conventions of the spec it followed', () => {
    expect(output).toContain("following the spec's envelopes: ReviewEnvelope and ReviewListEnvelope, shaped like ProductEnvelope and ProductListEnvelope");
    expect(output).toMatch(/following the spec's error responses: 400, 401, 403, 404, 409, 429 as the existing operations declare them/);
  });

  it('adds CRUD paths and envelope schemas to the spec, keeping every other byte and comment', async () => {
    const spec = await readFile(join(project.root, 'design', 'openapi.yaml'), 'utf8');
    const { inserted, restOfFileUnchanged } = insertedLines(specBefore, spec);
    expect(restOfFileUnchanged).toBe(true);
    expect(spec).toContain('# ---------- envelopes ----------');
    const added = inserted.join('\n');
    for (const operationId of ['listReviews', 'createReview', 'getReview', 'updateReview', 'deleteReview']) expect(added).toContain(`operationId: ${operationId}`);
    // The house style of the example: envelopes, shared responses, flow tags, single quotes.
    expect(added).toMatch(/ReviewEnvelope:\n\s+allOf:\n\s+- \$ref: '#\/components\/schemas\/SuccessEnvelope'/);
    expect(added).toContain("$ref: '#/components/schemas/ReviewListEnvelope'");
    expect(added).toContain("$ref: '#/components/responses/NotFound'");
    expect(added).toContain('tags: [Reviews]');
  });

  it('adds the entity (and its mapping) to the domain model in the file\'s own style', async () => {
    const model = await readFile(join(project.root, 'design', 'domain.yaml'), 'utf8');
    const { inserted, restOfFileUnchanged } = insertedLines(modelBefore, model);
    expect(restOfFileUnchanged).toBe(true);
    expect(inserted.filter((line) => line.trim() !== '')).toEqual(['  Review:', '    fields:', '      rating: { type: integer }', '      comment: { type: text, required: false }', '  Reviews: Review']);
  });

  it('regenerates: the resource gets its files and its registration, and the project type-checks', async () => {
    for (const file of ['src/controllers/reviews.controller.ts', 'src/services/reviews.service.ts', 'src/models/review.entity.ts', 'src/repositories/review.repository.ts']) {
      expect(existsSync(join(project.api, file)), file).toBe(true);
    }
    expect(await readFile(join(project.api, 'src', 'app.ts'), 'utf8')).toContain('reviews: new ReviewsController(new ReviewsService(repositories, unitOfWork)),');
    expect(await readFile(join(project.api, '.scaffold', 'report.md'), 'utf8')).toMatch(/createReview .*CRUD: create Review/);
    await linkRuntimeModules(project.api);
    await promisify(execFile)('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: project.api });
  }, 240_000);

  it('refuses a resource that exists, and leaves the design as it was', async () => {
    const spec = await readFile(join(project.root, 'design', 'openapi.yaml'), 'utf8');
    const session = run(project.api, ['add', 'resource', '--name', 'products', '--fields', 'name']);
    expect(await session.done).toBe(1);
    expect(session.output()).toMatch(/error SCF080: .*already has the path \/products/);
    expect(await readFile(join(project.root, 'design', 'openapi.yaml'), 'utf8')).toBe(spec);
  }, 60_000);
});

describe('scaffold add, the other generators', () => {
  let project: { root: string; api: string };
  beforeAll(async () => {
    project = await generatedEcommerce();
  }, 120_000);

  it('--dry-run prints the edit of the design and what the regeneration would change, and writes nothing', async () => {
    const before = await tree(project.root);
    const output = await succeeds(project.api, ['add', 'resource', '--name', 'reviews', '--fields', 'rating:integer', '--dry-run']);
    expect(await tree(project.root)).toEqual(before);
    expect(output).toContain('Would edit the design (../design/openapi.yaml, ../design/domain.yaml):');
    expect(output).toMatch(/^\+ {2}\/reviews:$/m);
    expect(output).toMatch(/^\+ {2}Review:$/m);
    expect(output).toMatch(/^ {2}create +src\/controllers\/reviews\.controller\.ts \(user\)$/m);
    expect(output).toMatch(/^\+\+\+ b\/src\/controllers\/reviews\.controller\.gen\.ts$/m);
    expect(output).toMatch(/^Summary: .*; dry run: nothing was written$/m);

    const refused = run(project.api, ['add', 'middleware', '--name', 'audit-log', '--dry-run']);
    expect(await refused.done).toBe(2);
    expect(refused.output()).toContain('--dry-run previews the generators that only edit the design');
    expect(refused.output()).toContain('Run `scaffold add --help`');
    expect(refused.output()).not.toContain('Usage: scaffold <command>');
    expect(await tree(project.root)).toEqual(before);
  }, 60_000);

  it('entity: adds the entity to the domain model keeping every other byte, as its dry run showed, and the project gets it', async () => {
    const modelFile = join(project.root, 'design', 'domain.yaml');
    const modelBefore = await readFile(modelFile, 'utf8');
    const preview = await succeeds(project.api, ['add', 'entity', '--name', 'Coupon', '--fields', 'code:string,percent:integer?', '--dry-run']);
    expect(await readFile(modelFile, 'utf8')).toBe(modelBefore);
    await succeeds(project.api, ['add', 'entity', '--name', 'Coupon', '--fields', 'code:string,percent:integer?']);

    const model = await readFile(modelFile, 'utf8');
    const { inserted, restOfFileUnchanged } = insertedLines(modelBefore, model);
    expect(restOfFileUnchanged).toBe(true);
    expect(inserted.filter((line) => line.trim() !== '')).toEqual(['  Coupon:', '    fields:', '      code: { type: string }', '      percent: { type: integer, required: false }']);
    const previewedPatch = /^--- a\/\.\.\/design\/domain\.yaml\n[\s\S]*?(?=\n\nWould regenerate)/m.exec(preview);
    expect(previewedPatch, preview).not.toBeNull();
    expect(applyPatch(modelBefore, previewedPatch![0])).toBe(model);

    for (const file of ['src/models/coupon.entity.ts', 'src/repositories/coupon.repository.ts', 'src/repositories/coupon.repository.gen.ts']) {
      expect(existsSync(join(project.api, file)), file).toBe(true);
    }
    expect(await readFile(join(project.api, 'src', 'repositories', 'schema.gen.ts'), 'utf8')).toMatch(/pgTable\(\s*'coupons'/);
    const migrations = (await readdir(join(project.api, 'migrations'))).filter((name) => name.endsWith('.sql')).sort();
    expect(await readFile(join(project.api, 'migrations', migrations.at(-1)!), 'utf8')).toContain('CREATE TABLE "coupons"');
  }, 60_000);

  it('endpoint: adds one operation to an existing resource and regenerates it as a stub', async () => {
    await succeeds(project.api, ['add', 'endpoint', '--resource', 'products', '--method', 'get', '--path', '/products/{id}/summary']);
    const spec = await readFile(join(project.root, 'design', 'openapi.yaml'), 'utf8');
    expect(spec).toMatch(/ {2}\/products\/\{id\}\/summary:\n {4}get:\n {6}operationId: getProductSummary\n {6}tags: \[Products\]/);
    expect(await readFile(join(project.api, 'src', 'controllers', 'routes.gen.ts'), 'utf8')).toContain('getProductSummary');
  }, 60_000);

  it('endpoint: an unknown resource is refused with the ones there are', async () => {
    const session = run(project.api, ['add', 'endpoint', '--resource', 'widgets', '--method', 'get', '--path', '/widgets/x']);
    expect(await session.done).toBe(2);
    expect(session.output()).toMatch(/--resource widgets: must be one of .*products/);
  });

  it('middleware: writes the file and wires it next to the other registrations, app.ts otherwise unchanged', async () => {
    const appBefore = await readFile(join(project.api, 'src', 'app.ts'), 'utf8');
    await succeeds(project.api, ['add', 'middleware', '--name', 'audit-log']);
    const app = await readFile(join(project.api, 'src', 'app.ts'), 'utf8');
    const { inserted, restOfFileUnchanged } = insertedLines(appBefore, app);
    expect(restOfFileUnchanged).toBe(true);
    expect(inserted).toEqual(["import { registerAuditLog } from './middlewares/audit-log.js';", '  await registerAuditLog(app);']);
    expect(app).toMatch(/await registerBodyParsers\(app, config\.bodyLimitBytes\);\n {2}await registerAuditLog\(app\);/);
    expect(await readFile(join(project.api, 'src', 'middlewares', 'audit-log.ts'), 'utf8')).toContain('export async function registerAuditLog(app: FastifyInstance): Promise<void>');
  }, 60_000);

  it('error: writes the class and maps it to its status in the one status table', async () => {
    await succeeds(project.api, ['add', 'error', '--name', 'PaymentDeclined', '--status', '422']);
    expect(await readFile(join(project.api, 'src', 'errors', 'payment-declined.error.ts'), 'utf8')).toMatch(/export class PaymentDeclinedError extends AppError \{\n {2}readonly code = 'PAYMENT_DECLINED';/);
    const table = await readFile(join(project.api, 'src', 'errors', 'error-status.ts'), 'utf8');
    expect(table).toMatch(/\[UnprocessableEntityError, 422\],\n {2}\[PaymentDeclinedError, 422\],\n {2}\[RateLimitError, 429\]/);
    expect(table).toContain("import { PaymentDeclinedError } from './payment-declined.error.js';");
    expect(await readFile(join(project.api, 'src', 'errors', 'index.ts'), 'utf8')).toContain("export * from './payment-declined.error.js';");
  }, 60_000);

  it('without a terminal, missing flags fail at once (exit 2) naming them', async () => {
    const session = run(project.api, ['add', 'resource', '--name', 'tags']);
    expect(await session.done).toBe(2);
    expect(session.output()).toContain('--fields <value>');
    expect(session.output()).not.toContain('--name <value>');
    const unnamed = run(project.api, ['add']);
    expect(await unnamed.done).toBe(2);
    expect(unnamed.output()).toMatch(/Generators:\n {2}resource/);
  });

  it('a project plopfile (.mjs) adds its generators to the list and runs with scaffold\'s prompts', async () => {
    await writeFile(
      join(project.api, 'plopfile.mjs'),
      `export default function (plop) {
  plop.setGenerator('job', {
    description: 'a background job',
    prompts: [{ type: 'input', name: 'jobName', message: 'Job name' }],
    actions: [{ type: 'add', path: 'src/jobs/{{kebabCase jobName}}.ts', template: 'export const {{camelCase jobName}} = async (): Promise<void> => {};\\n' }],
  });
}
`,
    );
    expect(await succeeds(project.api, ['add', '--help'])).toMatch(/ {2}job\s+a background job \(plopfile\.mjs\)/);
    await succeeds(project.api, ['add', 'job', '--job-name', 'nightly report']);
    expect(await readFile(join(project.api, 'src', 'jobs', 'nightly-report.ts'), 'utf8')).toBe('export const nightlyReport = async (): Promise<void> => {};\n');
  }, 60_000);

  it('a project plopfile in TypeScript is loaded through tsx', async () => {
    await rm(join(project.api, 'plopfile.mjs'), { force: true });
    await writeFile(
      join(project.api, 'plopfile.ts'),
      `interface Plop { setGenerator(name: string, config: object): void }
export default function (plop: Plop): void {
  const description: string = 'a typed generator';
  plop.setGenerator('typed', { description, prompts: [{ type: 'confirm', name: 'loud', message: 'Loud?' }], actions: [{ type: 'add', path: 'typed.txt', template: 'loud={{loud}}' }] });
}
`,
    );
    await succeeds(project.api, ['add', 'typed', '--loud']);
    expect(await readFile(join(project.api, 'typed.txt'), 'utf8')).toBe('loud=true');
    await rm(join(project.api, 'plopfile.ts'));

    // Another project (a module is imported once per process): one whose plopfile throws.
    const other = join(project.root, 'other');
    await mkdir(join(other, '.scaffold'), { recursive: true });
    await cp(join(project.api, '.scaffold', 'config.json'), join(other, '.scaffold', 'config.json'));
    await cp(join(project.api, 'package.json'), join(other, 'package.json'));
    await writeFile(join(other, 'plopfile.ts'), 'export default function (plop: { nope(): void }): void { plop.nope(); }\n');
    const broken = run(other, ['add', '--help']);
    expect(await broken.done).toBe(1);
    expect(broken.output()).toMatch(/error SCF081: .*plopfile\.ts could not be loaded: plop\.nope is not a function/);
  }, 60_000);

  it('on a terminal, asks the generator and its questions (driven by @inquirer/testing)', async () => {
    const session = run(project.api, ['add'], TERMINAL);
    await waitFor('What do you want to add?');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter');
    await waitFor('Middleware name');
    screen.type('1bad');
    screen.keypress('enter');
    await waitFor('letters, digits, - and _, starting with a letter');
    screen.keypress({ name: 'u', ctrl: true });
    screen.type('rate-guard');
    screen.keypress('enter');
    expect(await session.done, session.output()).toBe(0);
    expect(await readFile(join(project.api, 'src', 'app.ts'), 'utf8')).toContain('await registerRateGuard(app);');
  }, 60_000);
});

async function waitFor(text: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = screen.getScreen();
    if (shown.includes(text)) return shown;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; the screen shows:\n${shown}`);
    await Promise.race([screen.next(), new Promise((resolve) => setTimeout(resolve, 50))]);
  }
}

describe('scaffold add on a JSON spec', () => {
  it('adds a resource and an endpoint keeping the JSON valid and its other bytes, and regenerates from it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'scaffold-add-json-'));
    const specFile = join(root, 'openapi.json');
    const original = `${JSON.stringify(parse(await readFile(exampleSpec('petstore'), 'utf8')), null, 2)}\n`;
    await writeFile(specFile, original);
    await succeeds(root, ['generate', '--spec', 'openapi.json', '--out', 'api', '--persistence', 'none']);
    const api = join(root, 'api');

    await succeeds(api, ['add', 'resource', '--name', 'reviews', '--fields', 'rating:integer,comment:text?']);
    const withResource = await readFile(specFile, 'utf8');
    expectJsonAdditionsOnly(original, withResource);
    await succeeds(api, ['add', 'endpoint', '--resource', 'pet', '--method', 'get', '--path', '/pet/{petId}/summary']);
    const spec = await readFile(specFile, 'utf8');
    expectJsonAdditionsOnly(withResource, spec);

    const paths = Object.keys((JSON.parse(spec) as { paths: object }).paths);
    expect(paths.slice(0, Object.keys((JSON.parse(original) as { paths: object }).paths).length)).toEqual(Object.keys((JSON.parse(original) as { paths: object }).paths));
    expect(paths).toEqual(expect.arrayContaining(['/reviews', '/reviews/{id}', '/pet/{petId}/summary']));
    const routes = await readFile(join(api, 'src', 'controllers', 'routes.gen.ts'), 'utf8');
    for (const operationId of ['listReviews', 'createReview', 'getPetSummary']) expect(routes).toContain(operationId);
  }, 120_000);
});
