import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../../src/emit/emit-files.js';
import { extendUserFiles } from '../../../src/write/extend/extend-user-files.js';
import { hashContent, MANIFEST_PATH } from '../../../src/write/manifest.js';

/** A project on disk as the last run left it, then edited by the user. */
async function projectOnDisk(files: Record<string, string>, lastGenerated: EmittedFile[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-extend-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const manifest = { schemaVersion: 1, toolVersion: '0.0.0', files: lastGenerated.map((f) => ({ id: f.id, path: f.path, owner: f.owner, hash: hashContent(f.content) })) };
  await mkdir(join(dir, '.scaffold'), { recursive: true });
  await writeFile(join(dir, MANIFEST_PATH), JSON.stringify(manifest));
  return dir;
}

const user = (path: string, content: string): EmittedFile => ({ id: path, path, owner: 'user', content });
const generator = (path: string, content: string): EmittedFile => ({ id: path, path, owner: 'generator', content });

/** The composition root as the generator writes it, for the given resources. */
function appTs(resources: string[]): string {
  const pascal = (r: string) => r[0]?.toUpperCase() + r.slice(1);
  return [
    "import Fastify from 'fastify';",
    "import { routes, type Controllers } from './controllers/routes.gen.js';",
    ...resources.map((r) => `import { ${pascal(r)}Controller } from './controllers/${r}.controller.js';`),
    "import { createRepositories } from './repositories/repositories.gen.js';",
    ...resources.map((r) => `import { ${pascal(r)}Service } from './services/${r}.service.js';`),
    '',
    'export function buildApp() {',
    '  const app = Fastify();',
    '  const repositories = createRepositories();',
    '  const controllers: Controllers = {',
    ...resources.map((r) => `    ${r}: new ${pascal(r)}Controller(new ${pascal(r)}Service(repositories)),`),
    '  };',
    '  register(app, routes, controllers);',
    '  return app;',
    '}',
    '',
  ].join('\n');
}

/** Removes the lines `added` from `text`, once each: what is left is what the text was before they were inserted. */
function withoutLines(text: string, added: string[]): string {
  const lines = text.split('\n');
  for (const line of added) lines.splice(lines.indexOf(line), 1);
  return lines.join('\n');
}

describe('extending the composition root', () => {
  it("wires a new resource into app.ts with its imports and keeps the user's edits byte for byte", async () => {
    const v1 = appTs(['pet', 'store']);
    const edited = v1
      .replace('  const app = Fastify();', '  const app = Fastify({ logger: true }); // mine')
      .replace('    store: new StoreController(new StoreService(repositories)),', '    store: new StoreController(new CachedStoreService(repositories)),')
      .concat('\n// helper the user added\nexport const answer = 42;\n');
    const dir = await projectOnDisk({ 'src/app.ts': edited }, [user('src/app.ts', v1)]);

    const { extended, diagnostics } = await extendUserFiles([user('src/app.ts', appTs(['pet', 'store', 'order']))], dir);

    const app = extended.get('src/app.ts');
    const added = [
      "import { OrderController } from './controllers/order.controller.js';",
      "import { OrderService } from './services/order.service.js';",
      '    order: new OrderController(new OrderService(repositories)),',
    ];
    for (const line of added) expect(app?.content.split('\n')).toContain(line);
    expect(withoutLines(app?.content ?? '', added)).toBe(edited);
    // the new imports sit beside the generated imports of the same kind
    expect(app?.content).toContain("from './controllers/store.controller.js';\nimport { OrderController }");
    expect(app?.additions).toEqual(['+ order registration', '+ 2 imports']);
    expect(diagnostics).toEqual([]);
  });

  it('merges a named import into the import of the same module, and adds nothing the user already registered differently', async () => {
    const v1 = "import { a } from './m.js';\n\nconst controllers = {\n  first: a(),\n};\n";
    const edited = "import { a } from './m.js';\n\nconst controllers = {\n  first: myOwn(),\n};\n";
    const v2 = "import { a, b } from './m.js';\n\nconst controllers = {\n  first: a(),\n  second: b(),\n};\n";
    const dir = await projectOnDisk({ 'src/app.ts': edited }, [user('src/app.ts', v1)]);
    const { extended } = await extendUserFiles([user('src/app.ts', v2)], dir);
    expect(extended.get('src/app.ts')?.content).toBe("import { a, b } from './m.js';\n\nconst controllers = {\n  first: myOwn(),\n  second: b(),\n};\n");
  });

  it('reports the registration of a resource that left the spec, at its line, and keeps it', async () => {
    const edited = appTs(['pet', 'store']);
    const dir = await projectOnDisk({ 'src/app.ts': edited }, [user('src/app.ts', edited)]);
    const { extended, diagnostics } = await extendUserFiles([user('src/app.ts', appTs(['pet']))], dir);
    expect(extended.size).toBe(0);
    const line = edited.split('\n').findIndex((l) => l.startsWith('    store:')) + 1;
    expect(diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['SCF046', 'src/app.ts', line],
      ['SCF048', undefined, undefined],
    ]);
    expect(diagnostics[0]?.message).toContain('"store" in controllers is no longer generated');
  });
});

