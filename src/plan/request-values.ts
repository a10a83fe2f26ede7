import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { evaluate } from '../model/domain/expression.js';
import type { Entity, Field, ValueObject } from '../model/domain/types.js';
import { RESERVED_WORDS, stringLiteral } from '../model/naming.js';
import { patternTester } from '../model/pattern.js';
import type { JsonSchema, SchemaDefinition } from '../model/types.js';
import { fitLength, sampleValue as sampleFieldValue, STRING_CANDIDATES } from './domain-samples.js';
import { flatten, type SchemaLookup } from './error-template.js';
import { patternSamples, spelledPatternText, spellNumber, type LengthBounds } from './pattern-sample.js';
import { sampleValue } from './sample-value.js';

/**
 * Values for the requests of the generated API tests: each one valid for the spec (checked here, at
 * generation time, with the same validator settings the generated project uses) and for the domain
 * model (its constraints and invariants evaluated). Where no value can be found with confidence, the
 * caller generates no test.
 */

/** Does a value validate against a schema of the spec, as the generated project validates request bodies? */
export type SchemaCheck = (schema: JsonSchema, value: unknown) => boolean;

/** Spec patterns compile with the `u` flag where they can, without it otherwise (as in the generated project). */
const patternEngine = Object.assign(
  (pattern: string, flags: string): RegExp => {
    try {
      return new RegExp(pattern, flags);
    } catch {
      return new RegExp(pattern, flags.replace('u', ''));
    }
  },
  { code: 'new RegExp' },
);

export function createSchemaCheck(schemas: readonly SchemaDefinition[]): SchemaCheck {
  const ajv = new Ajv2020({ allErrors: false, coerceTypes: false, useDefaults: true, strict: false, validateSchema: false, code: { regExp: patternEngine } });
  addFormats.default(ajv, { mode: 'full' });
  // The spec's schemas are registered as the checked ones first reference them: a big spec has many
  // more than its tests use, and registering one costs a walk of it.
  const byId = new Map(schemas.map((definition) => [definition.id, definition]));
  const registered = new Set<string>();
  const register = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(register);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const definition = byId.get(value.split('#')[0]!);
        if (definition && !registered.has(definition.id)) {
          registered.add(definition.id);
          ajv.addSchema({ $id: definition.id, ...(typeof definition.schema === 'boolean' ? {} : definition.schema) });
          register(definition.schema);
        }
      } else register(value);
    }
  };
  const compiled = new Map<string, ValidateFunction | undefined>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) {
      try {
        register(schema);
        compiled.set(key, ajv.compile(schema));
      } catch {
        compiled.set(key, undefined);
      }
    }
    const validate = compiled.get(key);
    return validate !== undefined && validate(structuredClone(value)) === true;
  };
}

/**
 * A value as generated TypeScript: a JSON literal, a string made unique by the test's running number
 * `n`, a record created first (its id), an expression, or objects and arrays of these.
 */
