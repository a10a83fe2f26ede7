import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash, EJECTED_RECORD, type EjectedRecord } from '../../../src/project/ejected-templates.js';
import { exampleSpec } from '../../support/fixtures.js';
import { runCli } from '../../support/cli.js';

const cli = (...args: string[]) => runCli(args);

const CONTROLLER_GEN = 'src/controllers/__resource__.controller.gen.ts.hbs';
const ejectedPath = (project: string, template = CONTROLLER_GEN) => join(project, '.scaffold', 'templates', template);

/** A fresh petstore project (three resources: pet, store, user), API only for speed. */
async function newProject(): Promise<string> {
  const project = join(await mkdtemp(join(tmpdir(), 'scaffold-eject-')), 'petstore');
  const generated = await cli('generate', '--spec', exampleSpec('petstore'), '--out', project, '--persistence', 'none');
  expect(generated.code, generated.stderr).toBe(0);
  return project;
}

async function controllerGenFiles(project: string): Promise<Map<string, string>> {
  const dir = join(project, 'src', 'controllers');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.controller.gen.ts'));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
}

/** Every file of the project and its text: what "nothing was written" is checked against. */
async function tree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));
}

async function editEjected(project: string, edit: (text: string) => string, template = CONTROLLER_GEN): Promise<void> {
  const file = ejectedPath(project, template);
  await writeFile(file, edit(await readFile(file, 'utf8')));
}

const addLineBeforeClass = (line: string) => (text: string) => text.replace(/^export abstract class/m, `${line}\nexport abstract class`);

async function setConfig(project: string, change: Record<string, unknown>): Promise<void> {
  const file = join(project, '.scaffold', 'config.json');
  await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), ...change }, null, 2));
}

describe('scaffold eject', () => {
  let project: string;
  beforeAll(async () => {
    project = await newProject();
  });

  it('copies the matching default templates into .scaffold/templates/ and records where they came from', async () => {
    const ejected = await cli('eject', 'controller.gen', '--project', project);
    expect(ejected.code, ejected.stderr).toBe(0);
    expect(ejected.stdout).toContain(CONTROLLER_GEN);
    const defaultText = await readFile(join(import.meta.dirname, '..', '..', '..', 'templates', 'project', CONTROLLER_GEN), 'utf8');
    expect(await readFile(ejectedPath(project), 'utf8')).toBe(defaultText);
    const record = JSON.parse(await readFile(join(project, EJECTED_RECORD), 'utf8')) as EjectedRecord;
    expect(Object.keys(record.templates)).toEqual([CONTROLLER_GEN]);
    expect(record.templates[CONTROLLER_GEN]).toMatchObject({ toolVersion: (await cli('--version')).stdout.trim(), hash: contentHash(defaultText) });

    const list = await cli('eject', '--list', '--project', project);
    expect(list.stdout).toMatch(new RegExp(`^  ejected +${CONTROLLER_GEN.replaceAll('.', '\\.')}$`, 'm'));
    expect(list.stdout).toMatch(/^  default +src\/app\.ts\.hbs$/m);
  });

  it('uses an edited ejected template for every file it renders, and a second regeneration changes nothing', async () => {
    const before = await controllerGenFiles(project);
    expect(before.size).toBe(3);
    await editEjected(project, addLineBeforeClass('// Reviewed by the API guild.'));

    const regenerated = await cli('generate', '--out', project);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const after = await controllerGenFiles(project);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, text] of after) {
      expect(text, name).toMatch(/\/\/ Reviewed by the API guild\.\nexport abstract class/);
      expect(text.replace('// Reviewed by the API guild.\n', '')).toBe(before.get(name));
    }
    expect((await cli('eject', '--list', '--project', project)).stdout).toMatch(/^  ejected, modified +src\/controllers\/__resource__\.controller\.gen\.ts\.hbs$/m);

    const files = await tree(project);
    const again = await cli('generate', '--out', project);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing changed, nothing was written');
    expect(await tree(project)).toEqual(files);
  });

  it('keeps an ejected template when ejecting it again, unless --force', async () => {
    const edited = await readFile(ejectedPath(project), 'utf8');
    const kept = await cli('eject', CONTROLLER_GEN, '--project', project);
    expect(kept.stdout).toMatch(/Already ejected, kept/);
    expect(await readFile(ejectedPath(project), 'utf8')).toBe(edited);

    const other = await newProject();
    await cli('eject', 'src/controllers/*.gen.ts.hbs', '--project', other);
    await editEjected(other, addLineBeforeClass('// mine'));
    expect((await cli('eject', CONTROLLER_GEN, '--project', other, '--force')).code).toBe(0);
    expect(await readFile(ejectedPath(other), 'utf8')).not.toContain('// mine');
  });

  it('reports a pattern that matches nothing, and a directory that is not a generated project', async () => {
    const none = await cli('eject', 'no-such-template', '--project', project);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error SCF068: no template matches "no-such-template"');
    const outside = await cli('eject', '--list', '--project', await mkdtemp(join(tmpdir(), 'scaffold-eject-')));
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('SCF051');
    expect((await cli('eject', '--project', project)).code).toBe(2);
  });
});

