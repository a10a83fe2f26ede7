import { createHash } from 'node:crypto';
import type { ApiModel, JsonSchema, MediaBody, Operation, SchemaDefinition, SecurityRequirement } from '../model/types.js';
import { codeFingerprint } from '../cache/code-fingerprint.js';
import type { RunCache } from '../cache/run-cache.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import { canonicalJson } from './canonical-json.js';
import { isAssertionKeyword, schemaAssertions } from './schema-assertions.js';
import { isRecord } from '../model/json-schema.js';

/**
 * `.scaffold/api-snapshot.json`: the API as the last generation saw it, one entry per operation, in a
 * form that is easy to compare (types as short summaries, schemas as hashes). The next generation
 * compares the spec with it to list the semantic API changes (src/plan/api-changes.ts).
 */
export const API_SNAPSHOT_PATH = '.scaffold/api-snapshot.json';

export interface ApiSnapshot {
  schemaVersion: 1;
  operations: OperationSnapshot[];
  /**
   * The changes found by the generation that last changed the API. A run with no API change carries
   * them over, so the report (and this file) stay as they were and a no-op run writes nothing.
   */
  lastChanges?: import('./api-changes.js').ApiChanges;
}

export interface OperationSnapshot {
  /** Upper case: `GET`. */
  method: string;
  /** The URL path with the base path: `/api/v1/pets/{petId}`. */
  path: string;
  operationId: string;
  deprecated: boolean;
  /** A hash of the summary and description: a change there is documentation only. */
  docs: string;
  parameters: ParameterSnapshot[];
  requestBody?: BodySnapshot;
  responses: ResponseSnapshot[];
  /** Each alternative as `scheme[scope,...] + scheme`; `anonymous` for an alternative that needs none; empty: open. */
  security: string[];
}

export interface ParameterSnapshot {
  name: string;
  in: string;
  required: boolean;
  type: string;
  schemaHash: string;
}

export interface SchemaSnapshot {
  /** A short summary of the type: `integer`, `string(date-time)`, `Pet[]`, `Pet | null`. */
  type: string;
  /** A hash of what the schema asserts (schema-assertions.ts) with every component it references. */
  hash: string;
  /** The top-level properties of an object schema (after `$ref` and `allOf`), or of a list's items (`[].name`). */
  properties?: PropertySnapshot[];
}

/** A property, with its own properties two levels down (an envelope's `data`, then the entity's fields). */
export interface PropertySnapshot {
  name: string;
  required: boolean;
  type: string;
  hash: string;
  properties?: PropertySnapshot[];
}

/** How deep properties are summarized: deep enough to see a field added inside an envelope's `data`. */
const PROPERTY_DEPTH = 2;

export interface BodySnapshot {
  required: boolean;
  mediaTypes: string[];
  /** The schema of the first media type that has one. */
  schema?: SchemaSnapshot;
}

export interface ResponseSnapshot {
  status: string;
  mediaTypes: string[];
  schema?: SchemaSnapshot;
}

export interface SnapshotCache {
  cache: RunCache;
  /** The load stage's hashes of the spec's pieces (undefined when it did not cut the spec into pieces). */
  pieceHashes: SpecPieceHashes | undefined;
}

/**
 * The snapshot of the model's API. With the spec's piece hashes, the operations of each path item are
 * remembered under the item's hash and the rest's (an operation's model is built from nothing else), so a
 * regeneration summarizes again only the operations of the path items that changed.
 */
export function buildApiSnapshot(model: ApiModel, cached?: SnapshotCache): ApiSnapshot {
  const schemas = new SchemaSummarizer(model.schemas);
  const byPath = new Map<string, Operation[]>();
  for (const operation of model.resources.flatMap((resource) => resource.operations)) {
    const operations = byPath.get(operation.path);
    if (operations) operations.push(operation);
    else byPath.set(operation.path, [operation]);
  }
  const keyParts = cached?.pieceHashes && ['api-snapshot', codeFingerprint(), cached.pieceHashes.rest, model.basePath];
  const operations = [...byPath].flatMap(([path, pathOperations]) => {
    const summarize = () => pathOperations.map((operation) => snapshotOperation(operation, model.basePath, schemas));
    const itemHash = cached?.pieceHashes?.paths.get(path);
    if (!keyParts || itemHash === undefined) return summarize();
    return JSON.parse(cached!.cache.memoSync(keyParts, `${path}\0${itemHash}`, () => JSON.stringify(summarize()))) as OperationSnapshot[];
  });
  operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  return { schemaVersion: 1, operations };
}

