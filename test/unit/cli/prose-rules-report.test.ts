import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/check/check-result.js';
import type { GenerateJson } from '../../../src/cli/generate-json.js';
import { runCli } from '../../support/cli.js';
import { fixtureSpec, REPO_ROOT } from '../../support/fixtures.js';

const compile = async (name: string) => new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(await readFile(join(REPO_ROOT, 'schemas', name), 'utf8')) as object);

/** A spec whose descriptions state rules (admin only, their own, a uniqueness, an error code) and that declares none. */
let project: string;
let generated: { code: number; stdout: string };
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-prose-'));
  const spec = join(dir, 'openapi.yaml');
  await copyFile(fixtureSpec('prose-rules.yaml'), spec);
  project = join(dir, 'project');
  generated = await runCli(['generate', '--spec', spec, '--out', project]);
});

describe('rules stated in prose and not declared', () => {
  it('are counted on the summary line of scaffold generate', () => {
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain('operations: 4 CRUD (3 with rules in prose not implemented), 0 domain actions, 0 stubs answering 501');
  });

  it('are listed in .scaffold/report.md, their operations never reported as implemented', async () => {
    const report = await readFile(join(project, '.scaffold', 'report.md'), 'utf8');
    expect(report).toMatch(/\| listNotes +\| GET \/notes +\| CRUD: list Note +\|/);
    for (const [id, kind] of [['createNote', 'create'], ['getNote', 'get'], ['deleteNote', 'delete']]) {
      expect(report).toMatch(new RegExp(`\\| ${id} +\\| [^|]+\\| CRUD shape; rules in prose not implemented: ${kind} Note +\\|`));
    }
    const section = report.slice(report.indexOf('## Rules in prose not implemented'));
    expect(section).toContain('- getNote (GET /notes/{id}):\n  - Users may only read their own notes. (not declared: ownership)');
    expect(section).toContain('Titles must be unique. (not declared: uniqueness)');
    expect(section).toContain('NOTE\\_LOCKED\\` while the note is locked. (not declared: error code 409 NOTE\\_LOCKED)');
    expect(section).not.toContain('Returns a page of notes');
  });

  it('are in scaffold generate --json, per operation, valid against its schema', async () => {
    const run = await runCli(['generate', '--json', '--out', project, '--dry-run']);
    const json = JSON.parse(run.stdout) as GenerateJson;
    expect((await compile('generate-result.schema.json'))(json)).toBe(true);
    expect(json.implementations).toEqual({ crud: 4, domain: 0, stub: 0, proseRulesNotImplemented: { crud: 3, domain: 0 } });
    const byId = new Map(json.operationReports?.map((o) => [o.operationId, o]));
    expect(byId.get('listNotes')).toEqual({ operationId: 'listNotes', signature: 'GET /notes', implementation: 'crud', label: 'CRUD: list Note', declared: [], proseRules: [], rulesInProseNotImplemented: false });
    expect(byId.get('createNote')).toMatchObject({
      label: 'CRUD shape; rules in prose not implemented: create Note',
      rulesInProseNotImplemented: true,
      proseRules: [
        { text: '**Admin only.**', kinds: ['roles'], undeclared: ['roles'] },
        { text: 'Titles must be unique.', kinds: ['uniqueness'], undeclared: ['uniqueness'] },
      ],
    });
    expect(byId.get('deleteNote')?.proseRules).toEqual([
      { text: 'Refused with `409 NOTE_LOCKED` while the note is locked.', kinds: ['error-code'], undeclared: ['error-code'], unansweredCodes: ['409 NOTE_LOCKED'] },
    ]);
  });

  it('fail scaffold check with --fail-on-prose-rules (exit 4), and only with it', async () => {
    const validate = await compile('check-result.schema.json');
    const plain = await runCli(['check', '--project', project, '--json']);
    expect(plain.code).toBe(0);
    expect((JSON.parse(plain.stdout) as CheckResult).sections.map((s) => s.name)).toEqual(['drift', 'guidelines']);

    const strict = await runCli(['check', '--project', project, '--json', '--fail-on-prose-rules']);
    const result = JSON.parse(strict.stdout) as CheckResult;
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(strict.code).toBe(4);
    expect(result).toMatchObject({ status: 'fail', exitCode: 4 });
    const section = result.sections.find((s) => s.name === 'prose-rules');
    expect(section?.results.map((r) => [r.status, r.detail.split(':')[0]])).toEqual([
      ['fail', 'POST /notes (createNote)'],
      ['fail', 'GET /notes/{id} (getNote)'],
      ['fail', 'DELETE /notes/{id} (deleteNote)'],
    ]);
    expect(section?.results[1]?.detail).toBe('GET /notes/{id} (getNote): "Users may only read their own notes." (not declared: ownership)');

    const table = await runCli(['check', '--project', project, '--fail-on-prose-rules']);
    expect(table.code).toBe(4);
    expect(table.stdout).toContain('Result: rules in prose not implemented (exit 4)');
  });
});
