import type { ErrorObject } from 'ajv';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { unknownFieldType } from './field-types.js';

type Path = (string | number)[];

/**
 * The schema's patterns in words, so a message never shows a regular expression. A test checks that
 * every pattern of schemas/domain-model.schema.json has its words here.
 */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  '^[A-Z][A-Za-z0-9]{0,62}$': 'must start with a capital letter and hold only letters and digits (at most 63)',
  '^[a-z][A-Za-z0-9]{0,62}$': 'must start with a lowercase letter and hold only letters and digits (at most 63)',
  '^[a-z][a-z0-9_]{0,62}$': 'must be lowercase letters, digits and underscores, starting with a letter (at most 63)',
  '^[A-Za-z0-9_.-]+$': 'may hold only letters, digits, "_", "." and "-"',
  '^[a-z][a-z0-9-]*$': 'must be lowercase letters, digits and dashes, starting with a letter',
  '^[A-Z][A-Z0-9_]*$': 'must be an error code: capital letters, digits and underscores, starting with a letter (CUSTOMER_HAS_OPEN_ORDERS)',
  '\\.(dbml|sql)$': 'must name a .dbml or .sql file',
  '^(sum\\([a-z][A-Za-z0-9]*\\.[a-z][A-Za-z0-9]*\\)|[a-z][A-Za-z0-9]*\\.[a-z][A-Za-z0-9]*)$': 'must be "relation.field" (copy a field of the referenced entity) or "sum(relation.field)"',
  '^(string|text|integer|bigint|decimal|number|boolean|date|datetime|uuid|json|enum|[A-Z][A-Za-z0-9]*)$': 'must be a scalar type or the name of a value object',
  '^[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*$': 'must be "Gateway.operation" (PaymentGateway.charge)',
};

/** What the members under each key of the model are called, for a name that breaks its pattern. */
const MEMBER_KINDS: Readonly<Record<string, string>> = {
  entities: 'entity',
  valueObjects: 'value object',
  fields: 'field',
  relations: 'relation',
  computed: 'computed value',
  transitions: 'transition',
  mapping: 'mapping',
};

/**
 * Ajv's errors for a domain model as diagnostics in plain words: the location says where (once), the
 * message says what in the model's own terms (`"kind" of relation "customer" of Order must be one of
 * ...`). A field type no scalar or value object is spelled like is the model check's SCF031, word for word.
 */
export function schemaErrorsOf(errors: readonly ErrorObject[], document: unknown, locate: (path: Path) => SourceLocation): Diagnostic[] {
  const valueObjects = Object.keys(recordAt(document, ['valueObjects']));
  return errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'propertyNames')
    .map((e) => {
      const path = segmentsOf(e.instancePath, document);
      const typedField = fieldOfType(path);
      if (e.keyword === 'pattern' && typedField && e.propertyName === undefined) return unknownFieldType(typedField, String(valueAt(document, path)), valueObjects, locate(path));
      if (e.propertyName !== undefined) return error('SCF030', `${nameOf(path, e.propertyName)} ${problemOf(e, document, path)}`, locate([...path, e.propertyName]));
      return error('SCF030', `${describe(path)} ${problemOf(e, document, path)}`, locate(path));
    });
}

/** Whether every diagnostic is one the model check gives too (an unknown field type), so the check may report them with the rest. */
export function onlyUnknownFieldTypes(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.every((d) => d.code === 'SCF031');
}

function problemOf(e: ErrorObject, document: unknown, path: Path): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'pattern':
      return PATTERN_WORDS[String(params.pattern)] ?? 'does not have the form docs/domain-model.md gives';
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = String(e.propertyName ?? valueAt(document, path));
      return `must be one of ${allowed.join(', ')}, not "${value}"${didYouMean(value, allowed)}`;
    }
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `has unknown property "${property}"${didYouMean(property, known)}`;
    }
    case 'required':
      return `needs "${String(params.missingProperty)}"`;
    case 'dependentRequired':
      return `needs "${String(params.missingProperty)}" when it has "${String(params.property)}"`;
    case 'type':
      return `must be ${String(params.type).split(',').map(article).join(' or ')}`;
    case 'minProperties':
      return `needs at least ${count(Number(params.limit), 'entry', 'entries')}`;
    case 'minItems':
      return `needs at least ${count(Number(params.limit), 'item', 'items')}`;
    case 'uniqueItems':
      return `has the same item twice (items ${Number(params.j) + 1} and ${Number(params.i) + 1})`;
    case 'minimum':
    case 'maximum':
      return `must be at ${e.keyword === 'minimum' ? 'least' : 'most'} ${String(params.limit)}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `needs at least ${count(Number(params.limit), 'character', 'characters')}`;
    default:
      return e.message ?? 'is invalid';
  }
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function article(type: string): string {
  return type === 'integer' || type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

/** `field name "Total" of Order` for a name under `/entities/Order/fields`. */
function nameOf(container: Path, name: string): string {
  const kind = MEMBER_KINDS[String(container.at(-1))] ?? 'name';
  const owner = container.length > 1 ? describe(container.slice(0, -1)) : '';
  return `${kind} name "${name}"${owner && owner !== 'the model' ? ` of ${owner}` : ''}`;
}

/**
 * A place of the model in words, innermost first: `/entities/Order/relations/customer/kind` is
 * `"kind" of relation "customer" of Order`.
 */
function describe(path: Path): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const key = path[i];
    const next = path[i + 1];
    if (i === 0 && (key === 'entities' || key === 'valueObjects') && next !== undefined) {
      parts.push(key === 'entities' ? String(next) : `value object ${String(next)}`);
      i += 1;
    } else if (key === 'mapping' && next !== undefined) {
      parts.push(`mapping of "${String(next)}"`);
      i += 1;
    } else if ((key === 'fields' || key === 'relations' || key === 'computed' || key === 'transitions') && next !== undefined && i > 0) {
      parts.push(`${MEMBER_KINDS[key]} "${String(next)}"`);
      i += 1;
    } else if ((key === 'invariants' || key === 'indexes') && typeof next === 'number') {
      parts.push(`${key === 'invariants' ? 'invariant' : 'index'} ${next + 1}`);
      i += 1;
    } else if (key === 'stateMachine') parts.push('the state machine');
    else if (typeof key === 'number') parts.push(`item ${key + 1}`);
    else parts.push(`"${key}"`);
  }
  return parts.length === 0 ? 'the model' : parts.reverse().join(' of ');
}

/** The field whose `type` the path is (`/entities/Task/fields/ref/type` -> `ref`). */
function fieldOfType(path: Path): string | undefined {
  return path.length === 5 && (path[0] === 'entities' || path[0] === 'valueObjects') && path[2] === 'fields' && path[4] === 'type' ? String(path[3]) : undefined;
}

/** The path of a JSON pointer, an index into an array as a number. */
function segmentsOf(instancePath: string, document: unknown): Path {
  const path: Path = [];
  for (const segment of instancePath.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(Array.isArray(valueAt(document, path)) ? Number(key) : key);
  }
  return path;
}

function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

function recordAt(value: unknown, path: Path): Record<string, unknown> {
  const node = valueAt(value, path);
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
}
