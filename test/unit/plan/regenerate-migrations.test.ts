import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHelp, parseGenerateFlags } from '../../../src/cli/parse-options.js';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { generate } from '../../../src/engine.js';
import { GENERATE_OPTIONS } from '../../../src/options/options-schema.js';
import { LIBRARY_V1, libraryV2 } from './migration-fixtures.js';

const SPEC = `openapi: 3.1.0
info: { title: Library, version: 1.0.0 }
paths:
  /books:
    get:
      operationId: listBooks
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { type: object } } } } }
`;

/** Regenerating a project after a model change, as `scaffold generate` inside it does. */
describe('regenerating after a model change', () => {
  it('refuses a dropped field and writes nothing; with --allow-data-loss writes a new migration and moves the snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-regen-'));
    const out = join(dir, 'project');
    await writeFile(join(dir, 'openapi.yaml'), SPEC);
    await writeFile(join(dir, 'domain.yaml'), LIBRARY_V1);
    const options = { spec: join(dir, 'openapi.yaml'), out, name: 'library', models: join(dir, 'domain.yaml'), dryRun: false, force: false };
    await generate(options);
    const initial = await readFile(join(out, 'migrations/0000_initial.sql'), 'utf8');
    const snapshot = await readFile(join(out, '.scaffold/schema-snapshot.json'), 'utf8');

    await writeFile(join(dir, 'domain.yaml'), libraryV2(['      subtitle: { type: string, required: false }\n', '']));
    const refused = await generate(options).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ScaffoldError);
    expect((refused as ScaffoldError).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^SCF037 books\.subtitle: column dropped/)]);
    expect(await readdir(join(out, 'migrations'))).toEqual(['0000_initial.sql', 'meta']);
    expect(await readFile(join(out, '.scaffold/schema-snapshot.json'), 'utf8')).toBe(snapshot);

    await generate({ ...options, allowDataLoss: true });
    expect(await readFile(join(out, 'migrations/0001_update.sql'), 'utf8')).toMatch(
      /^-- scaffold: data loss confirmed: books\.subtitle: column dropped: .*\nALTER TABLE "books" DROP COLUMN "subtitle";\n$/,
    );
    expect(await readFile(join(out, 'migrations/0000_initial.sql'), 'utf8')).toBe(initial);
    expect(await readFile(join(out, '.scaffold/schema-snapshot.json'), 'utf8')).not.toContain('"subtitle"');
    // The confirmation was for that run: it is not saved for the next one.
    expect(await readFile(join(out, '.scaffold/config.json'), 'utf8')).not.toMatch(/allow/i);
  }, 120_000);

  it('takes the confirmation from --allow-data-loss, which --help explains', () => {
    expect(parseGenerateFlags(['--allow-data-loss']).allowDataLoss).toBe(true);
    expect(parseGenerateFlags([]).allowDataLoss).toBeUndefined();
    expect(GENERATE_OPTIONS.allowDataLoss.persisted).toBe(false);
    expect(generateHelp()).toMatch(/--allow-data-loss +write schema changes that can fail on existing rows or lose data/);
  });
});
