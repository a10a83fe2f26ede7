import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../src/engine.js';
import { exampleSpec } from '../../support/fixtures.js';

describe('idempotency keys without a database', () => {
  it('are not served (no middleware, no table, nothing on the routes), and the report keeps the rule in prose', async () => {
    const out = await mkdtemp(join(tmpdir(), 'scaffold-idempotency-'));
    try {
      await generate({ spec: exampleSpec('ecommerce'), out, name: 'shop', models: undefined, persistence: 'none', dryRun: false, force: false });
      expect(existsSync(join(out, 'src', 'middlewares', 'idempotency.ts'))).toBe(false);
      expect(existsSync(join(out, 'migrations'))).toBe(false);
      expect(await readFile(join(out, 'src', 'controllers', 'routes.gen.ts'), 'utf8')).not.toContain('idempotency:');
      expect(await readFile(join(out, 'src', 'app.ts'), 'utf8')).not.toContain('registerIdempotencyKeys');
      expect(await readFile(join(out, '.env.example'), 'utf8')).not.toContain('IDEMPOTENCY_TTL_SECONDS');
      const report = await readFile(join(out, '.scaffold', 'report.md'), 'utf8');
      expect(report).toContain('Send an \\`Idempotency-Key\\` to make retries safe. (not declared: idempotency)');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
