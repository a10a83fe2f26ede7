import type { JsonSchema } from '../controllers/operation-route.js';

/**
 * Response bodies are serialized by fast-json-stringify, which is fast and sends only what the
 * schema declares. Some schemas it cannot compile, and for those the body goes through
 * JSON.stringify instead, with `fallback` saying why (the routes log it at startup):
 * - it merges allOf parts and anyOf branches keyword by keyword and refuses `integer` with `number`,
 *   two formats, or types that exclude each other, all of which real specs contain;
 * - it looks for recursion by walking every path through the referenced schemas, which is exponential
 *   on densely cross-referenced specs (Stripe's take minutes), so past a budget it is not tried.
 */
export interface ResponseSerializer {
  serialize(data: unknown): string;
  fallback?: string;
}

/** fast-json-stringify's build function, typed for plain JSON Schema (its own types want one interface per `type`). */
export type BuildSerializer = (
  schema: JsonSchema,
  options: { schema: Record<string, unknown> },
) => (data: unknown) => string;

/** Paths walked through a schema and its references; ordinary specs stay below a few thousand. */
export const SERIALIZER_PATH_BUDGET = 20_000;

/** Per set of registered schemas: the schemas by id, and the ids already found over the budget. */
const graphs = new WeakMap<readonly { $id: string }[], { byId: Map<string, unknown>; overBudget: Set<string> }>();

export function compileResponseSerializer(
  schema: JsonSchema,
  schemas: readonly { $id: string }[],
  build: BuildSerializer,
): ResponseSerializer {
  let graph = graphs.get(schemas);
  if (graph === undefined) {
    graph = { byId: new Map<string, unknown>(schemas.map((s) => [s.$id, s])), overBudget: new Set<string>() };
    graphs.set(schemas, graph);
  }
  const { byId, overBudget } = graph;
  const stringify = (data: unknown): string => JSON.stringify(data);
  const { steps, referenced } = walkSchemaPaths(schema, byId, SERIALIZER_PATH_BUDGET, overBudget);
  if (steps > SERIALIZER_PATH_BUDGET) {
    // A schema that is just a reference: whatever else reaches that schema is over the budget too.
    if (typeof schema === 'object' && typeof schema.$ref === 'string' && Object.keys(schema).length === 1)
      overBudget.add(schema.$ref);
    return {
      serialize: stringify,
      fallback: `its schema has more than ${SERIALIZER_PATH_BUDGET} paths through references`,
    };
  }
  try {
    // Only the schemas this one references: fast-json-stringify checks every external schema it is
    // given on every build, which with all of a large spec's components makes startup crawl.
    const external = Object.fromEntries([...referenced].map((id) => [id, byId.get(id)]));
    return { serialize: build(schema, { schema: external }) };
  } catch (error) {
    return { serialize: stringify, fallback: error instanceof Error ? error.message : String(error) };
  }
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/**
 * Walks every path through the schema and its references (cycles cut), up to `budget` steps, and
 * collects the ids of the registered schemas it reaches.
 */
export function walkSchemaPaths(
  root: unknown,
  byId: ReadonlyMap<string, unknown>,
  budget: number,
  overBudget: ReadonlySet<string> = new Set(),
): { steps: number; referenced: Set<string> } {
  let steps = 0;
  const referenced = new Set<string>();
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
      if (SUBSCHEMA_MAPS.includes(keyword) && isObject(value)) Object.values(value).forEach(walk);
      else if (SUBSCHEMA_LISTS.includes(keyword) && Array.isArray(value)) value.forEach(walk);
      else if (SUBSCHEMAS.includes(keyword)) walk(value);
    }
    onPath.delete(node);
  };
  walk(root);
  return { steps, referenced };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
