import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFingerprint } from '../../../src/cache/code-fingerprint.js';

async function codeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'scaffold-code-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe("the generator code's fingerprint", () => {
  const code = { 'emit/a.js': 'export const a = 1;\n', 'load/b.js': 'export const b = 2;\n' };

  it('is the same for the same code, wherever it lies, and ignores what is not code', async () => {
    const [one, other] = await Promise.all([codeTree(code), codeTree({ ...code, 'emit/a.js.map': '{}', 'notes.md': 'x' })]);
    expect(codeFingerprint(one)).toMatch(/^[0-9a-f]{40}$/);
    expect(codeFingerprint(other)).toBe(codeFingerprint(one));
  });

  it('changes with one character of any module, and with a module added or moved', async () => {
    const base = codeFingerprint(await codeTree(code));
    const variants = await Promise.all([
      codeTree({ ...code, 'load/b.js': 'export const b = 3;\n' }),
      codeTree({ ...code, 'plan/c.ts': 'export {};\n' }),
      codeTree({ 'emit/a.js': code['emit/a.js'], 'model/b.js': code['load/b.js'] }),
    ]);
    for (const root of variants) expect(codeFingerprint(root)).not.toBe(base);
  });
});
