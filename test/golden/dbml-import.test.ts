import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { exampleSpec, REPO_ROOT } from '../support/fixtures.js';

/**
 * The import path is proven by its output: examples/ecommerce/domain.dbml with its overlay
 * domain.overlay.yaml says what domain.yaml says, so the two generate the same project byte for byte.
 * Only the two files that name the models file differ, each in that one line: `.scaffold/config.json`
 * (which records it) and `.scaffold/report.md` (which names its sources); with them, their hashes in
 * the manifest.
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
    const manifest = JSON.parse(await readFile(join(dbml.out, '.scaffold', 'manifest.json'), 'utf8')) as { files: { path: string; hash: string }[] };
    const hashOf = (path: string) => manifest.files.find((f) => f.path === path)?.hash ?? `no hash of ${path}`;
    const hashLine = /^\.scaffold\/manifest\.json: "hash": "sha256:[0-9a-f]{64}" \| "hash": "sha256:[0-9a-f]{64}"$/;
    expect(differences).toHaveLength(4);
    expect(differences[0]).toBe('.scaffold/config.json: "models": "../../../../examples/ecommerce/domain.yaml", | "models": "../../../../examples/ecommerce/domain.overlay.yaml",');
    // The manifest's two hash lines, in its order of entries: those of report.md and config.json.
    const hashLines = differences.slice(1, 3);
    for (const line of hashLines) expect(line).toMatch(hashLine);
    expect(hashLines.map((line) => line.split(' | ')[1]).sort()).toEqual([`"hash": "${hashOf('.scaffold/config.json')}"`, `"hash": "${hashOf('.scaffold/report.md')}"`].sort());
    expect(differences[3]).toMatch(/^\.scaffold\/report\.md: Written by scaffold on every generation from openapi\.yaml and domain\.yaml; do not edit\. \| Written by scaffold on every generation from openapi\.yaml and domain\.overlay\.yaml; do not edit\.$/);
  });
});
