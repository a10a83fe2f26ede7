import { camelCase, kebabCase, pascalCase } from '../model/naming.js';

type Json = Record<string, unknown>;

/** An operation of the spec, with the resource it belongs to (its first tag, else its first path segment). */
export interface SpecOperation {
  path: string;
  method: string;
  operation: Json;
  resource: string;
  /** The names its scopes may carry: its resource's and its first path segment's (`projects`). */
  names: string[];
}

/** What an operation does, from its method and whether its path ends in a parameter. */
export type OperationKind = 'list' | 'create' | 'get' | 'update' | 'replace' | 'delete' | 'other';

export function operationKind(path: string, method: string): OperationKind {
  const item = /\/\{[^}]+\}$/.test(path);
  if (method === 'get') return item ? 'get' : 'list';
  if (method === 'post' && !item) return 'create';
  if (method === 'patch' && item) return 'update';
  if (method === 'put' && item) return 'replace';
  if (method === 'delete' && item) return 'delete';
  return 'other';
}

const isRead = (method: string) => method === 'get' || method === 'head';

/** A list response schema of the spec, and the item schema it holds (`ProjectPage` holding `Project`). */
export interface ListTemplate {
  /** The component's name; undefined for a schema written inline in the operation. */
  component: string | undefined;
  schema: Json;
  item: string;
}

/** What the spec's existing operations do, so that a new resource's operations do the same. */
export interface Conventions {
  /** The most common list response that wraps its items (a bare array is no convention to copy). */
  list: ListTemplate | undefined;
  /** Operation-level security for a new operation of `resource`; undefined: the spec's global security applies. */
  security(kind: OperationKind, method: string, resource: string): unknown[] | undefined;
  /** The error responses the existing operations of the same kind declare, by status. */
  errors(kind: OperationKind, method: string, resource: string): Map<string, unknown>;
  /** The scope renames `security` makes for `resource` (`projects:read` -> `tasks:read`), for the report. */
  scopeRenames(resource: string): [string, string][];
}

const SCHEMA_REF = '#/components/schemas/';

export function specOperations(paths: Record<string, Json>, methods: readonly string[]): SpecOperation[] {
  return Object.entries(paths).flatMap(([path, item]) =>
    methods
      .filter((method) => item?.[method])
      .map((method) => {
        const operation = item[method] as Json;
        const tag = Array.isArray(operation.tags) ? (operation.tags[0] as string | undefined) : undefined;
        const segment = kebabCase(path.split('/').filter(Boolean)[0] ?? '');
        const resource = tag === undefined ? segment : kebabCase(tag);
        return { path, method, operation, resource, names: [...new Set([resource, segment])] };
      }),
  );
}

export function findConventions(operations: SpecOperation[], schemas: Record<string, Json>): Conventions {
  // The operations a new one should look like: those of the same kind, else those that read (or write) too, else all.
  const peers = (kind: OperationKind, method: string) => {
    const same = operations.filter((o) => operationKind(o.path, o.method) === kind && kind !== 'other');
    if (same.length > 0) return same;
    const sameClass = operations.filter((o) => isRead(o.method) === isRead(method));
    return sameClass.length > 0 ? sameClass : operations;
  };
  return {
    list: mostCommonList(operations.filter((o) => operationKind(o.path, o.method) === 'list'), schemas),
    security(kind, method, resource) {
      const templates = peers(kind, method).map((o) => (Array.isArray(o.operation.security) ? JSON.stringify(templated(o.operation.security, o.names)) : undefined));
      const chosen = mostCommon(templates);
      return chosen === undefined ? undefined : (instantiated(JSON.parse(chosen), resource) as unknown[]);
    },
    errors(kind, method, resource) {
      const group = peers(kind, method);
      const byStatus = new Map<string, string[]>();
      for (const o of group) {
        for (const [status, response] of Object.entries((o.operation.responses ?? {}) as Record<string, unknown>)) {
          // 412 and 428 answer conditional headers (If-Match) a new operation does not take.
          if (!/^[45]/.test(status) || status === '412' || status === '428') continue;
          byStatus.set(status, [...(byStatus.get(status) ?? []), JSON.stringify(templated(response, o.names))]);
        }
      }
      const found = new Map<string, unknown>();
      // A status at least half of them declare is the convention; its most common response is the one copied.
      for (const [status, responses] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
        if (responses.length * 2 < group.length) continue;
        found.set(status, instantiated(JSON.parse(mostCommon(responses) as string), resource));
      }
      return found;
    },
    scopeRenames(resource) {
      const renames = new Map<string, string>();
      for (const o of operations) {
        const scopes = Array.isArray(o.operation.security) ? (o.operation.security as Json[]).flatMap((r) => Object.values(r ?? {}).flat()) : [];
        for (const scope of scopes) {
          if (typeof scope !== 'string') continue;
          const renamed = instantiated(templated(scope, o.names), resource) as string;
          // One example per new scope (`projects:read` and `members:read` both give `tasks:read`).
          if (renamed !== scope && ![...renames.values()].includes(renamed)) renames.set(scope, renamed);
        }
      }
      return [...renames];
    },
  };
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string | undefined, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  // The first seen wins a tie.
  for (const [value, count] of counts) {
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return best;
}

/**
 * The list response most of the spec's lists answer, when it wraps its items: a schema (a component,
 * or inline) holding one array of an item component, compared with that item left out.
 */
function mostCommonList(lists: SpecOperation[], schemas: Record<string, Json>): ListTemplate | undefined {
  const found = new Map<string, ListTemplate>();
  const signatures = lists.map((o) => {
    const responses = (o.operation.responses ?? {}) as Record<string, Json>;
    const success = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1];
    const schema = ((success?.content as Record<string, Json> | undefined)?.['application/json'])?.schema as Json | undefined;
    if (!schema) return undefined;
    const component = typeof schema.$ref === 'string' && schema.$ref.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : undefined;
    const body = component === undefined ? schema : schemas[component];
    if (!body || body.type === 'array') return 'array';
    const items = new Set(arrayItemRefs(body));
    if (items.size !== 1) return undefined;
    const item = [...items][0] as string;
    const signature = JSON.stringify(body).replaceAll(JSON.stringify(`${SCHEMA_REF}${item}`), '"<item>"');
    if (!found.has(signature)) found.set(signature, { component, schema: body, item });
    return signature;
  });
  const chosen = mostCommon(signatures);
  return chosen === undefined ? undefined : found.get(chosen);
}