describe('custom helpers and partials', () => {
  it('registers the helpers module named by templateHelpers, and regenerations keep the setting', async () => {
    const project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
    await writeFile(
      join(project, '.scaffold', 'templates', 'helpers.mjs'),
      [
        'export const helpers = { shout: (text) => String(text).toUpperCase() };',
        "export const partials = { owner: '// Owned by the {{resource.fileStem}} team.\\n' };",
      ].join('\n'),
    );
    await setConfig(project, { templateHelpers: '.scaffold/templates/helpers.mjs' });
    await editEjected(project, addLineBeforeClass('// {{shout resource.controllerClass}}\n{{> owner}}'));

    const run = await cli('generate', '--out', project);
    expect(run.code, run.stderr).toBe(0);
    const pet = await readFile(join(project, 'src', 'controllers', 'pet.controller.gen.ts'), 'utf8');
    expect(pet).toMatch(/\/\/ PETCONTROLLER\n\/\/ Owned by the pet team\.\nexport abstract class/);
    expect(JSON.parse(await readFile(join(project, '.scaffold', 'config.json'), 'utf8'))).toMatchObject({ templateHelpers: '.scaffold/templates/helpers.mjs' });
    expect((await cli('generate', '--out', project)).stdout).toContain('nothing changed');
  });

  it('fails clearly, writing nothing, when the helpers module cannot be loaded', async () => {
    const project = await newProject();
    await writeFile(join(project, 'helpers.mjs'), "throw new Error('helpers exploded');\n");
    await setConfig(project, { templateHelpers: 'helpers.mjs' });
    const files = await tree(project);
    const run = await cli('generate', '--out', project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error SCF066: helpers\.mjs: template helpers module helpers\.mjs failed to load: helpers exploded/);
    expect(run.stderr).toContain('Nothing was written.');
    expect(await tree(project)).toEqual(files);
  });
});

