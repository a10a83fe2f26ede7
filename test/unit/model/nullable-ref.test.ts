import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { createSchemaConverter } from '../../../src/model/json-schema.js';

const converter = createSchemaConverter({
  version: '3.1',
  componentIdFor: (name) => name,
  resolvePointer: () => ({ type: 'string' }),
  diagnostics: [] as Diagnostic[],
});

describe('`nullable` beside a $ref in a 3.1 document (codat.io)', () => {
  it('admits null or the referenced schema', () => {
    expect(converter.convert({ $ref: '#/components/schemas/Currency', nullable: true }, 'neutral', '/x')).toEqual({
      anyOf: [{ $ref: 'Currency' }, { type: 'null' }],
    });
  });

  it('keeps the other siblings on the non-null branch', () => {
    expect(converter.convert({ $ref: '#/components/schemas/Currency', nullable: true, maxLength: 3 }, 'neutral', '/x')).toEqual({
      anyOf: [{ maxLength: 3, allOf: [{ $ref: 'Currency' }] }, { type: 'null' }],
    });
  });
});
