import { describe, expect, it } from 'vitest';
import { createSchemaConverter, type SchemaView } from '../../../src/model/json-schema.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';

function converter(version: '3.0' | '3.1') {
  const diagnostics: Diagnostic[] = [];
  const convert = createSchemaConverter({
    version,
    componentIdFor: (name: string, view: SchemaView) => (view === 'request' && name === 'Pet' ? 'Pet.request' : name),
    resolvePointer: () => ({ type: 'string' }),
    diagnostics,
  });
  return { convert: (schema: unknown, view: SchemaView = 'neutral') => convert.convert(schema, view, '/x'), diagnostics };
}

describe('OpenAPI schemas become JSON Schema 2020-12', () => {
  it('turns 3.0 nullable into a type union, and adds null to an enum', () => {
    const { convert } = converter('3.0');
    expect(convert({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(convert({ type: 'string', enum: ['a'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
  });

  it('wraps nullable without a type (a $ref or allOf) in anyOf', () => {
    const { convert } = converter('3.0');
    expect(convert({ allOf: [{ $ref: '#/components/schemas/Pet' }], nullable: true })).toEqual({
      anyOf: [{ allOf: [{ $ref: 'Pet' }] }, { type: 'null' }],
    });
  });

  it('turns boolean exclusive bounds into numeric ones', () => {
    const { convert } = converter('3.0');
    expect(convert({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 9,
    });
  });

  it('points component refs at registered ids, sub-paths included', () => {
    const { convert } = converter('3.1');
    expect(convert({ $ref: '#/components/schemas/Pet/properties/name' })).toEqual({ $ref: 'Pet#/properties/name' });
  });

  it('ignores $ref siblings in 3.0 but keeps them in 3.1', () => {
    expect(converter('3.0').convert({ $ref: '#/components/schemas/Pet', maxLength: 3 })).toEqual({ $ref: 'Pet' });
    expect(converter('3.1').convert({ $ref: '#/components/schemas/Pet', maxLength: 3 })).toEqual({ maxLength: 3, allOf: [{ $ref: 'Pet' }] });
  });

  it('refuses readOnly properties in requests and drops writeOnly ones from responses', () => {
    const schema = { type: 'object', required: ['id', 'password', 'name'], properties: { id: { type: 'integer', readOnly: true }, password: { type: 'string', writeOnly: true }, name: { type: 'string' } } };
    const { convert } = converter('3.0');
    expect(convert(schema, 'request')).toEqual({
      type: 'object',
      required: ['password', 'name'],
      properties: { id: false, password: { type: 'string', writeOnly: true }, name: { type: 'string' } },
    });
    expect(convert(schema, 'response')).toEqual({
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } },
    });
  });

  it('drops OpenAPI-only keywords, unknown formats and invalid patterns (with a warning)', () => {
    const { convert, diagnostics } = converter('3.0');
    expect(convert({ type: 'string', format: 'phone', example: 'x', xml: { name: 'a' }, 'x-foo': 1, pattern: '(' })).toEqual({ type: 'string' });
    expect(diagnostics.map((d) => d.code)).toEqual(['SCF105']);
  });
});

describe('visibility through references', () => {
  it('treats a property referencing a readOnly schema as readOnly', () => {
    const diagnostics: Diagnostic[] = [];
    const { convert } = createSchemaConverter({
      version: '3.0',
      componentIdFor: (name) => name,
      resolvePointer: (ref) => (ref === '#/components/schemas/Links' ? { type: 'object', readOnly: true } : {}),
      diagnostics,
    });
    const schema = { type: 'object', required: ['name', 'links'], properties: { name: { type: 'string' }, links: { $ref: '#/components/schemas/Links' } } };
    expect(convert(schema, 'request', '/x')).toEqual({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, links: false } });
  });
});

describe('patterns from many regex dialects', () => {
  it('keeps patterns that compile with or without the unicode flag', async () => {
    const { compilePattern } = await import('../../../src/model/pattern.js');
    expect(compilePattern('^\\p{L}+$')?.test('été')).toBe(true);
    expect(compilePattern('^\\d{3}\\-\\d{4}$')?.test('555-1234')).toBe(true);
    expect(compilePattern('(')).toBeUndefined();
  });
});
