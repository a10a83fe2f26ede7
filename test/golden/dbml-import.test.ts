import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';

/**
 * The import path is proven by its output: examples/ecommerce/domain.dbml with its overlay
 * domain.overlay.yaml says what domain.yaml says, so the two generate the same project byte for byte.
 * Only `.scaffold/config.json` differs, in the one line that records which models file was used, and
 * with it that file's hash in the manifest.
 */
describe('the ecommerce example from DBML plus overlay', () => {
  it('generates exactly what domain.yaml generates', async () => {
    const run = async (models: string) => {
      const out = resolve(REPO_ROOT, 'test', '.cache', 'dbml-import', models.replace(/\W+/g, '-'));
      await rm(out, { recursive: true, force: true });
      const result = await generate({ spec: exampleSpec('ecommerce'), out, name: undefined, models: resolve(REPO_ROOT, 'examples', 'ecommerce', models), dryRun: false, force: false });
      const paths = [...result.files.map((f) => f.path), '.scaffold/manifest.json'].sort();
      return { out, paths };
    };
    const yaml = await run('domain.yaml');
    const dbml = await run('domain.overlay.yaml');
    expect(dbml.paths).toEqual(yaml.paths);
    expect(yaml.paths).toContain('migrations/0000_initial.sql');

    const differences: string[] = [];
    for (const path of yaml.paths) {
      const [a, b] = await Promise.all([readFile(join(yaml.out, path), 'utf8'), readFile(join(dbml.out, path), 'utf8')]);
      if (a === b) continue;
      const linesA = a.split('\n');
      const linesB = b.split('\n');
      expect(linesB.length, path).toBe(linesA.length);
      linesA.forEach((line, i) => {
        if (line !== linesB[i]) differences.push(`${path}: ${line.trim()} | ${linesB[i]?.trim() ?? ''}`);
      });
    }
    expect(differences).toHaveLength(2);
    expect(differences[0]).toBe('.scaffold/config.json: "models": "../../../../examples/ecommerce/domain.yaml", | "models": "../../../../examples/ecommerce/domain.overlay.yaml",');
    expect(differences[1]).toMatch(/^\.scaffold\/manifest\.json: "hash": "sha256:[0-9a-f]{64}" \| "hash": "sha256:[0-9a-f]{64}"$/);
    const manifest = JSON.parse(await readFile(join(dbml.out, '.scaffold', 'manifest.json'), 'utf8')) as { files: { path: string; hash: string }[] };
    expect(differences[1]).toContain(manifest.files.find((f) => f.path === '.scaffold/config.json')?.hash);
  });
});