describe('a broken ejected template', () => {
  let project: string;
  beforeAll(async () => {
    project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
  });

  const lineOfClass = async () => (await readFile(ejectedPath(project), 'utf8')).split('\n').findIndex((line) => line.startsWith('export abstract class')) + 1;

  it.each([
    ['a syntax error', '{{#if resource}}', /template syntax error: Expecting .*got 'EOF'/],
    ['an unknown helper', '// {{shout resource.controllerClass}}', /"shout" is neither a helper nor a field of the template's data/],
    ['a missing partial', '{{> owner}}', /unknown partial "owner"/],
  ])('fails with its path, line and cause on %s, and writes nothing', async (_case, line, cause) => {
    const original = await readFile(ejectedPath(project), 'utf8');
    await editEjected(project, addLineBeforeClass(line));
    const expectedLine = (await lineOfClass()) - 1;
    const files = await tree(project);
    try {
      const run = await cli('generate', '--out', project);
      expect(run.code).toBe(1);
      const reported = new RegExp(`error SCF065: \\.scaffold/templates/src/controllers/__resource__\\.controller\\.gen\\.ts\\.hbs:(\\d+)(?::\\d+)?: (.*)`).exec(run.stderr);
      expect(reported, run.stderr).not.toBeNull();
      // A syntax error is reported where the parser gave up: the unclosed block runs to the end of the file.
      if (_case !== 'a syntax error') expect(Number(reported![1])).toBe(expectedLine);
      expect(reported![2]).toMatch(cause);
      expect(run.stderr).toContain('Nothing was written.');
      expect(await tree(project)).toEqual(files);
    } finally {
      await writeFile(ejectedPath(project), original);
    }
  });
});

const GEN_HEADER = 'partials/gen-header.hbs';
const DEFAULT_HEADER_LINE = '// Generated by scaffold';

/** The generated files that carry the do-not-edit header, and their text. */
async function headerCarriers(project: string): Promise<Map<string, string>> {
  const files = await tree(join(project, 'src'));
  return new Map([...files].filter(([, text]) => text.includes(DEFAULT_HEADER_LINE)));
}

describe('an ejected partial', () => {
  it('replaces the header of every generated file that carries it, and regenerations keep it', async () => {
    const project = await newProject();
    const before = await headerCarriers(project);
    expect([...before.keys()].map((file) => file.slice(project.length + 1))).toEqual(expect.arrayContaining(['src/dto/openapi.gen.ts', 'src/controllers/pet.controller.gen.ts', 'src/services/pet.service.gen.ts']));

    const ejected = await cli('eject', GEN_HEADER, '--project', project);
    expect(ejected.code, ejected.stderr).toBe(0);
    expect(await readFile(ejectedPath(project, GEN_HEADER), 'utf8')).toBe(await readFile(join(import.meta.dirname, '..', '..', '..', 'templates', GEN_HEADER), 'utf8'));
    await editEjected(project, (text) => `// Copyright ACME Corp, licensed under the ACME licence.\n${text}`, GEN_HEADER);

    const regenerated = await cli('generate', '--out', project);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const after = await headerCarriers(project);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, text] of after) {
      expect(text, file).toContain(`// Copyright ACME Corp, licensed under the ACME licence.\n${DEFAULT_HEADER_LINE}`);
      expect(text.replace('// Copyright ACME Corp, licensed under the ACME licence.\n', ''), file).toBe(before.get(file));
    }
    expect((await cli('eject', '--list', '--project', project)).stdout).toMatch(/^  ejected, modified +partials\/gen-header\.hbs$/m);

    const files = await tree(project);
    const again = await cli('generate', '--out', project);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing changed, nothing was written');
    expect(await tree(project)).toEqual(files);
  });

  it('takes a partial the project adds under partials/, included by its camel-cased name', async () => {
    const project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
    await mkdir(join(project, '.scaffold', 'templates', 'partials'));
    await writeFile(join(project, '.scaffold', 'templates', 'partials', 'licence-note.hbs'), '// Licensed to the {{resource.fileStem}} team.\n');
    await editEjected(project, addLineBeforeClass('{{> licenceNote}}'));
    const run = await cli('generate', '--out', project);
    expect(run.code, run.stderr).toBe(0);
    expect((await controllerGenFiles(project)).get('pet.controller.gen.ts')).toMatch(/\/\/ Licensed to the pet team\.\nexport abstract class/);
    expect(await readdir(project)).not.toContain('partials');
    expect((await cli('eject', '--list', '--project', project)).stdout).toMatch(/^  added +partials\/licence-note\.hbs$/m);
  });

  it.each([
    ['a field that does not exist', '// {{licence}}', 2, /"licence" is neither a helper nor a field of the template's data/],
    ['a missing partial', '{{> licence}}', 2, /unknown partial "licence"/],
  ])('fails with its path, line and cause on %s, and writes nothing', async (_case, line, expectedLine, cause) => {
    const project = await newProject();
    await cli('eject', GEN_HEADER, '--project', project);
    await editEjected(project, (text) => text.replace('\n', `\n${line}\n`), GEN_HEADER);
    const files = await tree(project);
    const run = await cli('generate', '--out', project);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`error SCF065: \\.scaffold/templates/partials/gen-header\\.hbs:${expectedLine}(:\\d+)?: ${cause.source}`));
    expect(run.stderr).toContain('Nothing was written.');
    expect(await tree(project)).toEqual(files);
  });

  it('is reported when its default changed upstream', async () => {
    const project = await newProject();
    await cli('eject', GEN_HEADER, '--project', project);
    await ejectedFromOlderDefault(project, GEN_HEADER, (text) => text.replace('Put your code', 'Write your code'));
    const run = await cli('generate', '--out', project);
    expect(run.stderr).toContain(upstreamWarning(GEN_HEADER));
    expect(run.stderr).toMatch(/^\+\/\/ `scaffold generate`\. Put your code/m);
    expect((await cli('eject', '--list', '--project', project)).stdout).toMatch(/^  ejected, modified, upstream changed +partials\/gen-header\.hbs \(ejected from 0\.0\.1\)$/m);
  });
});

