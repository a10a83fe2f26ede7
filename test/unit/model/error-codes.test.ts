import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { HOUSE_ERRORS, operationErrorCodes, specCodeTable } from '../../../src/model/error-codes.js';
import type { Operation } from '../../../src/model/types.js';
import { exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

async function operations(path: string, text?: string): Promise<Map<string, Operation>> {
  const { model } = buildModel(await loadSpec(path, text === undefined ? {} : { text }));
  return new Map(model.resources.flatMap((r) => r.operations.map((o) => [o.operationId, o] as const)));
}

const answered = (operation: Operation | undefined, status: number): Record<string, string> =>
  Object.fromEntries(operationErrorCodes(operation as Operation).filter((c) => c.status === status).map((c) => [c.houseCode, c.code]));

describe('error codes from the design', () => {
  it('takes the e-commerce spec`s codes: its examples, its descriptions, by meaning at 409', async () => {
    const ops = await operations(exampleSpec('ecommerce'));
    const update = ops.get('updateProduct');
    // The shared BadRequest example says VALIDATION_ERROR; the description says `409 VERSION_CONFLICT`.
    expect(answered(update, 400)).toEqual({ VALIDATION_FAILED: 'VALIDATION_ERROR' });
    expect(answered(update, 409)).toEqual({ VERSION_CONFLICT: 'VERSION_CONFLICT', INVALID_STATE: 'INVALID_ORDER_STATE', ALREADY_EXISTS: 'ALREADY_EXISTS', CONFLICT: 'CONFLICT' });
    expect(answered(update, 401)).toEqual({ AUTHENTICATION_REQUIRED: 'UNAUTHORIZED' });
    expect(answered(ops.get('cancelOrder'), 409)).toMatchObject({ INVALID_STATE: 'INVALID_ORDER_STATE' });
    // 422 INSUFFICIENT_STOCK names one rule: a missing reference keeps the house code.
    expect(answered(ops.get('setProductInventory'), 422)).toEqual({ UNPROCESSABLE_ENTITY: 'UNPROCESSABLE_ENTITY' });
    expect(specCodeTable(update as Operation)).toEqual({
      VALIDATION_FAILED: 'VALIDATION_ERROR',
      AUTHENTICATION_REQUIRED: 'UNAUTHORIZED',
      INVALID_STATE: 'INVALID_ORDER_STATE',
    });
    expect(operationErrorCodes(update as Operation).find((c) => c.houseCode === 'VERSION_CONFLICT')?.source).toBe('spec');
  });

  it('reads enums, examples by name, and prose; a catalogue code is used only when its name says the meaning', async () => {
    const spec = `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    post:
      operationId: createThing
      description: Refused with \`409 THING_NAME_TAKEN\` when the name is in use.
      responses:
        '201': { description: ok }
        '400':
          description: bad
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }
              examples:
                first: { $ref: '#/components/examples/Bad' }
        '404':
          description: missing
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }
        '409':
          description: conflict
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }
components:
  examples:
    Bad: { value: { code: BAD_INPUT, message: nope } }
  schemas:
    Problem:
      type: object
      properties:
        code: { type: string, enum: [BAD_INPUT, THING_NOT_FOUND, STALE_THING] }
        message: { type: string }
`;
    const create = (await operations(resolve(REPO_ROOT, 'inline.yaml'), spec)).get('createThing');
    expect(answered(create, 400)).toEqual({ VALIDATION_FAILED: 'BAD_INPUT' });
    expect(answered(create, 404)).toEqual({ NOT_FOUND: 'THING_NOT_FOUND' });
    expect(answered(create, 409)).toEqual({ VERSION_CONFLICT: 'STALE_THING', INVALID_STATE: 'INVALID_STATE', ALREADY_EXISTS: 'THING_NAME_TAKEN', CONFLICT: 'CONFLICT' });
    expect(create?.responses.find((r) => r.status === '409')?.codes).toEqual({ stated: ['THING_NAME_TAKEN'], catalogue: ['BAD_INPUT', 'THING_NOT_FOUND', 'STALE_THING'] });
  });

  it('prefers the response`s code to one the operation`s prose names for a single rule', async () => {
    const ops = await operations(exampleSpec('user-management'));
    // refreshToken: "`401 REFRESH_TOKEN_REUSED`" is one rule; a missing or invalid token is the Unauthorized response's UNAUTHORIZED.
    expect(answered(ops.get('refreshToken'), 401)).toEqual({ AUTHENTICATION_REQUIRED: 'UNAUTHORIZED' });
  });

  it('keeps the house codes where the spec documents none', async () => {
    const ops = await operations(exampleSpec('petstore'));
    expect([...ops.values()].flatMap((o) => operationErrorCodes(o)).filter((c) => c.source === 'spec')).toEqual([]);
  });

  it('knows every error class of the generated project by its house code', async () => {
    const template = await readFile(resolve(REPO_ROOT, 'templates/project/src/errors/app-error.ts.hbs'), 'utf8');
    const codes = [...template.matchAll(/readonly code(?:: string)? = '([A-Z_]+)'/g)].map((m) => m[1]);
    for (const error of HOUSE_ERRORS) expect(codes).toContain(error.code);
  });
});
