import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../../src/diagnostics/diagnostic.js';
import { REPO_ROOT } from '../../support/fixtures.js';

describe('diagnostic codes', () => {
  it('are each documented in docs/diagnostics.md', async () => {
    const docs = await readFile(resolve(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
    const undocumented = Object.keys(DIAGNOSTIC_CODES).filter((code) => !new RegExp(`^## ${code}\\b`, 'm').test(docs));
    expect(undocumented).toEqual([]);
  });

  it('are the only ones documented (no stale entries)', async () => {
    const docs = await readFile(resolve(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
    const documented = [...docs.matchAll(/^## (SCF\d{3})\b/gm)].map((m) => m[1]);
    expect(documented.filter((code) => !(code !== undefined && code in DIAGNOSTIC_CODES))).toEqual([]);
  });
});
