import { isRecord } from '../json-schema.js';
import type { JsonSchema, SchemaDefinition } from '../types.js';

/**
 * Reading the intermediate model's JSON Schemas structurally: following references to components,
 * merging `allOf`, telling types apart. Enough to decide whether a body maps onto an entity.
 */
export interface SchemaReader {
  /** The schema with references followed (the component's own schema). */
  resolve(schema: JsonSchema | undefined): Record<string, unknown> | undefined;
  /** The component a schema refers to, as the spec names it (undefined: inline). */
  componentOf(schema: JsonSchema | undefined): string | undefined;
  /** Properties and required names of an object schema, through references and allOf. */
  objectShape(schema: JsonSchema | undefined): ObjectShape | undefined;
  /** The item schema of an array schema. */
  arrayItems(schema: JsonSchema | undefined): JsonSchema | undefined;
  valueType(schema: JsonSchema | undefined): ValueType;
}

export interface ObjectShape {
  properties: Map<string, JsonSchema>;
  required: Set<string>;
}

export interface ValueType {
  /** JSON types the schema allows (`integer` also allows `number` values that are whole). */
  types: Set<string>;
  nullable: boolean;
  format: string | undefined;
  enumValues: unknown[] | undefined;
}

export function createSchemaReader(schemas: readonly SchemaDefinition[]): SchemaReader {
  const byId = new Map(schemas.map((s) => [s.id, s]));

  const resolve = (schema: JsonSchema | undefined): Record<string, unknown> | undefined => {
    let current: unknown = schema;
    for (let hops = 0; isRecord(current) && typeof current.$ref === 'string' && hops < 16; hops += 1) {
      current = byId.get(current.$ref)?.schema;
    }
    return isRecord(current) ? current : undefined;
  };

  const componentOf = (schema: JsonSchema | undefined): string | undefined => {
    if (!isRecord(schema) || typeof schema.$ref !== 'string') return undefined;
    return byId.get(schema.$ref)?.specName;
  };

  const objectShape = (schema: JsonSchema | undefined, depth = 0): ObjectShape | undefined => {
    const resolved = resolve(schema);
    if (!resolved || depth > 8) return undefined;
    const shape: ObjectShape = { properties: new Map(), required: new Set() };
    let found = false;
    if (isRecord(resolved.properties)) {
      found = true;
      for (const [name, property] of Object.entries(resolved.properties)) shape.properties.set(name, property as JsonSchema);
    }
    if (Array.isArray(resolved.required)) for (const name of resolved.required) if (typeof name === 'string') shape.required.add(name);
    if (Array.isArray(resolved.allOf)) {
      for (const part of resolved.allOf) {
        const inner = objectShape(part as JsonSchema, depth + 1);
        if (!inner) continue;
        found = true;
        for (const [name, property] of inner.properties) if (!shape.properties.has(name) || property !== false) shape.properties.set(name, property);
        for (const name of inner.required) shape.required.add(name);
      }
    }
    if (!found && resolved.type !== 'object') return undefined;
    return shape;
  };

  const arrayItems = (schema: JsonSchema | undefined): JsonSchema | undefined => {
    const resolved = resolve(schema);
    if (!resolved) return undefined;
    const types = typesOf(resolved);
    return types.has('array') && resolved.items !== undefined ? (resolved.items as JsonSchema) : undefined;
  };

  const valueType = (schema: JsonSchema | undefined): ValueType => {
    const resolved = resolve(schema);
    if (!resolved) return { types: new Set(), nullable: false, format: undefined, enumValues: undefined };
    const types = typesOf(resolved);
    // `{ $ref: X, readOnly: true }` and `allOf: [X]` wrappers: the referenced schema decides.
    if (types.size === 0 && Array.isArray(resolved.allOf) && resolved.allOf.length === 1) return valueType(resolved.allOf[0] as JsonSchema);
    if (types.size === 0 && typeof resolved.$ref === 'string') return valueType({ $ref: resolved.$ref });
    // `anyOf: [X, { type: 'null' }]` (a nullable reference): X's type, or null.
    const branches = (Array.isArray(resolved.anyOf) ? resolved.anyOf : Array.isArray(resolved.oneOf) ? resolved.oneOf : undefined) as JsonSchema[] | undefined;
    if (types.size === 0 && branches) {
      const parts = branches.map(valueType);
      const typed = parts.filter((p) => p.types.size > 0);
      if (typed.length === 1 && typed[0]) return { ...typed[0], nullable: parts.some((p) => p.nullable) };
    }
    const enumValues = Array.isArray(resolved.enum) ? resolved.enum : 'const' in resolved ? [resolved.const] : undefined;
    return {
      types: new Set([...types].filter((t) => t !== 'null')),
      nullable: types.has('null') || (enumValues?.includes(null) ?? false),
      format: typeof resolved.format === 'string' ? resolved.format : undefined,
      enumValues: enumValues?.filter((v) => v !== null),
    };
  };

  return { resolve, componentOf, objectShape: (schema) => objectShape(schema), arrayItems, valueType };
}

function typesOf(schema: Record<string, unknown>): Set<string> {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type.filter((t): t is string => typeof t === 'string'));
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v)));
  return new Set();
}
