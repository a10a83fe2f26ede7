import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/engine.js';
import { exampleSpec } from '../../support/fixtures.js';

/** The petstore declares no error schema: every error body it answers is one scaffold writes. */
async function petstore(guidelines?: string): Promise<(path: string) => Promise<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-error-envelope-'));
  if (guidelines !== undefined) await writeFile(join(dir, 'guidelines.yaml'), guidelines);
  const out = join(dir, 'petstore');
  await generate({ spec: exampleSpec('petstore'), out, name: undefined, models: undefined, guidelines: guidelines === undefined ? undefined : join(dir, 'guidelines.yaml'), dryRun: false, force: false });
  return (path) => readFile(join(out, path), 'utf8');
}

describe('the guidelines errorEnvelope', () => {
  let plain: (path: string) => Promise<string>;
  let house: (path: string) => Promise<string>;
  beforeAll(async () => {
    [plain, house] = await Promise.all([petstore('errorEnvelope: false\n'), petstore()]);
  });

  it('false: the error body scaffold writes is a plain { code, message, details, requestId }', async () => {
    const body = await plain('src/utils/error-body.ts');
    const template = /export const PLAIN_ERROR_TEMPLATE: ErrorBodyTemplate = (\{[^;]*\});/.exec(body)?.[1];
    expect(template?.replace(/\s+/g, ' ')).toBe("{ code: { $fill: 'code' }, message: { $fill: 'message' }, details: { $fill: 'details' }, requestId: { $fill: 'requestId' }, }");
    expect(body).not.toMatch(/success|ENVELOPE/);
    expect(await plain('src/middlewares/error-handler.ts')).toContain('declared?.template ?? sharedErrorBody ?? PLAIN_ERROR_TEMPLATE');
  });

  it('false: the contract tests expect the plain body, and the architecture doc says so', async () => {
    const client = await plain('test/support/contract-client.ts');
    expect(client).toContain('sharedErrorSchemaId === undefined ? PLAIN_ERROR_SCHEMA');
    expect(client).toContain("not: { required: ['success'] }");
    expect(client).not.toContain('ENVELOPE_ERROR_SCHEMA');
    expect(await plain('docs/ARCHITECTURE.md')).toContain('else `{ code, message, details, requestId }`');
  });

  it('unset: the house envelope { success: false, error } as before', async () => {
    expect(await house('src/utils/error-body.ts')).toContain('export const ENVELOPE_ERROR_TEMPLATE: ErrorBodyTemplate = {\n  success: false,');
    expect(await house('src/middlewares/error-handler.ts')).toContain('declared?.template ?? sharedErrorBody ?? ENVELOPE_ERROR_TEMPLATE');
    expect(await house('test/support/contract-client.ts')).toContain("required: ['success', 'error']");
  });
});
