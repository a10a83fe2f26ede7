import { isRecord } from '../model/json-schema.js';
import type { JsonSchema } from '../model/types.js';
import { flatten, type SchemaLookup } from './error-template.js';
import { patternTester } from '../model/pattern.js';
import { fitLength, STRING_CANDIDATES } from './domain-samples.js';
import { patternSamples } from './pattern-sample.js';

/**
 * A value that validates against a schema, for the generated contract tests: the spec's own
 * examples and defaults first, else the smallest value its constraints allow. Returns undefined
 * when no value can be derived with confidence (a `pattern` without an example, say), and the
 * test that needs it is then not generated.
 */
export function sampleValue(schema: JsonSchema | undefined, lookup: SchemaLookup, depth = 0): unknown {
  if (schema === true || schema === undefined) return 'sample';
  if (schema === false || depth > 8) return undefined;
  const flat = flatten(schema, lookup, 0);
  if (!flat) return undefined;
  if (flat.const !== undefined) return flat.const;
  if (Array.isArray(flat.examples) && flat.examples.length > 0) return flat.examples[0];
  if (flat.default !== undefined) return flat.default;
  if (Array.isArray(flat.enum)) return flat.enum.find((v) => v !== null) ?? flat.enum[0];
  const alternatives = (flat.oneOf ?? flat.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && flat.type === undefined && !isRecord(flat.properties)) {
    for (const alternative of alternatives) {
      const value = sampleValue(alternative, lookup, depth + 1);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  const type = Array.isArray(flat.type) ? flat.type.find((t) => t !== 'null') : flat.type;
  switch (type ?? (isRecord(flat.properties) ? 'object' : undefined)) {
    case 'string':
      return sampleString(flat);
    case 'integer':
    case 'number':
      return sampleNumber(flat, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const item = sampleValue(flat.items as JsonSchema | undefined, lookup, depth + 1);
      const count = typeof flat.minItems === 'number' ? flat.minItems : 1;
      if (item === undefined) return count === 0 ? [] : undefined;
      return flat.uniqueItems === true && count > 1 ? undefined : Array.from({ length: Math.max(count, 1) }, () => item);
    }
    case 'object': {
      const properties = isRecord(flat.properties) ? flat.properties : {};
      const required = Array.isArray(flat.required) ? flat.required.map(String) : [];
      const value: Record<string, unknown> = {};
      for (const name of required) {
        const property = properties[name];
        const sample = property === undefined ? 'sample' : sampleValue(property as JsonSchema, lookup, depth + 1);
        if (sample === undefined) return undefined;
        value[name] = sample;
      }
      // Optional properties fill in until `minProperties` is met.
      const minProperties = typeof flat.minProperties === 'number' ? flat.minProperties : 0;
      for (const [name, property] of Object.entries(properties)) {
        if (Object.keys(value).length >= minProperties) break;
        if (name in value) continue;
        const sample = sampleValue(property as JsonSchema, lookup, depth + 1);
        if (sample !== undefined) value[name] = sample;
      }
      return Object.keys(value).length >= minProperties ? value : undefined;
    }
    default:
      return 'sample';
  }
}

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-01-15T09:30:00Z',
  date: '2024-01-15',
  time: '09:30:00Z',
  email: 'user@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  uri: 'https://example.com/resource',
  url: 'https://example.com/resource',
  'uri-reference': '/resource',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'c2FtcGxl',
  duration: 'P1D',
  password: 'correct-horse-battery-staple',
};

function sampleString(schema: Record<string, unknown>): string | undefined {
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const formatted = format ? FORMAT_SAMPLES[format] : undefined;
  if (typeof schema.pattern === 'string') {
    const pattern = schema.pattern;
    const matches = (value: string) => patternTester(pattern)?.test(value) === true && value.length >= min && value.length <= max;
    // A format's sample must match the pattern as it is; without a format, a common word that matches it
    // does, else a string made from the pattern.
    if (formatted !== undefined) return matches(formatted) ? formatted : undefined;
    const words = STRING_CANDIDATES.flatMap((word) => [word, word.toUpperCase()]).map((word) => fitLength(word, min, max));
    return [...words, ...patternSamples(pattern, { minLength: min, maxLength: max })].find(matches);
  }
  return fitLength(formatted ?? 'sample', min, max);
}

function sampleNumber(schema: Record<string, unknown>, integer: boolean): number | undefined {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined;
  let value = minimum ?? (maximum !== undefined ? Math.min(1, maximum) : 1);
  if (integer) value = Math.ceil(value);
  const multipleOf = typeof schema.multipleOf === 'number' ? schema.multipleOf : undefined;
  if (multipleOf !== undefined) value = Math.ceil(value / multipleOf) * multipleOf;
  if (maximum !== undefined && value > maximum) return undefined;
  return value;
}