describe('extending a service subclass', () => {
  const base = (methods: string[]) =>
    [
      'export abstract class PetServiceBase {',
      ...methods.map((m) => `  /**\n   * Does ${m}\n   *\n   * GET /pets/${m} (operationId: ${m})\n   */\n  async ${m}(input: string): Promise<string> {\n    return input;\n  }\n`),
      '}',
      '',
    ].join('\n');
  const generatedSubclass = "import { PetServiceBase } from './pet.service.gen.js';\n\nexport class PetService extends PetServiceBase {}\n";
  const mine = [
    "import { PetServiceBase } from './pet.service.gen.js';",
    '',
    'export class PetService extends PetServiceBase {',
    '  /** Soft delete. */',
    '  override async deletePet(input: string): Promise<string> {',
    '    return this.audit(input);',
    '  }',
    '',
    '  override async listPets(input: string): Promise<string> {',
    '    return input.trim();',
    '  }',
    '',
    '  audit(input: string): string {',
    '    return input;',
    '  }',
    '}',
    '',
  ].join('\n');

  it('marks an override of an operation that left the spec @deprecated, once, and keeps every method', async () => {
    const dir = await projectOnDisk({ 'src/services/pet.service.ts': mine, 'src/services/pet.service.gen.ts': base(['listPets', 'deletePet', 'getPet']) });
    const next = [user('src/services/pet.service.ts', generatedSubclass), generator('src/services/pet.service.gen.ts', base(['listPets', 'getPet']))];

    const first = await extendUserFiles(next, dir);

    const content = first.extended.get('src/services/pet.service.ts')?.content ?? '';
    const tag = '   * @deprecated The operation deletePet (GET /pets/deletePet) left the spec: this method is no longer called. Move what you still need, then delete it.';
    expect(content).toBe(mine.replace('  /** Soft delete. */', `  /**\n   * Soft delete.\n${tag}\n   */`));
    expect(first.extended.get('src/services/pet.service.ts')?.additions).toEqual(['@deprecated deletePet']);
    expect(first.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['SCF045', 8],
      ['SCF048', undefined],
    ]);

    // The next run finds the tag (even with the old base still on disk, as after a --dry-run).
    await writeFile(join(dir, 'src/services/pet.service.ts'), content);
    const again = await extendUserFiles(next, dir);
    expect(again.extended.size).toBe(0);
    expect(again.diagnostics.map((d) => d.code)).not.toContain('SCF045');
  });

  it('gives an override without a doc comment one that says why', async () => {
    const dir = await projectOnDisk({ 'src/services/pet.service.ts': mine, 'src/services/pet.service.gen.ts': base(['listPets', 'deletePet']) });
    const { extended } = await extendUserFiles([user('src/services/pet.service.ts', generatedSubclass), generator('src/services/pet.service.gen.ts', base(['deletePet']))], dir);
    expect(extended.get('src/services/pet.service.ts')?.content).toContain(
      '  /**\n   * @deprecated The operation listPets (GET /pets/listPets) left the spec: this method is no longer called. Move what you still need, then delete it.\n   */\n  override async listPets(',
    );
  });

  it('does nothing, and parses nothing, when neither the generated file nor its base changed', async () => {
    const dir = await projectOnDisk({ 'src/services/pet.service.ts': 'this is not even TypeScript {', 'src/services/pet.service.gen.ts': base(['listPets']) }, [user('src/services/pet.service.ts', generatedSubclass)]);
    const result = await extendUserFiles([user('src/services/pet.service.ts', generatedSubclass), generator('src/services/pet.service.gen.ts', base(['listPets']))], dir);
    expect(result).toEqual({ extended: new Map(), diagnostics: [] });
  });

  it('adds a class and a member the new version has, and leaves a file with syntax errors alone (SCF049)', async () => {
    const v1 = 'export class Pet {\n  name = "";\n}\n';
    const v2 = 'export class Pet {\n  name = "";\n\n  /** The tag. */\n  tag?: string;\n}\n\nexport class Toy {}\n';
    const dir = await projectOnDisk({ 'src/models/pet.ts': 'export class Pet {\n  name = "mine";\n  age = 3;\n}\n', 'src/models/broken.ts': 'export class {' }, [user('src/models/pet.ts', v1), user('src/models/broken.ts', v1)]);
    const { extended, diagnostics } = await extendUserFiles([user('src/models/pet.ts', v2), user('src/models/broken.ts', v2)], dir);
    expect(extended.get('src/models/pet.ts')?.content).toBe('export class Pet {\n  name = "mine";\n  age = 3;\n\n  /** The tag. */\n  tag?: string;\n}\n\nexport class Toy {}\n');
    expect(extended.get('src/models/pet.ts')?.additions).toEqual(['+ Pet.tag', '+ Toy']);
    expect(extended.has('src/models/broken.ts')).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['SCF049', 'src/models/broken.ts']]);
  });
});

