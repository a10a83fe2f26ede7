import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadGuidelines } from '../../../src/load/load-guidelines.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { placeInRoot } from '../../../src/load/design-root.js';

/** What a design's files may reach, and at what cost (issue 14 items 1 and 3). */
const SPEC = (ref: string) =>
  `openapi: 3.0.3\ninfo: { title: Confined, version: 1.0.0 }\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;
const THING = 'type: object\nproperties:\n  id:\n    type: string\n';

async function design(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-confined-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function refused(run: Promise<unknown>): Promise<Diagnostic> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('references confined to the design root', () => {
  it('resolve inside the root, through a symlink that stays inside too', async () => {
    const dir = await design({ 'openapi.yaml': SPEC('./linked.yaml'), 'schemas/thing.yaml': THING });
    await symlink(join(dir, 'schemas', 'thing.yaml'), join(dir, 'linked.yaml'));
    expect(JSON.stringify((await loadSpec(join(dir, 'openapi.yaml'))).document)).toContain('"id":{"type":"string"}');
  });

  it('give the same message for a file outside the root whether it exists or not', async () => {
    const outside = await design({ 'secret.yaml': THING });
    const dir = await design({});
    const message = async (target: string) => {
      await writeFile(join(dir, 'openapi.yaml'), SPEC(target));
      const diagnostic = await refused(loadSpec(join(dir, 'openapi.yaml')));
      expect(diagnostic.code).toBe('SCF007');
      return diagnostic.message.replace(target, '<target>');
    };
    expect(await message(join(outside, 'secret.yaml'))).toBe(await message(join(outside, 'absent.yaml')));
  });

  it('leave an example\'s externalValue outside the root unread, with a warning (the bundle keeps it as written)', async () => {
    const dir = await design({ 'openapi.yaml': SPEC('#/components/schemas/Thing').replace("$ref: '#/components/schemas/Thing'\n", "$ref: '#/components/schemas/Thing'\n              examples:\n                leak:\n                  externalValue: /etc/passwd\n") + 'components:\n  schemas:\n    Thing: { type: string }\n' });
    const spec = await loadSpec(join(dir, 'openapi.yaml'));
    expect(JSON.stringify(spec.document)).not.toContain('root:');
    expect(spec.warnings).toEqual([expect.objectContaining({ code: 'SCF007', severity: 'warning', message: expect.stringMatching(/^\/etc\/passwd is not a file inside the design root .*\(not read\)$/) })]);
  });

  it('say plainly that a file inside the root is missing (SCF006)', async () => {
    const dir = await design({ 'openapi.yaml': SPEC('./nope.yaml') });
    expect(await refused(loadSpec(join(dir, 'openapi.yaml')))).toMatchObject({ code: 'SCF006', message: expect.stringContaining('no such file') });
  });

  it('reach the whole design folder given with --design, and only the spec folder without it', async () => {
    const root = await design({ 'documents/openapi.yaml': SPEC('../shared/thing.yaml'), 'shared/thing.yaml': THING });
    const spec = join(root, 'documents', 'openapi.yaml');
    expect(await refused(loadSpec(spec))).toMatchObject({ code: 'SCF007', location: { file: spec, line: 13 } });
    expect(JSON.stringify((await loadSpec(spec, { designFolder: root })).document)).toContain('"id":{"type":"string"}');
  });

  it('never name a directory, a fifo or a device', async () => {
    const dir = await design({ 'openapi.yaml': SPEC('./folder'), 'folder/x.yaml': THING });
    expect(await refused(loadSpec(join(dir, 'openapi.yaml')))).toMatchObject({ code: 'SCF009', message: expect.stringContaining('a directory') });
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    await writeFile(join(dir, 'openapi.yaml'), SPEC('./pipe.yaml'));
    // Opened without blocking: a fifo with no writer is refused at once instead of hanging the run.
    expect(await refused(loadSpec(join(dir, 'openapi.yaml')))).toMatchObject({ code: 'SCF009', message: expect.stringContaining('not a regular file') });
    expect(await placeInRoot('/', '/dev/zero')).toBe('outside');
    expect(await placeInRoot('/', '/proc/self/environ')).toBe('outside');
  });

  it('stop at 16 MiB per document, the spec itself and every file it references', async () => {
    const big = `x: '${'a'.repeat(16 * 1024 * 1024)}'\n`;
    const dir = await design({ 'openapi.yaml': SPEC('./big.yaml'), 'big.yaml': big });
    expect(await refused(loadSpec(join(dir, 'openapi.yaml')))).toMatchObject({ code: 'SCF009', message: expect.stringContaining('larger than the limit of 16 MiB') });
    await writeFile(join(dir, 'huge.yaml'), `${SPEC('#/x')}x-pad: '${'a'.repeat(16 * 1024 * 1024)}'\n`);
    expect(await refused(loadSpec(join(dir, 'huge.yaml')))).toMatchObject({ code: 'SCF009', location: { file: join(dir, 'huge.yaml') } });
  });
});

describe('domain models and guidelines', () => {
  it('a model\'s structure file must be inside the design root', async () => {
    const outside = await design({ 'model.dbml': 'Table things {\n  id uuid [pk]\n}\n' });
    const dir = await design({ 'domain.yaml': `schemaVersion: 1\nstructure: ${join(outside, 'model.dbml')}\n` });
    expect(await refused(loadDomainModel(join(dir, 'domain.yaml')))).toMatchObject({ code: 'SCF007', location: { file: join(dir, 'domain.yaml'), line: 2 } });
  });

  it('a guidelines file that is a device is refused before a byte is read', async () => {
    expect(await refused(loadGuidelines('/dev/zero'))).toMatchObject({ code: 'SCF009' });
  });

  it('a guidelines file whose aliases expand too far is refused at the alias', async () => {
    const laughs = ['a: &a [l, l, l, l, l, l, l, l, l]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    const dir = await design({ 'guidelines.yaml': laughs });
    expect(await refused(loadGuidelines(join(dir, 'guidelines.yaml')))).toMatchObject({ code: 'SCF014', location: { line: 6 } });
  });
});
