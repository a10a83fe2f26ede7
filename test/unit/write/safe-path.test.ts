import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../../src/write/safe-path.js';

describe('writes stay inside the output directory', () => {
  it('resolves relative paths inside it', () => {
    expect(resolveInside('/tmp/out', 'src/app.ts')).toBe('/tmp/out/src/app.ts');
  });

  it.each(['../escape.ts', 'src/../../escape.ts', '/etc/passwd', 'a\0b', ''])('refuses %j (SCF021)', (path) => {
    expect(() => resolveInside('/tmp/out', path)).toThrow(/SCF021/);
  });
});
