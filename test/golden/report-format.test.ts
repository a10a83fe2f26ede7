import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/engine.js';
import { formatCode } from '../../src/emit/format-code.js';
import { REPORT_PATH } from '../../src/plan/generation-report.js';
import { ecommerceV2 } from '../support/ecommerce-v2.js';
import { exampleModels, exampleSpec, fixtureSpec, REPO_ROOT } from '../support/fixtures.js';

/**
 * `.scaffold/report.md` is written without prettier (on a large API its tables alone take prettier a
 * second), so the generator must write it exactly as prettier would: with warnings, stubs, inferred
 * entities and a list of API changes.
 */
describe('the generation report', () => {
  const root = resolve(REPO_ROOT, 'test', '.cache', 'report-format');
  const run = (spec: string, out: string, models?: string) => generate({ spec, out, name: 'report-check', models, dryRun: false, force: false });
  const report = (out: string) => readFile(join(out, REPORT_PATH), 'utf8');

  it.each([
    ['petstore (entities inferred)', exampleSpec('petstore'), undefined],
    ['hostile names (warnings)', fixtureSpec('hostile-names.yaml'), undefined],
    ['callbacks and webhooks (ignored constructs)', fixtureSpec('callbacks-webhooks.yaml'), undefined],
    ['prose-rules (rules in prose not implemented)', fixtureSpec('prose-rules.yaml'), undefined],
  ])('is as prettier formats it: %s', async (_name, spec, models) => {
    const out = join(root, _name.split(' ')[0]!);
    await rm(out, { recursive: true, force: true });
    await run(spec, out, models);
    const markdown = await report(out);
    expect(await formatCode(REPORT_PATH, markdown)).toBe(markdown);
  });

  it('is as prettier formats it after a regeneration that changed the API', async () => {
    const dir = join(root, 'ecommerce');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const [spec, domain] = [join(dir, 'openapi.yaml'), join(dir, 'domain.yaml')];
    const v1 = { spec: await readFile(exampleSpec('ecommerce'), 'utf8'), domain: await readFile(exampleModels('ecommerce')!, 'utf8') };
    await Promise.all([writeFile(spec, v1.spec), writeFile(domain, v1.domain)]);
    const out = join(dir, 'project');
    await run(spec, out, domain);
    const v2 = ecommerceV2(v1.spec, v1.domain);
    await Promise.all([writeFile(spec, v2.spec), writeFile(domain, v2.domain)]);
    await run(spec, out, domain);
    const markdown = await report(out);
    expect(markdown).toMatch(/breaking/i);
    expect(await formatCode(REPORT_PATH, markdown)).toBe(markdown);
  });
});