/**
 * The file's text: one operation per line, so that a change to one operation is a one-line diff, and a
 * large API's snapshot is half the size it would be indented (GitHub's: 6 MB instead of 15).
 */
export function serializeApiSnapshot(snapshot: ApiSnapshot): string {
  const operations = snapshot.operations.length === 0 ? '[]' : `[\n${snapshot.operations.map((operation) => JSON.stringify(operation)).join(',\n')}\n]`;
  const lastChanges = snapshot.lastChanges === undefined ? '' : `,\n"lastChanges":${JSON.stringify(snapshot.lastChanges)}`;
  return `{"schemaVersion":${JSON.stringify(snapshot.schemaVersion)},\n"operations":${operations}${lastChanges}}\n`;
}

function snapshotOperation(operation: Operation, basePath: string, schemas: SchemaSummarizer): OperationSnapshot {
  const body = operation.requestBody;
  const bodySchema = body && firstSchema(body.contents);
  return {
    method: operation.method.toUpperCase(),
    path: `${basePath}${operation.path}`,
    operationId: operation.operationId,
    deprecated: operation.deprecated,
    docs: shortHash(`${operation.summary}\n${operation.description}`),
    parameters: operation.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, type: schemas.typeOf(p.schema), schemaHash: schemas.hashOf(p.schema) })),
    ...(body && {
      requestBody: { required: body.required, mediaTypes: body.contents.map((c) => c.mediaType), ...(bodySchema !== undefined && { schema: schemas.summarize(bodySchema) }) },
    }),
    responses: operation.responses.map((response) => {
      const schema = firstSchema(response.contents);
      return { status: response.status, mediaTypes: response.contents.map((c) => c.mediaType), ...(schema !== undefined && { schema: schemas.summarize(schema) }) };
    }),
    security: securitySummary(operation.security),
  };
}

function firstSchema(contents: readonly MediaBody[]): JsonSchema | undefined {
  return contents.find((c) => c.schema !== undefined)?.schema;
}

function securitySummary(requirements: readonly SecurityRequirement[]): string[] {
  const alternatives = requirements.map((requirement) =>
    requirement.schemes.length === 0
      ? 'anonymous'
      : requirement.schemes
          .map((s) => `${s.key}${s.scopes.length > 0 ? `[${[...s.scopes].sort().join(',')}]` : ''}`)
          .sort()
          .join(' + '),
  );
  return [...new Set(alternatives)].sort();
}

/** Summaries and hashes of route schemas, which reference the registered component schemas by id. */
class SchemaSummarizer {
  private readonly byId: Map<string, SchemaDefinition>;
  private readonly ownHashes = new Map<string, string>();
  private readonly reachHashes = new Map<string, string>();
  /** Schemas the model shares between operations and properties (components' own) are hashed and walked once. */
  private readonly schemaHashes = new WeakMap<object, string>();
  private readonly propertyLists = new WeakMap<object, (PropertySnapshot[] | undefined)[]>();

  constructor(definitions: readonly SchemaDefinition[]) {
    this.byId = new Map(definitions.map((d) => [d.id, d]));
  }

  summarize(schema: JsonSchema): SchemaSnapshot {
    const properties = this.propertiesOf(schema, 0);
    return { type: this.typeOf(schema), hash: this.hashOf(schema), ...(properties && { properties }) };
  }

  /** A list compares by the properties of its items (`[].name`), so that a field added to them is not a new list. */
  private propertiesOf(schema: unknown, depth: number): PropertySnapshot[] | undefined {
    if (typeof schema !== 'object' || schema === null) return this.listProperties(schema, depth);
    let byDepth = this.propertyLists.get(schema);
    if (!byDepth) this.propertyLists.set(schema, (byDepth = []));
    if (!(depth in byDepth)) byDepth[depth] = this.listProperties(schema, depth);
    return byDepth[depth];
  }

  private listProperties(schema: unknown, depth: number): PropertySnapshot[] | undefined {
    const resolved = this.resolve(schema);
    const items = resolved?.type === 'array' ? resolved.items : undefined;
    const object = this.objectShape(items ?? schema);
    if (!object) return undefined;
    const prefix = items === undefined ? '' : '[].';
    return Object.entries(object.properties).map(([name, property]) => {
      const nested = depth < PROPERTY_DEPTH ? this.propertiesOf(property, depth + 1) : undefined;
      return {
        name: `${prefix}${name}`,
        required: object.required.has(name),
        type: this.typeOf(property),
        hash: this.hashOf(property),
        ...(nested && { properties: nested }),
      };
    });
  }