/** The components referred to as the items of an array in `schema` (through properties and allOf, not other refs). */
function arrayItemRefs(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Json;
  const items = node.items as Json | undefined;
  const own = node.type === 'array' && typeof items?.$ref === 'string' && items.$ref.startsWith(SCHEMA_REF) ? [items.$ref.slice(SCHEMA_REF.length)] : [];
  const properties = Object.values((node.properties ?? {}) as Record<string, unknown>);
  const parts = Array.isArray(node.allOf) ? (node.allOf as unknown[]) : [];
  return [...own, ...[...properties, ...parts].flatMap(arrayItemRefs)];
}

/** A list template cloned for another item component (`ProjectPage` -> `TaskPage`). */
export function cloneList(template: ListTemplate, entity: string): { name: string | undefined; schema: Json } {
  const text = JSON.stringify(template.schema).replaceAll(JSON.stringify(`${SCHEMA_REF}${template.item}`), JSON.stringify(`${SCHEMA_REF}${entity}`));
  const name = template.component === undefined ? undefined : template.component.includes(template.item) ? template.component.replace(template.item, entity) : `${entity}${template.component}`;
  return { name, schema: JSON.parse(text) as Json };
}

/** The ways a name is written: `task-lists`, `task_lists`, `taskLists`, `TaskLists`. */
const FORMS: Record<string, (kebab: string) => string> = {
  kebab: (kebab) => kebab,
  snake: (kebab) => kebab.replace(/-/g, '_'),
  camel: (kebab) => camelCase(kebab),
  pascal: (kebab) => pascalCase(kebab),
};

/** The resource's names (plural and singular, in each form) as placeholders: `projects:read` -> `{plural.kebab}:read`. */
function templated(value: unknown, resources: string[]): unknown {
  const names = resources.flatMap((resource) =>
    Object.entries({ plural: kebabCase(resource), singular: singularOf(kebabCase(resource)) }).flatMap(([number, kebab]) =>
      Object.entries(FORMS).map(([form, write]) => ({ placeholder: `{${number}.${form}}`, word: write(kebab) })),
    ),
  );
  names.sort((a, b) => b.word.length - a.word.length);
  return mapStrings(value, (text) => names.reduce((written, { placeholder, word }) => written.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(word)}(?![A-Za-z0-9])`, 'g'), placeholder), text));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A templated value written for `resource`. */
function instantiated(value: unknown, resource: string): unknown {
  const kebab = { plural: kebabCase(resource), singular: singularOf(kebabCase(resource)) };
  return mapStrings(value, (text) => text.replace(/\{(plural|singular)\.(kebab|snake|camel|pascal)\}/g, (_, number: 'plural' | 'singular', form: string) => (FORMS[form] as (k: string) => string)(kebab[number])));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (typeof value === 'object' && value !== null) {
    // `$ref`s and keys name components and must stay as they are.
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, key === '$ref' ? v : mapStrings(v, map)]));
  }
  return value;
}

export function singularOf(resource: string): string {
  return resource.replace(/ies$/, 'y').replace(/(ss|x|ch|sh)es$/, '$1').replace(/([^s])s$/, '$1');
}
