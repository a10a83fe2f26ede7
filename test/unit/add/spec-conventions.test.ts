import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFields } from '../../../src/add/fields.js';
import { addEndpointToSpec, addResourceToSpec } from '../../../src/add/spec-edit.js';
import { designSource } from '../../../src/add/yaml-splice.js';
import { main } from '../../../src/cli/main.js';
import { fixtureSpec } from '../../support/fixtures.js';

type Json = Record<string, any>;

/** Adds `tasks` to the conventions fixture: the edited document and the conventions the edit says it copied. */
async function addTasks(): Promise<{ doc: Json; copied: string[] }> {
  const file = fixtureSpec('add-conventions.yaml');
  const source = designSource(await readFile(file, 'utf8'), resolve(file));
  const copied = addResourceToSpec(source, { resource: 'tasks', entity: 'Task' }, parseFields('title:string'), file);
  return { doc: parse(source.toString()) as Json, copied };
}

describe('scaffold add resource follows the conventions of the spec it edits', () => {
  it('lists in the page schema the existing lists use, cloned for the new item type', async () => {
    const { doc } = await addTasks();
    expect(doc.paths['/tasks'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TaskPage' });
    expect(doc.components.schemas.TaskPage).toEqual({
      type: 'object',
      required: ['data', 'meta'],
      properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Task' } }, meta: { $ref: '#/components/schemas/PageMeta' } },
    });
  });

  it('asks for the scopes of its own resource, named as the existing operations name theirs', async () => {
    const { doc } = await addTasks();
    const security = (path: string, method: string) => doc.paths[path][method].security;
    expect(security('/tasks', 'get')).toEqual([{ bearerAuth: ['tasks:read'] }]);
    expect(security('/tasks', 'post')).toEqual([{ bearerAuth: ['tasks:write'] }]);
    expect(security('/tasks/{id}', 'get')).toEqual([{ bearerAuth: ['tasks:read'] }]);
    // No existing update: it asks what the other writes ask.
    expect(security('/tasks/{id}', 'patch')).toEqual([{ bearerAuth: ['tasks:write'] }]);
    expect(security('/tasks/{id}', 'delete')).toEqual([{ bearerAuth: ['tasks:write'] }]);
  });

  it('declares the error responses the existing operations declare, 403 included', async () => {
    const { doc } = await addTasks();
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).filter((s) => /^[45]/.test(s));
    expect(statuses('/tasks', 'get')).toEqual(expect.arrayContaining(['401', '403']));
    expect(statuses('/tasks', 'post')).toEqual(expect.arrayContaining(['400', '401', '403']));
    expect(statuses('/tasks/{id}', 'get')).toEqual(expect.arrayContaining(['401', '403', '404']));
    expect(statuses('/tasks/{id}', 'patch')).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
    expect(statuses('/tasks/{id}', 'delete')).toEqual(expect.arrayContaining(['401', '403', '404']));
    expect(doc.paths['/tasks/{id}'].delete.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
  });

  it('says which conventions it copied', async () => {
    const { copied } = await addTasks();
    expect(copied).toEqual([
      'list response: TaskPage, shaped like ProjectPage',
      'security: bearerAuth with the resource\'s scopes (projects:read -> tasks:read, projects:write -> tasks:write)',
      'error responses: 400, 401, 403, 404 as the existing operations declare them',
    ]);
  });

  it('gives an added endpoint the security and error responses of the resource\'s other reads or writes', async () => {
    const file = fixtureSpec('add-conventions.yaml');
    const source = designSource(await readFile(file, 'utf8'), resolve(file));
    addEndpointToSpec(source, { resource: 'projects', method: 'get', path: '/projects/{id}/summary' }, file);
    addEndpointToSpec(source, { resource: 'projects', method: 'post', path: '/projects/{id}/archive' }, file);
    const doc = parse(source.toString()) as Json;
    expect(doc.paths['/projects/{id}/summary'].get.security).toEqual([{ bearerAuth: ['projects:read'] }]);
    expect(Object.keys(doc.paths['/projects/{id}/summary'].get.responses)).toEqual(expect.arrayContaining(['401', '403', '404']));
    expect(doc.paths['/projects/{id}/archive'].post.security).toEqual([{ bearerAuth: ['projects:write'] }]);
    expect(Object.keys(doc.paths['/projects/{id}/archive'].post.responses)).toEqual(expect.arrayContaining(['401', '403']));
  });

  it('renames the resource in scopes written in other forms, singular or snake_case, through its path when its tag says another name', async () => {
    const spec = `openapi: 3.1.0
info: { title: T, version: 1.0.0 }
paths:
  /project-boards:
    get:
      operationId: listProjectBoards
      tags: [Planning]
      security:
        - oauth: ['read:project_board', 'admin']
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/ProjectBoard' } }
components:
  schemas:
    ProjectBoard: { type: object, properties: { id: { type: string } } }
`;
    const source = designSource(spec, 'openapi.yaml');
    const copied = addResourceToSpec(source, { resource: 'task-lists', entity: 'TaskList' }, parseFields('name'), 'openapi.yaml');
    const doc = parse(source.toString()) as Json;
    expect(doc.paths['/task-lists'].get.security).toEqual([{ oauth: ['read:task_list', 'admin'] }]);
    expect(doc.paths['/task-lists'].get.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/TaskList' } });
    expect(copied).toEqual(["security: oauth with the resource's scopes (read:project_board -> read:task_list)"]);
  });

  it('on the command line: says what it followed, and the new list in the page schema is implemented', async () => {
    const root = await mkdtemp(join(tmpdir(), 'scaffold-add-conventions-'));
    await mkdir(join(root, 'design'));
    await cp(fixtureSpec('add-conventions.yaml'), join(root, 'design', 'openapi.yaml'));
    expect((await cli(root, ['generate', '--spec', 'design/openapi.yaml', '--out', 'api'])).code).toBe(0);
    const added = await cli(join(root, 'api'), ['add', 'resource', '--name', 'tasks', '--fields', 'title']);
    expect(added.code, added.output).toBe(0);
    expect(added.output).toContain("following the spec's list response: TaskPage, shaped like ProjectPage");
    expect(added.output).toContain("following the spec's security: bearerAuth with the resource's scopes (projects:read -> tasks:read, projects:write -> tasks:write)");
    expect(await readFile(join(root, 'api', '.scaffold', 'report.md'), 'utf8')).toMatch(/\| listTasks +\| GET \/tasks +\| CRUD: list Task/);
  }, 120_000);
});

/** Runs the CLI in `cwd` without a terminal: its exit code and everything it printed. */
async function cli(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, out, out, { interactive: false, tty: false, color: false });
    return { code, output };
  } finally {
    process.chdir(previous);
  }
}
