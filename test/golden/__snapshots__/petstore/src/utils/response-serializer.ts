/**
 * Response bodies are serialized by fast-json-stringify, which is fast and sends only what the
 * schema declares. Some schemas it cannot compile, and for those the body is stripped of what the
 * schema does not declare and then JSON.stringify'd, with `fallback` saying why (logged at startup):
 * - it merges allOf parts and anyOf branches keyword by keyword and refuses `integer` with `number`,
 *   two formats, or types that exclude each other, all of which real specs contain;
 * - it looks for recursion by walking every path through the referenced schemas, which is exponential
 *   on densely cross-referenced specs (Stripe's take minutes), so past a budget it is not tried;
 * - it tests every key of an object against its `patternProperties` with a native RegExp, so a schema
 *   with a key that can backtrack super-linearly (`^(a+)+$`) would let a stored key block the server.
 *
 * This module is scaffold's own (src/shared/response-serializer.ts), copied verbatim into every
 * generated project, and it imports nothing: the generator runs the same decision on the same schemas
 * and reports each response that will take the fallback as a warning (SCF012) before the server ever
 * starts.
 */
export interface ResponseSerializer {
  serialize(data: unknown): string;
  fallback?: string;
}

/** A JSON Schema as the routes declare it (the same type as JsonSchema of src/controllers/operation-route.ts). */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

/** fast-json-stringify's build function, typed for plain JSON Schema (its own types want one interface per `type`). */
export type BuildSerializer = (
  schema: JsonSchema,
  options: { schema: Record<string, unknown> },
) => (data: unknown) => string;

/** Paths walked through a schema and its references; ordinary specs stay below a few thousand. */
export const SERIALIZER_PATH_BUDGET = 20_000;

/** Per set of registered schemas: the schemas by id, and the ids already found over the budget. */
const graphs = new WeakMap<readonly { $id: string }[], { byId: Map<string, unknown>; overBudget: Set<string> }>();

/**
 * The serializer of one response schema: fast-json-stringify's, or the fallback and why. A reference
 * found over the budget is remembered per set of registered schemas, so that later schemas reaching
 * it are not walked again: the decisions depend on the order of the calls, which is the order in which
 * Fastify compiles the routes' responses (and the generator follows it).
 */
