import { evaluate } from '../model/domain/expression.js';
import type { Entity, Field, ValueObject } from '../model/domain/types.js';
import { pascalCase, stringLiteral } from '../model/naming.js';
import { patternTester } from '../model/pattern.js';
import { patternSamples } from './pattern-sample.js';

/**
 * Test data for the generated model tests: a valid input for each entity (every field constraint and
 * invariant checked here, at generation time, by evaluating the parsed rules) and, per rule, a change
 * that breaks it.
 */
export interface SampleField {
  name: string;
  /** The value as the rules see it. */
  value: unknown;
  /** The value as TypeScript. */
  code: string;
}

export interface Violation {
  title: string;
  /** Property text of the fields to change (`onHand: -1`). */
  patch: string;
  /** The `location` the ValidationError names. */
  location: string;
  /** The design's error code of a rule that has one (then the error is no ValidationError but carries the code). */
  code?: string;
}

export const STRING_CANDIDATES = ['sample', 'SAMPLE-1', 'EUR', 'ABC', 'DE', 'sample@example.com', '12345', 'a', 'x1'];
const SAMPLE_UUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

export function sampleFields(fields: Field[], valueObjects: Map<string, ValueObject>, fillOptional = false): SampleField[] | undefined {
  const samples: SampleField[] = [];
  for (const field of fields) {
    // An optional field is empty, unless asked to be filled (a rule may need it: `method != 'card' or cardToken != null`).
    const filled = fillOptional && !field.required && field.default === undefined ? sampleValue(field, valueObjects) : undefined;
    if (filled) {
      samples.push({ name: field.names.camel, ...filled });
      continue;
    }
    if (!field.required && field.default === undefined) {
      samples.push({ name: field.names.camel, value: null, code: 'null' });
      continue;
    }
    const sample = sampleValue(field, valueObjects);
    if (sample === undefined) return undefined;
    samples.push({ name: field.names.camel, ...sample });
  }
  return samples;
}

/** A value of one field that its own constraints allow (its default first), as the rules see it and as TypeScript. */
export function sampleValue(field: Field, valueObjects: Map<string, ValueObject>): { value: unknown; code: string } | undefined {
  if (field.default !== undefined) return { value: field.default, code: JSON.stringify(field.default) };
  const c = field.constraints;
  if (typeof field.type === 'object') {
    const valueObject = valueObjects.get(field.type.valueObject);
    const inner = valueObject && sampleFields(valueObject.fields, valueObjects);
    if (!valueObject || !inner) return undefined;
    const values = Object.fromEntries(inner.map((f) => [f.name, f.value]));
    if (!valueObject.invariants.every((i) => evaluate(i.expression, values) === true)) return undefined;
    return { value: values, code: `new ${pascalCase(valueObject.names.original)}({ ${inner.map((f) => `${f.name}: ${f.code}`).join(', ')} })` };
  }
  switch (field.type) {
    case 'enum':
      return { value: field.values[0], code: stringLiteral(field.values[0] ?? '') };
    case 'integer':
    case 'number': {
      const value = Math.max(c.min ?? 0, Math.min(c.max ?? Number.MAX_SAFE_INTEGER, c.min !== undefined ? c.min : 1));
      return { value, code: String(value) };
    }
    case 'bigint':
      return { value: 1, code: '1n' };
    case 'decimal':
      return { value: '1.00', code: "'1.00'" };
    case 'boolean':
      return { value: true, code: 'true' };
    case 'date':
      return { value: '2024-01-15', code: "'2024-01-15'" };
    case 'datetime':
      return { value: new Date('2024-01-15T09:30:00Z'), code: "new Date('2024-01-15T09:30:00Z')" };
    case 'uuid':
      return { value: SAMPLE_UUID, code: stringLiteral(SAMPLE_UUID) };
    case 'json':
      return { value: {}, code: '{}' };
    default: {
      const words = STRING_CANDIDATES.map((candidate) => fitLength(candidate, c.minLength, c.maxLength));
      // A pattern no common word fits: a string made from the pattern, within the field's lengths.
      const made = c.pattern === undefined ? [] : patternSamples(c.pattern, { minLength: c.minLength, maxLength: c.maxLength });
      const value = [...words, ...made].find((candidate) => c.pattern === undefined || patternTester(c.pattern)?.test(candidate) === true);
      return value === undefined ? undefined : { value, code: stringLiteral(value) };
    }
  }
}

