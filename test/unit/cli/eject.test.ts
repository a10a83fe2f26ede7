import { readdir, readFile, writeFile, mkdtemp } from 'node:fs/promises';
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

describe('an ejected template whose default changed upstream', () => {
  it('is kept, and the run warns with the upstream diff until the change is accepted', async () => {
    const project = await newProject();
    await cli('eject', CONTROLLER_GEN, '--project', project);
    await editEjected(project, addLineBeforeClass('// mine'));
    // Simulate an ejection from an older scaffold whose default lacked the "Thin handlers" paragraph.
    const recordFile = join(project, EJECTED_RECORD);
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as EjectedRecord;
    const older = record.templates[CONTROLLER_GEN]!.original.replace(/ \*\n \* Thin handlers:.*\n.*\n/, '');
    expect(older).not.toBe(record.templates[CONTROLLER_GEN]!.original);
    record.templates[CONTROLLER_GEN] = { toolVersion: '0.0.1', hash: contentHash(older), original: older };
    await writeFile(recordFile, JSON.stringify(record));
    const ours = await readFile(ejectedPath(project), 'utf8');

    const run = await cli('generate', '--out', project);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning SCF067: .scaffold/templates/${CONTROLLER_GEN}: ejected template ${CONTROLLER_GEN}: its default changed since it was ejected from scaffold 0.0.1`);
    expect(run.stderr).toMatch(/^\+ \* Thin handlers: each receives validated input/m);
    expect(await readFile(ejectedPath(project), 'utf8')).toBe(ours);
    expect((await controllerGenFiles(project)).get('pet.controller.gen.ts')).toContain('// mine');

    const list = await cli('eject', '--list', '--project', project);
    expect(list.stdout).toMatch(/^  ejected, modified, upstream changed +src\/controllers\/__resource__\.controller\.gen\.ts\.hbs \(ejected from 0\.0\.1\)$/m);
    expect(list.stdout).toMatch(/^\+ \* Thin handlers: each receives validated input/m);

    const accepted = await cli('eject', '--accept', CONTROLLER_GEN, '--project', project);
    expect(accepted.stdout).toContain(CONTROLLER_GEN);
    const quiet = await cli('generate', '--out', project);
    expect(quiet.stderr).not.toContain('SCF067');
    expect((await cli('eject', '--list', '--project', project)).stdout).not.toContain('upstream changed ');
  });
});