export function compileResponseSerializer(
  schema: JsonSchema,
  schemas: readonly { $id: string }[],
  build: BuildSerializer,
  buildFallback: (schema: JsonSchema) => (data: unknown) => string,
  backtracks: (pattern: string) => boolean = () => false,
): ResponseSerializer {
  let graph = graphs.get(schemas);
  if (graph === undefined) {
    graph = { byId: new Map<string, unknown>(schemas.map((s) => [s.$id, s])), overBudget: new Set<string>() };
    graphs.set(schemas, graph);
  }
  const { byId, overBudget } = graph;
  const stringify = (data: unknown): string => fallback(data);
  let compiledFallback: ((data: unknown) => string) | undefined;
  const fallback = (data: unknown): string => (compiledFallback ??= buildFallback(schema))(data);
  const { steps, referenced, patternKeys } = walkSchemaPaths(schema, byId, SERIALIZER_PATH_BUDGET, overBudget);
  if (steps > SERIALIZER_PATH_BUDGET) {
    // A schema that is just a reference: whatever else reaches that schema is over the budget too.
    if (typeof schema === 'object' && typeof schema.$ref === 'string' && Object.keys(schema).length === 1)
      overBudget.add(schema.$ref);
    return {
      serialize: stringify,
      fallback: `its schema has more than ${SERIALIZER_PATH_BUDGET} paths through references, too many to try fast-json-stringify`,
    };
  }
  const backtracking = [...patternKeys].find(backtracks);
  if (backtracking !== undefined) {
    return {
      serialize: stringify,
      fallback: `its patternProperties key ${JSON.stringify(backtracking)} can backtrack super-linearly, and fast-json-stringify would test every key of a body against it with a native RegExp`,
    };
  }
  try {
    // Only the schemas this one references: fast-json-stringify checks every external schema it is
    // given on every build, which with all of a large spec's components makes startup crawl.
    const external = Object.fromEntries([...referenced].map((id) => [id, byId.get(id)]));
    return { serialize: build(schema, { schema: external }) };
  } catch (error) {
    return {
      serialize: stringify,
      fallback: `fast-json-stringify cannot compile its schema: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/**
 * Walks every path through the schema and its references (cycles cut), up to `budget` steps, and
 * collects the ids of the registered schemas it reaches and the `patternProperties` keys it meets.
 */
export function walkSchemaPaths(
  root: unknown,
  byId: ReadonlyMap<string, unknown>,
  budget: number,
  overBudget: ReadonlySet<string> = new Set(),
): { steps: number; referenced: Set<string>; patternKeys: Set<string> } {
  let steps = 0;
  const referenced = new Set<string>();
  const patternKeys = new Set<string>();
  const onPath = new Set<unknown>();
  const resolve = (ref: string): unknown => {
    const [id = '', fragment = ''] = ref.split('#');
    if (byId.has(id)) referenced.add(id);
    let node = byId.get(id);
    for (const segment of fragment.split('/').filter(Boolean)) {
      node = isObject(node) ? node[decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return node;
  };
  const walk = (node: unknown): void => {
    if (steps > budget || !isObject(node) || onPath.has(node)) return;
    steps += 1;
    onPath.add(node);
    if (typeof node.$ref === 'string') {
      if (overBudget.has(node.$ref)) steps = budget + 1;
      else walk(resolve(node.$ref));
    }
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === 'patternProperties' && isObject(value)) Object.keys(value).forEach((key) => patternKeys.add(key));
      if (SUBSCHEMA_MAPS.includes(keyword) && isObject(value)) Object.values(value).forEach(walk);
      else if (SUBSCHEMA_LISTS.includes(keyword) && Array.isArray(value)) value.forEach(walk);
      else if (SUBSCHEMAS.includes(keyword)) walk(value);
    }
    onPath.delete(node);
  };
  walk(root);
  return { steps, referenced, patternKeys };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fallback's safety net: a copy of `data` without the properties its schema does not declare
 * anywhere (through refs and every allOf/anyOf/oneOf branch), so a body never leaks more than the
 * spec shows, even where fast-json-stringify could not be used. Open objects keep everything.
 */
export function stripUndeclared(
  data: unknown,
  schema: unknown,
  byId: ReadonlyMap<string, unknown>,
  depth = 0,
): unknown {
  if (depth > 64 || data === null || typeof data !== 'object') return data;
  const parts = schemaParts(schema, byId, new Set());
  if (Array.isArray(data)) {
    const items = parts.flatMap((part) => (part.items === undefined ? [] : [part.items]));
    return items.length === 0 ? data : data.map((item) => stripUndeclared(item, { anyOf: items }, byId, depth + 1));
  }
  const declared = new Map<string, unknown[]>();
  let open = parts.length === 0;
  for (const part of parts) {
    if (part.additionalProperties !== undefined && part.additionalProperties !== false) open = true;
    if (part.patternProperties !== undefined) open = true;
    const properties = (part.properties ?? {}) as Record<string, unknown>;
    for (const [name, sub] of Object.entries(properties)) declared.set(name, [...(declared.get(name) ?? []), sub]);
  }
  if (declared.size === 0 && !parts.some((part) => part.properties !== undefined)) open = true;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    const subs = declared.get(name);
    if (subs) out[name] = stripUndeclared(value, { anyOf: subs }, byId, depth + 1);
    else if (open) out[name] = value;
  }
  return out;
}

/** The object-shaped parts of a schema: itself, its refs' targets and every composed branch. */
function schemaParts(
  schema: unknown,
  byId: ReadonlyMap<string, unknown>,
  seen: Set<unknown>,
): Record<string, unknown>[] {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return [];
  seen.add(schema);
  const record = schema as Record<string, unknown>;
  const parts: Record<string, unknown>[] = [record];
  if (typeof record.$ref === 'string') {
    const [id, pointer] = record.$ref.split('#');
    let target: unknown = byId.get(id ?? '');
    for (const segment of (pointer ?? '').split('/').filter(Boolean))
      target = (target as Record<string, unknown> | undefined)?.[segment];
    parts.push(...schemaParts(target, byId, seen));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const branches = record[key];
    if (Array.isArray(branches)) for (const branch of branches) parts.push(...schemaParts(branch, byId, seen));
  }
  return parts;
}
