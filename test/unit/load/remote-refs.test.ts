import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaffoldError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { fetchDocument } from '../../../src/load/fetch-document.js';
import { loadSpec } from '../../../src/load/load-spec.js';

/** Remote references (issue 14 item 2), against a server of the test's own on 127.0.0.1. */
let server: Server;
let base: string;
const requests: string[] = [];
const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/thing.yaml') return void response.end('type: object\nproperties:\n  id:\n    type: string\n');
    if (request.url === '/laughs.yaml') return void response.end(laughs);
    if (request.url === '/endless.yaml') {
      // No Content-Length: only the streamed byte count can stop it.
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      const write = () => {
        while (response.write(chunk));
      };
      response.on('drain', write);
      request.on('close', () => response.destroy());
      return write();
    }
    if (request.url === '/slow.yaml') return void response.write('type: object\n');
    response.statusCode = 404;
    response.end('not here');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function specReferencing(url: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-remote-'));
  const path = join(dir, 'openapi.yaml');
  await writeFile(
    path,
    `openapi: 3.0.3\ninfo: { title: Remote, version: 1.0.0 }\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${url}'\n`,
  );
  return path;
}

async function diagnostics(run: Promise<unknown>): Promise<readonly Diagnostic[]> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the spec to be refused');
}

describe('remote references', () => {
  it('are refused by default, at the $ref, saying how to allow them, and nothing is fetched', async () => {
    const before = requests.length;
    const [refused, ...rest] = await diagnostics(loadSpec(await specReferencing(`${base}/thing.yaml`)));
    expect(rest).toEqual([]);
    expect(refused).toMatchObject({ code: 'SCF008', location: { pointer: '#/paths/~1things/get/responses/200/content/application~1json/schema', line: 13 } });
    expect(refused!.message).toContain(`${base}/thing.yaml`);
    expect(refused!.hint).toContain('--allow-remote-refs');
    expect(requests.length).toBe(before);
  });

  it('are fetched and bundled with --allow-remote-refs', async () => {
    const spec = await loadSpec(await specReferencing(`${base}/thing.yaml`), { allowRemoteRefs: true });
    expect(JSON.stringify(spec.document)).toContain('"id":{"type":"string"}');
  });

  it('stop at 16 MiB of body, whatever the server sends', async () => {
    const [refused] = await diagnostics(loadSpec(await specReferencing(`${base}/endless.yaml`), { allowRemoteRefs: true }));
    expect(refused).toMatchObject({ code: 'SCF008' });
    expect(refused!.message).toMatch(/larger than the limit of 16 MiB/);
  });

  it('report an error status', async () => {
    const [refused] = await diagnostics(loadSpec(await specReferencing(`${base}/nowhere.yaml`), { allowRemoteRefs: true }));
    expect(refused).toMatchObject({ code: 'SCF008', message: `${base}/nowhere.yaml: the server answered 404 Not Found` });
  });

  it('are parsed within the same limits as files (billion laughs from a server)', async () => {
    const [refused] = await diagnostics(loadSpec(await specReferencing(`${base}/laughs.yaml`), { allowRemoteRefs: true }));
    expect(refused).toMatchObject({ code: 'SCF014', location: { file: `${base}/laughs.yaml` } });
  });

  it('time out: a body that never ends is abandoned', async () => {
    const started = Date.now();
    expect(await fetchDocument(`${base}/slow.yaml`, { maxBytes: 1024, timeoutMs: 300 })).toEqual({ ok: false, reason: 'no complete answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('of other schemes are never read, even allowed', async () => {
    const [refused] = await diagnostics(loadSpec(await specReferencing('file:///etc/passwd'), { allowRemoteRefs: true }));
    expect(refused).toMatchObject({ code: 'SCF008' });
    expect(refused!.message).toContain('file: references are never read');
  });
});
