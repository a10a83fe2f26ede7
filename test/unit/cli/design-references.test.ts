import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { REPO_ROOT } from '../../support/fixtures.js';

/** `scaffold generate` and what a design may reference: the root, --design, --allow-remote-refs (issue 14 items 1 and 2). */
const tempDir = () => mkdtemp(join(tmpdir(), 'scaffold-refs-cli-'));
const SPEC = (ref: string) =>
  `openapi: 3.0.3\ninfo: { title: Refs, version: 1.0.0 }\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;

describe('scaffold generate and references', () => {
  it('refuses /etc/passwd with a located diagnostic and writes nothing', async () => {
    const out = join(await tempDir(), 'out');
    const run = await runCli(['generate', '--spec', join(REPO_ROOT, 'test/fixtures/hostile/01-ref-etc-passwd/openapi.yaml'), '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SCF007: .*openapi\.yaml:6:\d+ #\/x-leak: \/etc\/passwd is not a file inside the design root /m);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('lists --allow-remote-refs in --help', async () => {
    expect((await runCli(['generate', '--help'])).stdout).toMatch(/--allow-remote-refs +fetch \$refs to http\(s\) URLs/);
  });

  it('fetches remote refs only with --allow-remote-refs, and a regeneration inside the project remembers it', async () => {
    const server = createServer((_request, response) => response.end('type: object\nproperties:\n  id:\n    type: string\n'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const dir = await tempDir();
      await writeFile(join(dir, 'openapi.yaml'), SPEC(`http://127.0.0.1:${(server.address() as AddressInfo).port}/thing.yaml`));
      const out = join(dir, 'out');
      const refused = await runCli(['generate', '--spec', join(dir, 'openapi.yaml'), '--out', out, '--persistence', 'none']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/error SCF008: .* is a remote reference, and remote references are off\n {2}hint: .*--allow-remote-refs/);

      const allowed = await runCli(['generate', '--spec', join(dir, 'openapi.yaml'), '--out', out, '--persistence', 'none', '--allow-remote-refs']);
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(JSON.parse(await readFile(join(out, '.scaffold', 'config.json'), 'utf8'))).toMatchObject({ allowRemoteRefs: true });
      const again = await runCli(['generate', '--out', out]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing changed');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);

  it('with --design, references reach the whole design folder, also when regenerating from the config', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'design', 'documents'), { recursive: true });
    await mkdir(join(dir, 'design', 'shared'));
    await writeFile(join(dir, 'design', 'documents', 'openapi.yaml'), SPEC('../shared/thing.yaml'));
    await writeFile(join(dir, 'design', 'shared', 'thing.yaml'), 'type: object\nproperties:\n  id:\n    type: string\n');
    const out = join(dir, 'out');
    const confined = await runCli(['generate', '--spec', join(dir, 'design', 'documents', 'openapi.yaml'), '--out', out, '--persistence', 'none']);
    expect(confined.code).toBe(1);
    expect(confined.stderr).toContain('SCF007');
    const designed = await runCli(['generate', '--design', join(dir, 'design'), '--out', out, '--persistence', 'none']);
    expect(designed.code, designed.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(out, '.scaffold', 'config.json'), 'utf8'))).toMatchObject({ design: '../design' });
    const again = await runCli(['generate', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);
});