export function fitLength(value: string, min = 0, max = Infinity): string {
  const padded = value.length < min ? value.padEnd(min, 'x') : value;
  return padded.length > max ? padded.slice(0, max) : padded;
}

/** One change per rule that breaks it, where one can be found by trying a few values. */
export function violations(entity: Entity, sample: SampleField[]): Violation[] {
  const values = Object.fromEntries(sample.map((f) => [f.name, f.value]));
  const found: Violation[] = [];
  for (const field of entity.fields) {
    const name = field.names.camel;
    const c = field.constraints;
    if (c.min !== undefined) found.push({ title: `${name} below ${c.min}`, patch: `${name}: ${c.min - 1}`, location: name });
    if (c.max !== undefined) found.push({ title: `${name} above ${c.max}`, patch: `${name}: ${c.max + 1}`, location: name });
    if (c.maxLength !== undefined) found.push({ title: `${name} longer than ${c.maxLength}`, patch: `${name}: ${stringLiteral('x'.repeat(c.maxLength + 1))}`, location: name });
    if (c.minLength !== undefined && c.minLength > 0) found.push({ title: `${name} shorter than ${c.minLength}`, patch: `${name}: ${stringLiteral('x'.repeat(c.minLength - 1))}`, location: name });
  }
  const numericFields = entity.fields.filter((f) => f.type === 'integer' || f.type === 'number');
  const optionalFields = entity.fields.filter((f) => !f.required && values[f.names.camel] !== null);
  for (const invariant of entity.invariants) {
    // An optional field left empty, where that alone breaks the invariant.
    const emptied = optionalFields.find((f) => evaluate(invariant.expression, { ...values, [f.names.camel]: null }) === false);
    if (emptied) {
      found.push({ title: `breaking "${invariant.name}"`, patch: `${emptied.names.camel}: null`, location: invariant.name, ...(invariant.violation && { code: invariant.violation.code }) });
      continue;
    }
    // A value that breaks the invariant alone, within the field's own bounds, so the test shows the rule at work.
    search: for (const field of numericFields) {
      const { min = -Infinity, max = Infinity } = field.constraints;
      for (const candidate of [-1, 0, 1, 1_000_000].filter((v) => v >= min && v <= max)) {
        if (evaluate(invariant.expression, { ...values, [field.names.camel]: candidate }) === false) {
          found.push({ title: `breaking "${invariant.name}"`, patch: `${field.names.camel}: ${candidate}`, location: invariant.name, ...(invariant.violation && { code: invariant.violation.code }) });
          break search;
        }
      }
    }
  }
  return found;
}

/**
 * A sample that keeps the invariants: optional fields empty where they may be, filled only where an
 * invariant needs them (`method != 'card' or cardToken != null`); undefined when no value fits a field.
 */
export function invariantSample(entity: Entity, valueObjects: Map<string, ValueObject>): SampleField[] | undefined {
  const empty = sampleFields(entity.fields, valueObjects);
  if (!empty || sampleSatisfiesInvariants(entity, empty)) return empty;
  const filled = sampleFields(entity.fields, valueObjects, true);
  if (!filled || !sampleSatisfiesInvariants(entity, filled)) return empty;
  let sample = filled;
  for (const field of entity.fields.filter((f) => !f.required && f.default === undefined)) {
    const emptied = sample.map((f) => (f.name === field.names.camel ? { ...f, value: null, code: 'null' } : f));
    if (sampleSatisfiesInvariants(entity, emptied)) sample = emptied;
  }
  return sample;
}

export function sampleSatisfiesInvariants(entity: Entity, sample: SampleField[]): boolean {
  const values = Object.fromEntries(sample.map((f) => [f.name, f.value]));
  return entity.invariants.every((i) => evaluate(i.expression, values) === true);
}