  /** A short, readable type: what a change message shows (`integer -> string`). */
  typeOf(schema: unknown): string {
    if (schema === false) return 'never';
    if (schema === true || !isRecord(schema) || !Object.keys(schema).some(isAssertionKeyword)) return 'any';
    if (typeof schema.$ref === 'string') return this.nameOf(schema.$ref);
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && Object.keys(schema).every((key) => key === 'allOf' || !isAssertionKeyword(key))) return this.typeOf(schema.allOf[0]);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const options = schema[keyword];
      if (Array.isArray(options)) return [...new Set(options.map((o) => this.typeOf(o)))].join(' | ');
    }
    const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
    const named = types.map((type) => {
      if (type === 'array') return `${wrap(this.typeOf(schema.items))}[]`;
      if (typeof type !== 'string') return 'enum' in schema ? 'enum' : 'object';
      return typeof schema.format === 'string' && type !== 'null' ? `${type}(${schema.format})` : type;
    });
    return named.join(' | ');
  }

  /** A hash of the schema and of every component schema it reaches, so a change deep inside shows. */
  hashOf(schema: unknown): string {
    const known = typeof schema === 'object' && schema !== null ? this.schemaHashes.get(schema) : undefined;
    if (known !== undefined) return known;
    const parts = [canonicalJson(schemaAssertions(schema)), ...[...referencedIds(schema)].sort().map((id) => `${id}=${this.reachHash(id)}`)];
    const hash = shortHash(parts.join('\n'));
    if (typeof schema === 'object' && schema !== null) this.schemaHashes.set(schema, hash);
    return hash;
  }

  /** A component's own schema and every component it reaches (cycles included), hashed once per component. */
  private reachHash(id: string): string {
    let hash = this.reachHashes.get(id);
    if (hash === undefined) {
      const reached = new Set<string>();
      const pending = [id];
      while (pending.length > 0) {
        const next = pending.pop() as string;
        if (reached.has(next)) continue;
        reached.add(next);
        pending.push(...referencedIds(this.byId.get(next)?.schema));
      }
      hash = shortHash([...reached].sort().map((reachedId) => `${reachedId}=${this.ownHash(reachedId)}`).join('\n'));
      this.reachHashes.set(id, hash);
    }
    return hash;
  }

  private ownHash(id: string): string {
    let hash = this.ownHashes.get(id);
    if (hash === undefined) {
      hash = shortHash(canonicalJson(schemaAssertions(this.byId.get(id)?.schema ?? null)));
      this.ownHashes.set(id, hash);
    }
    return hash;
  }

  /** `Pet.request` and `Pet#/properties/tags` read as the spec's names: `Pet`, `Pet/properties/tags`. */
  private nameOf(ref: string): string {
    const [id = ref, fragment] = ref.split('#');
    const name = this.byId.get(id)?.specName ?? id;
    return fragment ? `${name}${fragment}` : name;
  }

  private resolve(schema: unknown): Record<string, unknown> | undefined {
    let current = schema;
    for (let depth = 0; depth < 16 && isRecord(current) && typeof current.$ref === 'string' && !current.$ref.includes('#'); depth += 1) {
      current = this.byId.get(current.$ref)?.schema;
    }
    return isRecord(current) ? current : undefined;
  }

  /** The properties and required names of an object schema, through `$ref`s and `allOf`; undefined for anything else. */
  private objectShape(schema: unknown, depth = 0): { properties: Record<string, unknown>; required: Set<string> } | undefined {
    const resolved = this.resolve(schema);
    if (!resolved || depth > 8) return undefined;
    const properties: Record<string, unknown> = isRecord(resolved.properties) ? { ...resolved.properties } : {};
    const required = new Set(Array.isArray(resolved.required) ? resolved.required.filter((r): r is string => typeof r === 'string') : []);
    let isObject = resolved.type === 'object' || isRecord(resolved.properties);
    for (const part of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
      const shape = this.objectShape(part, depth + 1);
      if (!shape) continue;
      isObject = true;
      Object.assign(properties, shape.properties);
      for (const name of shape.required) required.add(name);
    }
    return isObject ? { properties, required } : undefined;
  }
}

function wrap(type: string): string {
  return type.includes(' ') ? `(${type})` : type;
}

function referencedIds(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) referencedIds(item, found);
  else if (isRecord(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.split('#')[0] ?? value);
      else referencedIds(value, found);
    }
  }
  return found;
}


function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