/** Rewrites the record as if `template` had been ejected from scaffold 0.0.1, whose default was `edit(current default)`. */
async function ejectedFromOlderDefault(project: string, template: string, edit: (text: string) => string): Promise<void> {
  const recordFile = join(project, EJECTED_RECORD);
  const record = JSON.parse(await readFile(recordFile, 'utf8')) as EjectedRecord;
  const older = edit(record.templates[template]!.original);
  expect(older).not.toBe(record.templates[template]!.original);
  record.templates[template] = { toolVersion: '0.0.1', hash: contentHash(older), original: older };
  await writeFile(recordFile, JSON.stringify(record));
}

/** The default lacked the "Thin handlers" paragraph. */
const withoutThinHandlers = (text: string) => text.replace(/ \*\n \* Thin handlers:.*\n.*\n/, '');
const THIN_HANDLERS_ADDED = /^\+ \* Thin handlers: each receives validated input/m;
const upstreamWarning = (template: string) =>
  `warning SCF067: .scaffold/templates/${template}: ejected template ${template}: its default changed since it was ejected from scaffold 0.0.1; merge the change into your copy (\`scaffold eject --list\` shows it), then run \`scaffold eject --accept ${template}\``;

describe('an ejected template whose default changed upstream', () => {
  it('is kept, and the run warns with the upstream diff until the change is accepted', async () => {
    const project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
    await editEjected(project, addLineBeforeClass('// mine'));
    await ejectedFromOlderDefault(project, CONTROLLER_GEN, withoutThinHandlers);
    const ours = await readFile(ejectedPath(project), 'utf8');

    const run = await cli('generate', '--out', project);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(upstreamWarning(CONTROLLER_GEN));
    expect(run.stderr).toMatch(THIN_HANDLERS_ADDED);
    expect(await readFile(ejectedPath(project), 'utf8')).toBe(ours);
    expect((await controllerGenFiles(project)).get('pet.controller.gen.ts')).toContain('// mine');

    const list = await cli('eject', '--list', '--project', project);
    expect(list.stdout).toMatch(/^  ejected, modified, upstream changed +src\/controllers\/__resource__\.controller\.gen\.ts\.hbs \(ejected from 0\.0\.1\)$/m);
    expect(list.stdout).toMatch(THIN_HANDLERS_ADDED);

    const accepted = await cli('eject', '--accept', CONTROLLER_GEN, '--project', project);
    expect(accepted.stdout).toContain(CONTROLLER_GEN);
    const quiet = await cli('generate', '--out', project);
    expect(quiet.stderr).not.toContain('SCF067');
    expect((await cli('eject', '--list', '--project', project)).stdout).not.toContain('upstream changed ');
  });

  it('shows the diff on the first run that sees the change, then a one-line reminder, and the diff of a new change again', async () => {
    const project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
    await ejectedFromOlderDefault(project, CONTROLLER_GEN, withoutThinHandlers);

    const dryRun = await cli('generate', '--out', project, '--dry-run');
    expect(dryRun.stderr).toMatch(THIN_HANDLERS_ADDED);
    const first = await cli('generate', '--out', project);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr, 'a dry run records nothing as shown').toMatch(THIN_HANDLERS_ADDED);
    expect(JSON.parse(await readFile(join(project, '.scaffold', 'upstream-notices.json'), 'utf8'))).toMatchObject({ shown: { [CONTROLLER_GEN]: expect.any(Object) } });
    const report = await readFile(join(project, '.scaffold', 'report.md'), 'utf8');
    expect(report, 'the report lists the one-line warning, on every run alike').toMatch(/^- warning SCF067: .+ then run .+scaffold eject --accept .+$/m);
    expect(report).not.toMatch(/Thin handlers: each receives/);

    const files = await tree(project);
    const second = await cli('generate', '--out', project);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr.trim()).toBe(upstreamWarning(CONTROLLER_GEN));
    expect(second.stdout).toContain('nothing changed, nothing was written');
    expect(await tree(project)).toEqual(files);

    // Another upgrade: the default the copy came from differs from the one whose diff was shown.
    await ejectedFromOlderDefault(project, CONTROLLER_GEN, (text) => withoutThinHandlers(text).replace(/^ \* /m, ' * Older: '));
    const third = await cli('generate', '--out', project);
    expect(third.stderr).toContain(upstreamWarning(CONTROLLER_GEN));
    expect(third.stderr).toMatch(/^- \* Older: /m);
  });
});