export type Code =
  | { kind: 'literal'; value: unknown }
  | { kind: 'unique'; before: string; after: string; width?: number; digits?: string }
  | { kind: 'reference'; parent: string; serial: boolean }
  | { kind: 'expression'; code: string; sample: unknown }
  | { kind: 'object'; entries: [string, Code][] }
  | { kind: 'array'; items: Code[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** `object.name`, or `object["na-me"]`. */
export function access(object: string, name: string): string {
  return IDENTIFIER.test(name) && !RESERVED_WORDS.has(name) ? `${object}.${name}` : `${object}[${stringLiteral(name)}]`;
}

/** TypeScript text of a value; references read `<parents><name>.id`. */
export function renderCode(code: Code, parents = ''): string {
  switch (code.kind) {
    case 'literal':
      return code.value === undefined ? 'undefined' : JSON.stringify(code.value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
    case 'unique': {
      const escape = (text: string) => text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
      const number = code.digits !== undefined ? `spellNumber(n, ${stringLiteral(code.digits)}, ${code.width ?? 1})` : code.width === undefined ? 'n' : `String(n).padStart(${code.width}, '0')`;
      if (code.digits !== undefined && code.before === '' && code.after === '') return number;
      return `\`${escape(code.before)}\${${number}}${escape(code.after)}\``;
    }
    case 'reference':
      return `${parents}${code.parent}.id${code.serial ? ' as number' : ''}`;
    case 'expression':
      return code.code;
    case 'object':
      return `{ ${code.entries.map(([name, value]) => `${propertyKey(name)}: ${renderCode(value, parents)}`).join(', ')} }`;
    case 'array':
      return `[${code.items.map((item) => renderCode(item, parents)).join(', ')}]`;
  }
}

const SAMPLE_UUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

/** The value a Code stands for, with `n` and the ids of created records filled in with samples. */
export function instantiate(code: Code, n: number): unknown {
  switch (code.kind) {
    case 'literal':
      return code.value;
    case 'unique':
      return `${code.before}${code.digits !== undefined ? spellNumber(n, code.digits, code.width ?? 1) : code.width === undefined ? n : String(n).padStart(code.width, '0')}${code.after}`;
    case 'reference':
      return code.serial ? 1 : SAMPLE_UUID;
    case 'expression':
      return code.sample;
    case 'object':
      return Object.fromEntries(code.entries.map(([name, value]) => [name, instantiate(value, n)]));
    case 'array':
      return code.items.map((item) => instantiate(item, n));
  }
}

/** Running numbers a unique value is checked with: the first of a file, and one far beyond what a file uses. */
export const RUNNING_NUMBERS = [1, 98765];

/** Does a value fit a field of the domain model (type, constraints)? Null fits an optional field. */
export function fitsField(field: Field, value: unknown): boolean {
  if (value === null) return !field.required;
  const c = field.constraints;
  const within = (v: number) => (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
  const text = (v: unknown) => {
    if (typeof v !== 'string') return false;
    const length = [...v].length;
    if (c.minLength !== undefined && length < c.minLength) return false;
    if (c.maxLength !== undefined && length > c.maxLength) return false;
    return c.pattern === undefined || patternTester(c.pattern)?.test(v) === true;
  };
  switch (field.type) {
    case 'string':
    case 'text':
      return text(value);
    case 'enum':
      return typeof value === 'string' && field.values.includes(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 && within(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && within(value);
    case 'decimal': {
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return false;
      const [whole = '', fraction = ''] = value.replace('-', '').split('.');
      if (c.scale !== undefined && fraction.length > c.scale) return false;
      return c.precision === undefined || whole.length <= c.precision - (c.scale ?? 0);
    }
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'uuid':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case 'json':
      return true;
    default:
      return false;
  }
}

/**
 * Values worth trying for a property: what its schema offers (defaults, enums, constants; the model
 * keeps no examples), the field's default, values and sample, common words, strings made to match its
 * patterns, then small variations of all these. The caller keeps the first that both sides accept.
 */
export function candidateValues(schema: JsonSchema, field: Field | undefined, valueObjects: Map<string, ValueObject>, lookup: SchemaLookup): unknown[] {
  const flat = flatten(schema, lookup, 0) ?? {};
  const found: unknown[] = [];
  if (Array.isArray(flat.examples)) found.push(...flat.examples);
  if (flat.example !== undefined) found.push(flat.example);
  if (flat.const !== undefined) found.push(flat.const);
  if (flat.default !== undefined) found.push(flat.default);
  if (Array.isArray(flat.enum)) found.push(...flat.enum);
  if (field) {
    if (field.default !== undefined) found.push(field.default);
    found.push(...field.values);
    const sample = sampleFieldValue(field, valueObjects)?.value;
    found.push(sample instanceof Date ? sample.toISOString() : sample);
  }
  found.push(sampleValue(schema, lookup));
  // Strings: the domain's sample words, cut to the lengths both sides allow, also in capitals (`EUR`, `DE`).
  const textual = field ? field.type === 'string' || field.type === 'text' : flat.type === 'string' || (Array.isArray(flat.type) && flat.type.includes('string'));
  if (textual && flat.enum === undefined && flat.format === undefined) {
    const lengths = [
      [field?.constraints.minLength, field?.constraints.maxLength],
      [flat.minLength, flat.maxLength],
    ].map(([min, max]) => [typeof min === 'number' ? min : 0, typeof max === 'number' ? max : Infinity] as const);
    const min = Math.max(...lengths.map(([m]) => m));
    const max = Math.min(...lengths.map(([, m]) => m));
    // Words that fit as they are come first (`EUR` before `sample` cut to `sam`).
    const fitted = STRING_CANDIDATES.map((word) => ({ word, value: fitLength(word, min, max) })).sort((a, b) => Number(a.word !== a.value) - Number(b.word !== b.value));
    for (const { value } of fitted) found.push(value, value.toUpperCase());
  }
  // Patterns (the spec's and the model's): strings made to match them within both sides' lengths, when nothing readable did.
  const bounds = textBounds(flat, field);
  for (const pattern of [flat.pattern, field?.constraints.pattern]) if (typeof pattern === 'string') found.push(...patternSamples(pattern, bounds));
  const variations = found.flatMap(vary);
  const seen = new Set<string>();
  return [...found, ...variations].filter((value) => {
    // A JSON field holds what the spec describes, a list or an object too (`permissions: ['users:read']`).
    if (value === undefined || (typeof value === 'object' && value !== null && field?.type !== 'json')) return false;
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Small changes of a value that keep its shape (`DE` -> `DF`, `7` -> `8`), for a second value that differs from the first. */
function vary(value: unknown): unknown[] {
  if (typeof value === 'boolean') return [!value];
  // A JSON list: the empty list differs from a filled one.
  if (Array.isArray(value)) return value.length > 0 ? [[]] : [];
  if (typeof value === 'number') return [value + 1, value - 1];
  if (typeof value !== 'string' || value.length === 0) return [];
  const last = value.charAt(value.length - 1);
  const next = /[a-yA-Y0-8]/.test(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : last === 'z' ? 'a' : last === 'Z' ? 'A' : last === '9' ? '0' : undefined;
  return [`${value}-2`, ...(next === undefined ? [] : [`${value.slice(0, -1)}${next}`]), `${value}x`];
}

/** The lengths both the spec's schema and the field allow. */
function textBounds(flat: Record<string, unknown>, field: Field | undefined): LengthBounds {
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const mins = [number(flat.minLength), field?.constraints.minLength].filter((v) => v !== undefined);
  const maxes = [number(flat.maxLength), field?.constraints.maxLength].filter((v) => v !== undefined);
  return { minLength: mins.length > 0 ? Math.max(...mins) : undefined, maxLength: maxes.length > 0 ? Math.min(...maxes) : undefined };
}

/**
 * A running number written into a pattern's own characters (`^[A-Z]{2,6}$` -> `spellNumber(n, 'AB...Z', 4)`),
 * for a unique string whose patterns leave no room for its decimal digits.
 */
export function spelledVariants(schema: JsonSchema, field: Field | undefined, lookup: SchemaLookup): Code[] {
  const flat = flatten(schema, lookup, 0) ?? {};
  const bounds = textBounds(flat, field);
  return [flat.pattern, field?.constraints.pattern].flatMap((pattern) => {
    const spelled = typeof pattern === 'string' ? spelledPatternText(pattern, bounds) : undefined;
    return spelled ? [{ kind: 'unique' as const, before: spelled.before, after: spelled.after, width: spelled.width, digits: spelled.digits }] : [];
  });
}

/**
 * Ways to make a string unique with a running number: before an `@` (e-mail addresses), at the end,
 * at the start, or in place of its last digits (`000-0000000000` -> `000-${n padded to 10}`).
 */
export function uniqueVariants(value: string): Code[] {
  const variants: Code[] = [];
  const at = value.indexOf('@');
  if (at > 0) variants.push({ kind: 'unique', before: value.slice(0, at), after: value.slice(at) });
  variants.push({ kind: 'unique', before: value, after: '' }, { kind: 'unique', before: '', after: value });
  const digits = /(\d{5,})(\D*)$/.exec(value);
  if (digits?.[1] !== undefined) variants.push({ kind: 'unique', before: value.slice(0, digits.index), after: digits[2] ?? '', width: digits[1].length });
  return variants;
}

/** Whether the entity's invariants hold for these field values (missing fields take samples). */
export function invariantsHold(entity: Entity, values: Record<string, unknown>, valueObjects: Map<string, ValueObject>): boolean {
  return entity.invariants.every((invariant) => evaluate(invariant.expression, completeValues(entity.fields, values, valueObjects)) === true);
}

export function valueObjectInvariantsHold(valueObject: ValueObject, values: Record<string, unknown>, valueObjects: Map<string, ValueObject>): boolean {
  return valueObject.invariants.every((invariant) => evaluate(invariant.expression, completeValues(valueObject.fields, values, valueObjects)) === true);
}

/** Field values as the rules see them: what was given, else the default, empty or a sample; dates as Date. */
export function completeValues(fields: Field[], values: Record<string, unknown>, valueObjects: Map<string, ValueObject>): Record<string, unknown> {
  const complete: Record<string, unknown> = { ...values };
  for (const field of fields) {
    const name = field.names.camel;
    if (name in values) {
      if (field.type === 'datetime' && typeof values[name] === 'string') complete[name] = new Date(values[name] as string);
      continue;
    }
    if (field.default !== undefined) complete[name] = field.default;
    else if (!field.required) complete[name] = null;
    else complete[name] = sampleFieldValue(field, valueObjects)?.value;
  }
  return complete;
}
