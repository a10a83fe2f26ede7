import type { DomainModelDocument, EntityDocument, FieldDocument } from '../../load/domain-model-types.js';
import { createSchemaReader, type SchemaReader } from '../crud/schema-shape.js';
import { buildDomainModel } from '../domain/build-domain.js';
import { ENTITY_MEMBERS } from '../domain/member-names.js';
import type { DomainModel } from '../domain/types.js';
import { camelCase, pascalCase, RESERVED_WORDS } from '../naming.js';
import type { ApiModel, JsonSchema } from '../types.js';

/**
 * Entities inferred from a spec without a domain model: every component schema that an operation
 * returns (alone, in an array or in the envelope's `data`) and that has an `id` fitting an identity
 * (`inferredIdentity`) becomes an entity whose fields are its properties. Scalars become columns; nested objects and
 * arrays become JSON columns. No relations, invariants or state machines are guessed: those need a
 * model file. What is inferred goes through the same checks as a written model.
 */
export interface InferredDomain {
  domain: DomainModel | undefined;
  /** Component schemas returned by operations that could not become entities, with the reason. */
  skipped: { schema: string; reason: string }[];
}

const INFERRED = '(domain model inferred from the spec)';

/** Names an entity class cannot take: they would shadow JavaScript's own classes in generated code. */
const GLOBAL_NAMES = new Set(['Array', 'Boolean', 'Date', 'Error', 'Function', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy', 'Record', 'RegExp', 'Set', 'String', 'Symbol', 'URL', 'Buffer', 'Partial', 'Readonly', 'Response', 'Request']);

/** `idType` of the guidelines: the identity where the spec's `id` leaves the choice open. */
export function inferDomainModel(model: ApiModel, idType?: 'uuid' | 'serial'): InferredDomain {
  const reader = createSchemaReader(model.schemas);
  const skipped: InferredDomain['skipped'] = [];
  const entities = new Map<string, EntityDocument>();
  const mapping = new Map<string, { entity: string; fields: Record<string, string> }>();
  const naturalKeys = naturalKeysByComponent(model, reader);

  for (const component of returnedComponents(model, reader)) {
    const name = pascalCase(component);
    if (entities.has(name)) continue;
    if (GLOBAL_NAMES.has(name) || !/^[A-Z][A-Za-z0-9]{0,62}$/.test(name)) {
      skipped.push({ schema: component, reason: `"${name}" cannot name an entity class` });
      continue;
    }
    const view = viewOnly(model, component, reader);
    if (view) {
      skipped.push({ schema: component, reason: `only ${view} returns it, with no id in its path and not in a list: a view, not a stored resource` });
      continue;
    }
    const shape = reader.objectShape({ $ref: model.schemas.find((s) => s.specName === component)?.id ?? component });
    const id = shape?.properties.get('id');
    const identity = id === undefined || id === false ? undefined : inferredIdentity(reader.valueType(id), idType);
    if (!shape || !identity) {
      skipped.push({ schema: component, reason: idType === undefined ? 'it has no integer or uuid "id" property' : `it has no integer or uuid "id" property, nor one a ${idType} id fits` });
      continue;
    }
    const fields = new Map<string, FieldDocument>();
    const aliases = new Map<string, string>();
    const timestamps = serverTimestamps(shape.properties, reader);
    for (const [property, schema] of shape.properties) {
      if (schema === false || property === 'id' || (timestamps && (property === 'createdAt' || property === 'updatedAt'))) continue;
      // HATEOAS links are computed from the entity and the spec's paths on every response.
      if (property === 'links' && reader.objectShape(schema)) continue;
      let field = camelCase(property, 'field');
      if (RESERVED_WORDS.has(field) || ENTITY_MEMBERS.has(field)) field = `${field}Value`;
      if (fields.has(field) || !/^[a-z][A-Za-z0-9]{0,62}$/.test(field)) continue;
      if (field !== property) aliases.set(property, field);
      const defaultValue = reader.resolve(schema)?.default;
      const scalarDefault = typeof defaultValue === 'string' || typeof defaultValue === 'number' || typeof defaultValue === 'boolean' ? defaultValue : undefined;
      const type = fieldType(schema, reader);
      const nullable = reader.valueType(schema).nullable;
      fields.set(field, {
        ...type,
        required: !nullable && (shape.required.has(property) || scalarDefault !== undefined),
        ...(reader.resolve(schema)?.writeOnly === true && { secret: true }),
        ...(scalarDefault !== undefined && type.type !== 'json' && { default: scalarDefault }),
        ...(naturalKeys.get(component)?.has(property) && { unique: true }),
      });
    }
    entities.set(name, { identity, timestamps, fields: Object.fromEntries(fields) });
    for (const resource of model.resources) {
      if (!mapping.has(resource.names.original) && resourceReturns(resource.operations, component, reader)) mapping.set(resource.names.original, { entity: name, fields: Object.fromEntries(aliases) });
    }
  }
  if (entities.size === 0) return { domain: undefined, skipped };
  // Object.fromEntries defines each key as its own, `__proto__` included.
  const document: DomainModelDocument = { schemaVersion: 1, entities: Object.fromEntries(entities), ...(mapping.size > 0 && { mapping: Object.fromEntries(mapping) }) };
  // Inferred names are checked like written ones; a problem points at the schema it came from.
  return { domain: buildDomainModel({ path: INFERRED, document, locate: (path) => ({ file: INFERRED, pointer: `/${path.join('/')}` }) }), skipped };
}

/**
 * The identity an `id` of this type gets. The spec decides when it can: an integer is serial, a
 * uuid-formatted string is uuid. Where it leaves the choice open, the guidelines' `idType` decides if
 * the id's type takes it: an untyped id, or one both integer and string, takes either; a string of no
 * format takes a uuid (a uuid is a string) but not a serial (a number would break the contract).
 * With no `idType`, what the spec does not decide is not guessed, except integer-or-string: serial.
 */
export function inferredIdentity(type: { types: ReadonlySet<string>; format?: string }, idType?: 'uuid' | 'serial'): 'uuid' | 'serial' | undefined {
  const integer = type.types.has('integer');
  const string = type.types.has('string');
  const open = type.types.size === 0 || (integer && string);
  if (open && idType !== undefined) return idType;
  if (integer) return 'serial';
  if (string && type.format === 'uuid') return 'uuid';
  if (string && type.format === undefined && idType === 'uuid') return 'uuid';
  return undefined;
}

function fieldType(schema: JsonSchema, reader: SchemaReader): Omit<FieldDocument, 'required'> {
  const value = reader.valueType(schema);
  const [only] = value.types;
  if (value.types.size !== 1 || only === undefined) return { type: 'json' };
  switch (only) {
    case 'string': {
      const values = value.enumValues?.filter((v): v is string => typeof v === 'string');
      if (values && values.length > 0 && values.length === value.enumValues?.length) return { type: 'enum', values };
      if (value.format === 'date-time') return { type: 'datetime' };
      if (value.format === 'uuid') return { type: 'uuid' };
      return { type: 'text' };
    }
    case 'integer':
      return value.enumValues ? { type: 'json' } : { type: 'integer' };
    case 'number':
      return value.enumValues ? { type: 'json' } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return { type: 'json' };
  }
}

/**
 * Timestamps the server sets: `createdAt` and `updatedAt` both date-times, or one of them alone when
 * the spec marks it read-only (the entity then keeps the other one too, unseen by the API).
 */
function serverTimestamps(properties: Map<string, JsonSchema | false>, reader: SchemaReader): boolean {
  const isDateTime = (name: string) => reader.valueType(properties.get(name)).format === 'date-time';
  const readOnly = (name: string) => {
    const schema = properties.get(name);
    return schema !== false && reader.resolve(schema)?.readOnly === true;
  };
  if (isDateTime('createdAt') && isDateTime('updatedAt')) return true;
  const [alone, other] = properties.has('createdAt') ? ['createdAt', 'updatedAt'] : ['updatedAt', 'createdAt'];
  return !properties.has(other) && isDateTime(alone) && readOnly(alone);
}

/**
 * A response-only view (the current user at `GET /me`): every operation returning the component
 * has no parameter in its path, lists nothing and creates nothing. Its method and path, else undefined.
 */
function viewOnly(model: ApiModel, component: string, reader: SchemaReader): string | undefined {
  const returning = model.resources.flatMap((r) => r.operations).filter((o) => returnedComponent(o, reader) === component);
  const stored = returning.some((o) => o.path.includes('{') || o.method === 'post' || returnedInList(o, reader));
  const first = returning[0];
  return stored || !first ? undefined : `${first.method.toUpperCase()} ${first.path}`;
}

function returnedInList(operation: ModelOperation, reader: SchemaReader): boolean {
  const success = operation.responses.filter((r) => /^2/.test(r.status)).sort((a, b) => a.status.localeCompare(b.status))[0];
  const json = success?.contents.find((c) => c.kind === 'json');
  if (!success || !json) return false;
  const data = success.envelope ? reader.objectShape(json.schema)?.properties.get('data') : json.schema;
  const object = reader.objectShape(data);
  return reader.arrayItems(data) !== undefined || (object !== undefined && !object.properties.has('id') && [...object.properties.values()].some((p) => p !== false && reader.arrayItems(p) !== undefined));
}

/** Component schemas that operations return, in the order of the spec. */
function returnedComponents(model: ApiModel, reader: SchemaReader): string[] {
  const found: string[] = [];
  for (const operation of model.resources.flatMap((r) => r.operations)) {
    const component = returnedComponent(operation, reader);
    if (component && !found.includes(component)) found.push(component);
  }
  return found;
}

type ModelOperation = ApiModel['resources'][number]['operations'][number];

/** Asked for every pair of resource and component: each operation's answer is worked out once per reader. */
const returnedByReader = new WeakMap<SchemaReader, Map<ModelOperation, string | undefined>>();

function returnedComponent(operation: ModelOperation, reader: SchemaReader): string | undefined {
  let known = returnedByReader.get(reader);
  if (!known) returnedByReader.set(reader, (known = new Map()));
  if (!known.has(operation)) known.set(operation, findReturnedComponent(operation, reader));
  return known.get(operation);
}

function findReturnedComponent(operation: ModelOperation, reader: SchemaReader): string | undefined {
  const success = operation.responses.filter((r) => /^2/.test(r.status)).sort((a, b) => a.status.localeCompare(b.status))[0];
  const json = success?.contents.find((c) => c.kind === 'json');
  if (!success || !json) return undefined;
  const data = success.envelope ? reader.objectShape(json.schema)?.properties.get('data') : json.schema;
  const returned = reader.arrayItems(data) ?? data;
  // A collection's GET may answer a pagination wrapper (`{ items: [...], total }`): its items are the resource.
  const wrapper = operation.method === 'get' && !/\}$/.test(operation.path) ? reader.objectShape(returned) : undefined;
  if (wrapper && !wrapper.properties.has('id')) {
    const arrays = [...wrapper.properties.values()].map((property) => reader.arrayItems(property)).filter((items) => items !== undefined);
    if (arrays.length === 1) return reader.componentOf(arrays[0]);
  }
  return reader.componentOf(returned);
}

function resourceReturns(operations: ApiModel['resources'][number]['operations'], component: string, reader: SchemaReader): boolean {
  return operations.some((o) => returnedComponent(o, reader) === component);
}

/** Properties used as the key of an item path (`/users/{username}`): unique in the inferred entity. */
function naturalKeysByComponent(model: ApiModel, reader: SchemaReader): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const operation of model.resources.flatMap((r) => r.operations)) {
    const parameter = /\{([^{}]+)\}$/.exec(operation.path)?.[1];
    const component = returnedComponent(operation, reader);
    if (!parameter || !component || parameter === 'id') continue;
    keys.set(component, new Set([...(keys.get(component) ?? []), parameter]));
  }
  return keys;
}