/** configureApp of the composition root as the generator writes it, with or without idempotency keys. */
function configureApp(idempotency: boolean): string {
  return [
    "import type { FastifyInstance } from 'fastify';",
    "import type { Config } from './config/env.js';",
    "import { registerOperationRoutes } from './controllers/register-routes.js';",
    "import { routes, type Controllers } from './controllers/routes.gen.js';",
    "import { registerCrossCuttingConcerns } from './middlewares/cross-cutting.js';",
    ...(idempotency ? ["import { databaseIdempotencyStore, redisIdempotencyStore, registerIdempotencyKeys } from './middlewares/idempotency.js';"] : []),
    "import type { DatabaseConnection } from './repositories/database.js';",
    "import { createRepositories } from './repositories/repositories.gen.js';",
    '',
    'async function configureApp(app: FastifyInstance, config: Config, database: DatabaseConnection): Promise<void> {',
    '  const crossCutting = await registerCrossCuttingConcerns(app, config);',
    '  const repositories = createRepositories(database.db);',
    ...(idempotency
      ? [
          '  registerIdempotencyKeys(app, crossCutting.redis ? redisIdempotencyStore(crossCutting.redis) : databaseIdempotencyStore(database.db), {',
          '    ttlSeconds: config.idempotencyTtlSeconds,',
          '    // A claimed key whose request never answers (a crash) is free again once the request would have timed out.',
          '    pendingSeconds: Math.ceil((config.requestTimeoutMs || 300_000) / 1000) + 30,',
          '  });',
        ]
      : []),
    '  const controllers: Controllers = {',
    '    pets: repositories.pets,',
    '  };',
    '  registerOperationRoutes(app, routes, controllers);',
    '}',
    '',
  ].join('\n');
}

describe('extending the composition root with a registration call', () => {
  const call = [
    '  registerIdempotencyKeys(app, crossCutting.redis ? redisIdempotencyStore(crossCutting.redis) : databaseIdempotencyStore(database.db), {',
    '    ttlSeconds: config.idempotencyTtlSeconds,',
    '    // A claimed key whose request never answers (a crash) is free again once the request would have timed out.',
    '    pendingSeconds: Math.ceil((config.requestTimeoutMs || 300_000) / 1000) + 30,',
    '  });',
  ];

  it('adds registerIdempotencyKeys when the spec gains an Idempotency-Key header: before the routes, above the comments leading them, with its import', async () => {
    const v1 = configureApp(false);
    const edited = v1
      .replace('  const controllers: Controllers = {', "  app.addHook('onRequest', async () => {}); // mine\n\n  // the registrations\n  const controllers: Controllers = {");
    const dir = await projectOnDisk({ 'src/app.ts': edited }, [user('src/app.ts', v1)]);

    const { extended, diagnostics } = await extendUserFiles([user('src/app.ts', configureApp(true))], dir);

    const app = extended.get('src/app.ts')?.content ?? '';
    const importLine = "import { databaseIdempotencyStore, redisIdempotencyStore, registerIdempotencyKeys } from './middlewares/idempotency.js';";
    expect(app).toContain(`// mine\n\n${call.join('\n')}\n  // the registrations\n  const controllers`);
    expect(app).toContain(`from './middlewares/cross-cutting.js';\n${importLine}\n`);
    expect(withoutLines(app, [...call, importLine])).toBe(edited);
    expect(extended.get('src/app.ts')?.additions).toEqual(['+ registerIdempotencyKeys call', '+ 3 imports']);
    expect(diagnostics).toEqual([]);
  });

  it('adds it once: a file that already calls it (anywhere) keeps its own call', async () => {
    const v1 = configureApp(false);
    const own = configureApp(true).replace('ttlSeconds: config.idempotencyTtlSeconds', 'ttlSeconds: 60');
    const dir = await projectOnDisk({ 'src/app.ts': own }, [user('src/app.ts', v1)]);
    const { extended, diagnostics } = await extendUserFiles([user('src/app.ts', configureApp(true))], dir);
    expect(extended.has('src/app.ts')).toBe(false);
    expect(diagnostics).toEqual([]);
  });

  it('does not guess where the locals it needs went: a renamed one is reported (SCF049) and the file left as it is', async () => {
    const v1 = configureApp(false);
    const renamed = v1.replaceAll('database', 'connection');
    const dir = await projectOnDisk({ 'src/app.ts': renamed }, [user('src/app.ts', v1)]);
    const { extended, diagnostics } = await extendUserFiles([user('src/app.ts', configureApp(true))], dir);
    expect(extended.has('src/app.ts')).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'SCF049', location: { file: 'src/app.ts' } });
    expect(diagnostics[0]?.message).toContain('registerIdempotencyKeys');
    expect(diagnostics[0]?.message).toContain('uses database');
  });
});
