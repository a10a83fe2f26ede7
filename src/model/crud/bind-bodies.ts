import { plural } from '../domain/build-domain.js';
import type { DomainModel, Entity } from '../domain/types.js';
import { camelCase, kebabCase, pascalCase } from '../naming.js';
import type { JsonSchema, Parameter } from '../types.js';
import { conversionBetween, entityMembers, valueObjectMembers, type MemberType } from './entity-fields.js';
import type { ObjectShape, SchemaReader } from './schema-shape.js';
import type { ChildInput, CrudKind, FilterMapping, InputProperty, LinkSpec, ListMapping, OutputProperty, OutputShape, PageMember, PageValue, Paging } from './types.js';

/** A request or response that cannot be mapped: the operation stays a stub, and this is the reason. */
export class MappingError extends Error {}

/** What binding needs besides the operation: the schemas, the domain and what was bound so far. */
export interface Binder {
  reader: SchemaReader;
  domain: DomainModel;
  entities: Map<string, Entity>;
  /** Output shapes by key, shared by every operation that returns the same schema. */
  shapes: Map<string, OutputShape>;
  /** API name -> entity field name, from the model's mapping of the resource. */
  aliases: Record<string, string>;
  /** Every path of the spec with its methods, and each entity's item path, for links. */
  paths: Map<string, Set<string>>;
  itemPaths: Map<string, { path: string; parameter: string; field: string }>;
}

/** Maps a response object onto an entity (or value object): every required property needs a source. */
export function bindOutput(schema: JsonSchema, source: OutputShape['source'], binder: Binder): OutputShape {
  const component = binder.reader.componentOf(schema);
  const key = `${source.kind}:${source.name}:${component ?? JSON.stringify(schema)}`;
  const known = binder.shapes.get(key);
  if (known) return known;
  const object = binder.reader.objectShape(schema);
  if (!object) throw new MappingError(`the response's ${source.name} is not described as an object`);
  const entity = source.kind === 'entity' ? binder.entities.get(source.name) : undefined;
  const valueObject = source.kind === 'value-object' ? binder.domain.valueObjects.find((v) => v.names.original === source.name) : undefined;
  const members = entity ? entityMembers(entity, binder.domain) : valueObject ? valueObjectMembers(valueObject) : new Map<string, MemberType>();
  const properties: OutputProperty[] = [];
  for (const [property, propertySchema] of object.properties) {
    if (propertySchema === false) continue;
    // openapi-typescript types a response property with a default as always present.
    const required = object.required.has(property) || binder.reader.resolve(propertySchema)?.default !== undefined;
    const api = binder.reader.valueType(propertySchema);
    const member = members.get(binder.aliases[property] ?? property);
    if (property === 'links' && entity && !member) {
      properties.push({ property, kind: 'links', links: bindLinks(entity, propertySchema, binder) });
    } else if (member && typeof member.type === 'object') {
      if (member.nullable && !api.nullable && required) throw new MappingError(`"${property}" may be empty in ${source.name} but the API requires it`);
      const shape = bindOutput(propertySchema, { kind: 'value-object', name: member.type.valueObject }, binder);
      properties.push({ property, kind: 'value-object', field: member.name, shape, nullable: member.nullable });
    } else if (member && entity?.computed.some((c) => c.names.camel === member.name && c.readsCaller)) {
      if (!api.types.has('boolean')) throw new MappingError(`"${property}" of the response is no boolean, but ${source.name}.${member.name} is a condition on the caller`);
      properties.push({ property, kind: 'caller', computed: member.name });
    } else if (member) {
      const conversion = conversionBetween(member, api, 'output');
      if (conversion === undefined) throw new MappingError(`"${property}" of the response does not fit ${source.name}.${member.name} (${describe(member)})`);
      if (member.nullable && !api.nullable && required) throw new MappingError(`"${property}" may be empty in ${source.name} but the API requires a value`);
      if (conversion === 'json-cast' && component === undefined) throw new MappingError(`"${property}" is JSON in ${source.name} and the response schema has no name to type it with`);
      properties.push({ property, kind: 'field', field: member.name, conversion, nullable: member.nullable, omitWhenNull: member.nullable && !api.nullable });
    } else {
      const relation = entity?.relations.find((r) => r.names.camel === property && r.kind === 'one-to-many');
      const items = relation && binder.reader.arrayItems(propertySchema);
      if (relation && items !== undefined) {
        properties.push({ property, kind: 'children', relation: relation.names.camel, shape: bindOutput(items, { kind: 'entity', name: relation.target }, binder) });
      } else if (required) {
        throw new MappingError(`the response requires "${property}", which ${source.name} does not have (add a field or a computed value, or map it in the model's mapping)`);
      }
    }
  }
  if (!properties.some((p) => p.kind !== 'links')) throw new MappingError(`the response has nothing in common with ${source.name}`);
  const taken = new Set([...binder.shapes.values()].map((s) => s.name));
  let name = pascalCase(component ?? `${source.name}View`);
  for (let n = 2; taken.has(name); n += 1) name = `${pascalCase(component ?? `${source.name}View`)}${n}`;
  const shape: OutputShape = { name, component, source, properties };
  binder.shapes.set(key, shape);
  return shape;
}

function describe(member: MemberType): string {
  const type = typeof member.type === 'object' ? member.type.valueObject : member.type === 'enum' ? `one of ${member.values.join(', ')}` : member.type;
  return `${type}${member.nullable ? ' or null' : ''}`;
}

/**
 * The links an entity's representation can carry: itself, the entities it refers to, and the paths
 * below its own (sub-resources and actions; an action's link only while its transition is allowed).
 */
function bindLinks(entity: Entity, schema: JsonSchema, binder: Binder): LinkSpec[] {
  const links: LinkSpec[] = [];
  const item = binder.itemPaths.get(entity.names.original);
  if (item) links.push({ name: 'self', path: item.path, values: { [item.parameter]: item.field }, whenAllowed: undefined });
  else {
    // A singleton child (`/products/{productId}/inventory`) is found through its parent.
    for (const relation of entity.relations) {
      const parent = relation.required && relation.column !== undefined ? binder.itemPaths.get(relation.target) : undefined;
      if (!parent) continue;
      const path = [...binder.paths.keys()].find((p) => sameParent(p, parent.path) && binder.paths.get(p)?.has('get') && namesEntity(p.split('/').at(-1) ?? '', entity));
      if (path) {
        links.push({ name: 'self', path, values: { [parameterAt(path, -2) as string]: `${relation.names.camel}Id` }, whenAllowed: undefined });
        break;
      }
    }
  }
  for (const relation of entity.relations) {
    const target = relation.required && relation.column !== undefined ? binder.itemPaths.get(relation.target) : undefined;
    if (target) links.push({ name: relation.names.camel, path: target.path, values: { [target.parameter]: `${relation.names.camel}Id` }, whenAllowed: undefined });
  }
  if (item) {
    for (const path of [...binder.paths.keys()].sort()) {
      if (!sameParent(path, item.path)) continue;
      const literal = path.split('/').at(-1) ?? '';
      const name = camelCase(literal);
      if (links.some((l) => l.name === name)) continue;
      const transition = entity.stateMachine?.transitions.find((t) => kebabCase(t.names.original) === kebabCase(literal));
      links.push({ name, path, values: { [parameterAt(path, -2) as string]: 'id' }, whenAllowed: transition?.names.camel });
    }
  }
  const required = binder.reader.objectShape(schema)?.required ?? new Set<string>();
  const missing = [...required].filter((name) => !links.some((l) => l.name === name && l.whenAllowed === undefined));
  if (missing.length > 0) throw new MappingError(`the links of ${entity.names.original} require ${missing.join(', ')}, which no path of the spec provides`);
  return links;
}

/** `/orders/{orderId}/payments` lies directly below `/orders/{id}` (parameter names may differ). */
function sameParent(path: string, itemPath: string): boolean {
  const segments = path.split('/');
  const item = itemPath.split('/');
  if (segments.length !== item.length + 1 || /[{}]/.test(segments.at(-1) ?? '{')) return false;
  return item.every((segment, i) => (segment.startsWith('{') ? segments[i]?.startsWith('{') : segment === segments[i]));
}

function parameterAt(path: string, index: number): string | undefined {
  return /^\{(.+)\}$/.exec(path.split('/').at(index) ?? '')?.[1];
}

function namesEntity(segment: string, entity: Entity): boolean {
  const key = kebabCase(segment);
  return [kebabCase(entity.names.original), kebabCase(entity.table)].includes(key) || kebabCase(entity.names.original).startsWith(`${key}-`);
}

/** Maps a request body onto the fields of an entity; for a create, every required field needs a value. */
export function bindInput(
  schema: JsonSchema | undefined,
  entity: Entity,
  members: Map<string, MemberType>,
  kind: CrudKind,
  scopeRelation: string | undefined,
  binder: Binder,
): { input: InputProperty[]; unused: string[]; versionProperty: string | undefined; versionRequired: boolean; children: ChildInput[] } {
  const object = binder.reader.objectShape(schema);
  if (!object) throw new MappingError('its request body is not described as an object');
  const input: InputProperty[] = [];
  const unused: string[] = [];
  const children: ChildInput[] = [];
  let versionProperty: string | undefined;
  let versionRequired = false;
  for (const [property, propertySchema] of object.properties) {
    if (propertySchema === false) continue;
    const optional = !object.required.has(property);
    if (property === 'version' && entity.versioned && kind !== 'create') {
      versionProperty = property;
      versionRequired = !optional;
      continue;
    }
    const signIn = binder.domain.signIn;
    if (signIn?.entity === entity.names.original && property === 'password' && !members.has(property) && (kind === 'create' || kind === 'replace')) {
      // The password of sign-in's credentials entity: stored as its hash, never as given.
      if (optional) throw new MappingError(`"password" is optional in the request, but ${entity.names.original}.${signIn.password} (its hash) is required`);
      input.push({ property, kind: 'field', field: signIn.password, conversion: 'password-hash', optional, nullable: false, fieldNullable: false });
      continue;
    }
    const member = members.get(binder.aliases[property] ?? property);
    const child = kind === 'create' && !member ? childInput(property, propertySchema, entity, binder) : undefined;
    if (child) {
      if (optional) throw new MappingError(`"${property}" is optional in the request, but ${entity.names.original} is created with its ${property}`);
      children.push(child);
      continue;
    }
    if (!member || member.readOnly || (member.relation !== undefined && member.relation === scopeRelation)) {
      unused.push(property);
      continue;
    }
    input.push(bindInputProperty(property, propertySchema, member, optional, kind, binder, entity.names.original));
  }
  if (kind === 'create') {
    const given = new Set([...input.map((i) => i.field), ...(scopeRelation ? [`${scopeRelation}Id`] : [])]);
    for (const member of members.values()) {
      if (member.derived) {
        const needed = member.derived.kind === 'copy' ? given.has(`${member.derived.relation}Id`) : children.some((c) => c.relation === member.derived?.relation);
        if (!needed) throw new MappingError(`${entity.names.original}.${member.name} comes from "${member.derived.relation}", which the request does not give`);
        continue;
      }
      if (member.readOnly || member.nullable || member.hasDefault || given.has(member.name)) continue;
      throw new MappingError(`${entity.names.original}.${member.name} is required and the request body has nothing for it`);
    }
  }
  return { input, unused, versionProperty, versionRequired, children };
}

/** A request array named after a one-to-many relation to the parts of this aggregate: created with it. */
function childInput(property: string, schema: JsonSchema, entity: Entity, binder: Binder): ChildInput | undefined {
  const relation = entity.relations.find((r) => r.kind === 'one-to-many' && r.names.camel === (binder.aliases[property] ?? property));
  const target = relation && binder.entities.get(relation.target);
  const items = relation && binder.reader.arrayItems(schema);
  if (!relation || !target || items === undefined || target.aggregate !== entity.names.original) return undefined;
  if (entity.identity !== 'uuid') throw new MappingError(`${entity.names.original} is created with its ${property}, which needs its id first (uuid identity)`);
  const inverse = target.relations.find((r) => r.target === entity.names.original && r.column !== undefined && (relation.inverse === undefined || r.names.original === relation.inverse));
  if (!inverse) throw new MappingError(`${relation.target} has no relation back to ${entity.names.original}`);
  const bound = bindInput(items, target, entityMembers(target, binder.domain), 'create', inverse.names.camel, { ...binder, aliases: {} });
  if (bound.children.length > 0) throw new MappingError(`${property} of ${entity.names.original} have parts of their own`);
  return { property, relation: relation.names.camel, entity: target.names.original, inverse: inverse.names.camel, input: bound.input, unused: bound.unused };
}

function bindInputProperty(property: string, schema: JsonSchema, member: MemberType, optional: boolean, kind: CrudKind, binder: Binder, owner: string): InputProperty {
  const api = binder.reader.valueType(schema);
  if (api.nullable && !member.nullable) throw new MappingError(`"${property}" of the request may be null, but ${owner}.${member.name} may not`);
  if (kind === 'create' && optional && !member.nullable && !member.hasDefault) {
    throw new MappingError(`"${property}" is optional in the request, but ${owner}.${member.name} is required and has no default`);
  }
  if (typeof member.type === 'object') {
    const valueObject = binder.domain.valueObjects.find((v) => v.names.original === (member.type as { valueObject: string }).valueObject);
    const object = binder.reader.objectShape(schema);
    if (!valueObject || !object) throw new MappingError(`"${property}" of the request does not describe ${owner}.${member.name} as an object`);
    const fields = valueObjectMembers(valueObject);
    const properties: InputProperty[] = [];
    for (const field of fields.values()) {
      const inner = object.properties.get(field.name);
      if (inner === undefined || inner === false) {
        if (field.nullable) continue;
        throw new MappingError(`"${property}" of the request has no "${field.name}" for ${valueObject.names.original}`);
      }
      const innerOptional = !object.required.has(field.name);
      if (innerOptional && !field.nullable) throw new MappingError(`"${property}.${field.name}" is optional in the request, but ${valueObject.names.original}.${field.name} is required`);
      properties.push(bindInputProperty(field.name, inner, field, innerOptional, 'create', binder, valueObject.names.original));
    }
    return { property, kind: 'value-object', field: member.name, valueObject: valueObject.names.original, properties, optional, nullable: api.nullable, fieldNullable: member.nullable };
  }
  const conversion = conversionBetween(member, api, 'input');
  if (conversion === undefined) throw new MappingError(`"${property}" of the request does not fit ${owner}.${member.name} (${describe(member)})`);
  return { property, kind: 'field', field: member.name, conversion, optional, nullable: api.nullable, fieldNullable: member.nullable };
}

const PAGE = ['page', 'pageNumber', 'page_number'];
const PAGE_SIZE = ['pageSize', 'perPage', 'per_page', 'page_size', 'size', 'limit'];
const OFFSET = ['offset', 'skip'];
const LIMIT = ['limit', 'take', 'top'];
const SORT = ['sort', 'sortBy', 'sort_by', 'orderBy', 'order_by'];
const SEARCH = ['q', 'search', 'query'];
const CURSOR = ['cursor', 'after', 'pageToken', 'page_token', 'nextToken', 'continuationToken'];
/** Where a pagination wrapper keeps its items, when it has more than one array. */
const ITEMS = ['items', 'data', 'results', 'content', 'records', 'entries', 'elements'];
/** Page members by name, in camelCase (`total_count` is looked up as `totalCount`). */
const META: Record<string, PageValue> = {
  page: 'page',
  pageNumber: 'page',
  currentPage: 'page',
  number: 'page',
  pageSize: 'size',
  perPage: 'size',
  limit: 'size',
  size: 'size',
  offset: 'offset',
  total: 'total',
  totalItems: 'total',
  totalCount: 'total',
  totalElements: 'total',
  totalResults: 'total',
  count: 'total',
  totalPages: 'totalPages',
  pageCount: 'totalPages',
  lastPage: 'totalPages',
  nextCursor: 'nextCursor',
  nextPageToken: 'nextCursor',
  nextToken: 'nextCursor',
  hasMore: 'hasMore',
  hasNext: 'hasMore',
  hasNextPage: 'hasMore',
};
/** How deep page members may be nested (`{ data, meta: { pagination: { total } } }`). */
const PAGE_GROUP_DEPTH = 2;
const PAGE_LINKS = new Set(['self', 'first', 'last', 'next', 'prev']);

/** Paging, sorting and filtering from a list operation's query parameters, and its envelope's meta and links. */
export function bindList(query: Parameter[], bodySchema: JsonSchema | undefined, envelope: boolean, wrapper: string | undefined, members: Map<string, MemberType>, binder: Binder): ListMapping {
  const byName = new Map(query.map((p) => [p.name, p]));
  const find = (names: string[]) => names.find((n) => byName.has(n));
  const consumed = new Set<string>();
  const defaultOf = (name: string | undefined) => {
    const schema = name === undefined ? undefined : binder.reader.resolve(byName.get(name)?.schema);
    return typeof schema?.default === 'number' ? schema.default : 20;
  };
  let paging: Paging | undefined;
  const page = find(PAGE);
  const size = find(PAGE_SIZE.filter((n) => n !== page));
  const offset = find(OFFSET);
  const cursor = find(CURSOR);
  // The size of an offset or cursor page: `limit`, or a page size (`per_page`).
  const cursorLimit = find([...LIMIT, ...PAGE_SIZE]);
  if (page && size) paging = { style: 'page', page, size, defaultSize: defaultOf(size) };
  else if (offset && cursorLimit) paging = { style: 'offset', offset, limit: cursorLimit, defaultSize: defaultOf(cursorLimit) };
  else if (cursor && cursorLimit && binder.reader.valueType(byName.get(cursor)?.schema).types.has('string') && givesNextCursor(bodySchema, envelope, wrapper, binder)) {
    paging = { style: 'cursor', cursor, limit: cursorLimit, defaultSize: defaultOf(cursorLimit) };
  }
  if (paging) for (const name of Object.values(paging)) if (typeof name === 'string') consumed.add(name);

  const fieldFor = (name: string): MemberType | undefined => {
    const member = members.get(binder.aliases[name] ?? name);
    return member && typeof member.type !== 'object' && member.type !== 'json' && member.type !== 'bigint' && !member.computed ? member : undefined;
  };

  let sort: ListMapping['sort'];
  const sortName = find(SORT);
  const sortValues = sortName === undefined ? undefined : binder.reader.valueType(byName.get(sortName)?.schema).enumValues;
  if (sortName && sortValues?.every((v) => typeof v === 'string' && fieldFor(v.replace(/^[-+]/, '')))) {
    const fields: Record<string, string> = {};
    for (const value of sortValues as string[]) fields[value.replace(/^[-+]/, '')] = (fieldFor(value.replace(/^[-+]/, '')) as MemberType).name;
    const schema = binder.reader.resolve(byName.get(sortName)?.schema);
    sort = { parameter: sortName, fields, defaultValue: typeof schema?.default === 'string' ? schema.default : undefined };
    consumed.add(sortName);
  }

  const filters: FilterMapping[] = [];
  const unsupported: string[] = [];
  const ignored: string[] = [];
  for (const parameter of query) {
    if (consumed.has(parameter.name)) continue;
    const filter = filterFor(parameter, fieldFor, members, binder);
    if (filter) filters.push(filter);
    else if (parameter.name === 'fields') ignored.push(parameter.name);
    else unsupported.push(parameter.name);
  }

  const body = envelope ? binder.reader.objectShape(bodySchema) : undefined;
  const metaShape = body && binder.reader.objectShape(body.properties.get('meta'));
  // The envelope's meta also carries what the server adds to every response (`requestId`).
  const meta = metaShape ? pageMembers(metaShape, paging, 'meta', new Set(['requestId']), binder) : [];
  const data = envelope ? body?.properties.get('data') : bodySchema;
  const wrapperShape = wrapper === undefined ? undefined : binder.reader.objectShape(data);
  const listWrapper = wrapper === undefined || !wrapperShape ? undefined : { items: wrapper, members: pageMembers(wrapperShape, paging, 'wrapper', new Set([wrapper]), binder) };
  const linksShape = body && binder.reader.objectShape(body.properties.get('links'));
  let pageLinks: ListMapping['pageLinks'];
  if (linksShape) {
    const unknown = [...linksShape.required].filter((name) => !PAGE_LINKS.has(name));
    if (unknown.length > 0) throw new MappingError(`the list's links require ${unknown.join(', ')}`);
    pageLinks = [...linksShape.properties.keys()]
      .filter((name) => PAGE_LINKS.has(name))
      .map((name) => ({ property: name, nullable: binder.reader.valueType(linksShape.properties.get(name)).nullable }));
    if (paging === undefined && pageLinks.some((l) => l.property !== 'self')) throw new MappingError("the list's page links need paging parameters");
    const neverEmpty = pageLinks.filter((l) => (l.property === 'next' || l.property === 'prev') && !l.nullable && linksShape.required.has(l.property));
    if (neverEmpty.length > 0) throw new MappingError(`the list's links require "${neverEmpty[0]?.property}" even on the ${neverEmpty[0]?.property === 'next' ? 'last' : 'first'} page (declare it nullable)`);
  } else if (body?.required.has('links')) throw new MappingError("the list's links are not described as an object");
  return { paging, sort, filters, unsupported, ignored, meta, wrapper: listWrapper, pageLinks };
}

/** Whether a list response has a place for the next page's cursor (a client could never go on without one). */
function givesNextCursor(bodySchema: JsonSchema | undefined, envelope: boolean, wrapper: string | undefined, binder: Binder): boolean {
  const body = binder.reader.objectShape(bodySchema);
  const places = envelope ? [body?.properties.get('meta'), ...(wrapper === undefined ? [] : [body?.properties.get('data')])] : [bodySchema];
  const links = envelope ? binder.reader.objectShape(body?.properties.get('links')) : undefined;
  return places.some((place) => hasNextCursor(binder.reader.objectShape(place), 0, binder)) || links?.properties.has('next') === true;
}

function hasNextCursor(shape: ObjectShape | undefined, depth: number, binder: Binder): boolean {
  if (!shape || depth > PAGE_GROUP_DEPTH) return false;
  return [...shape.properties].some(([name, schema]) => pageValueOf(name, schema, binder) === 'nextCursor' || hasNextCursor(binder.reader.objectShape(schema), depth + 1, binder));
}

/** What a member named `property` holds; `next` is a flag when boolean, a cursor when an opaque string. */
function pageValueOf(property: string, schema: JsonSchema, binder: Binder): PageValue | undefined {
  const api = binder.reader.valueType(schema);
  if (api.types.has('object')) return undefined;
  if (property === 'next') {
    if (api.types.size === 1 && api.types.has('boolean')) return 'hasMore';
    if (api.types.size === 1 && api.types.has('string') && api.format === undefined) return 'nextCursor';
    return undefined;
  }
  return Object.hasOwn(META, camelCase(property)) ? META[camelCase(property)] : undefined;
}

/**
 * The members of a list's meta or wrapper that scaffold can fill from the page it read, also in
 * objects of their own (`meta`, `pagination`). A required member it cannot fill makes the list a
 * stub, as does a `nextCursor` that may never be null; an optional object it cannot fill is left out.
 */
function pageMembers(shape: ObjectShape, paging: Paging | undefined, where: 'meta' | 'wrapper', skip: Set<string>, binder: Binder, parents: string[] = []): PageMember[] {
  const members: PageMember[] = [];
  for (const [property, schema] of shape.properties) {
    if (skip.has(property) || schema === false) continue;
    const name = [...parents, property].join('.');
    // openapi-typescript types a response property with a default as always present.
    const required = shape.required.has(property) || binder.reader.resolve(schema)?.default !== undefined;
    const value = pageValueOf(property, schema, binder);
    const group = value === undefined && parents.length < PAGE_GROUP_DEPTH ? binder.reader.objectShape(schema) : undefined;
    if (group && group.properties.size > 0) {
      let inner: PageMember[] = [];
      try {
        inner = pageMembers(group, paging, where, new Set(), binder, [...parents, property]);
      } catch (error) {
        if (required || !(error instanceof MappingError)) throw error;
      }
      if (inner.length > 0) members.push(...inner);
      else if (required) throw new MappingError(`the list's ${where} requires "${name}", which scaffold cannot fill`);
      continue;
    }
    const fillable = value !== undefined && (value === 'total' || (paging !== undefined && (value !== 'nextCursor' || paging.style === 'cursor')));
    if (!fillable || (paging?.style === 'page' && value === 'offset')) {
      if (required) throw new MappingError(`the list's ${where} requires "${name}", which scaffold cannot fill`);
      continue;
    }
    const nullable = binder.reader.valueType(schema).nullable;
    if (value === 'nextCursor' && !nullable && required) throw new MappingError(`the list's ${where} requires "${name}" even on the last page (declare it nullable)`);
    members.push({ property, value, nullable, ...(parents.length > 0 && { parents }) });
  }
  return members;
}

/**
 * Where a list response keeps its items: the array itself, or the one array of a pagination wrapper
 * (`{ items: [...], total }`); with several arrays, the one with a conventional name.
 */
export function listItems(schema: JsonSchema | undefined, entity: Entity, binder: Binder): { items: JsonSchema; wrapper: string | undefined } | undefined {
  const direct = binder.reader.arrayItems(schema);
  if (direct !== undefined) return { items: direct, wrapper: undefined };
  const object = binder.reader.objectShape(schema);
  if (!object) return undefined;
  const arrays = [...object.properties].filter(([, property]) => binder.reader.arrayItems(property) !== undefined);
  const names = [...ITEMS, plural(entity.names.camel)];
  const chosen = arrays.length === 1 ? arrays[0] : arrays.find(([name]) => names.includes(name));
  if (!chosen) return undefined;
  return { items: binder.reader.arrayItems(chosen[1]) as JsonSchema, wrapper: chosen[0] };
}

/** A query parameter as a filter: by name, `min`/`max` prefixes, `After`/`Before` suffixes, ranges, search. */
function filterFor(parameter: Parameter, fieldFor: (name: string) => MemberType | undefined, members: Map<string, MemberType>, binder: Binder): FilterMapping | undefined {
  const name = parameter.name;
  const api = binder.reader.valueType(parameter.schema);
  const make = (operator: FilterMapping['operator'], member: MemberType | undefined, value = api): FilterMapping | undefined => {
    // A filter on a credential would let anyone guess it a request at a time.
    if (!member || member.secret) return undefined;
    const conversion = conversionBetween(member, value, 'input');
    return conversion === undefined ? undefined : { parameter: name, operator, fields: [member.name], conversion };
  };
  if (SEARCH.includes(name) && api.types.has('string')) {
    const fields = [...members.values()].filter((m) => (m.type === 'string' || m.type === 'text') && !m.readOnly && !m.secret).map((m) => m.name);
    return fields.length > 0 ? { parameter: name, operator: 'search', fields, conversion: 'none' } : undefined;
  }
  if (api.types.has('array')) {
    const items = binder.reader.valueType(binder.reader.arrayItems(parameter.schema));
    return make('in', fieldFor(name) ?? fieldFor(name.replace(/s$/, '')), items);
  }
  if (parameter.shape === 'object') {
    const object = binder.reader.objectShape(parameter.schema);
    const keys = [...(object?.properties.keys() ?? [])];
    if (keys.length === 0 || !keys.every((k) => k === 'gte' || k === 'lte')) return undefined;
    return make('range', fieldFor(name), binder.reader.valueType(object?.properties.get(keys[0] as string)));
  }
  const direct = make('eq', fieldFor(name));
  if (direct) return direct;
  const affixes: [RegExp, FilterMapping['operator'], (m: RegExpExecArray) => string[]][] = [
    [/^min([A-Z]\w*)$/, 'gte', (m) => [camelCase(m[1] as string)]],
    [/^max([A-Z]\w*)$/, 'lte', (m) => [camelCase(m[1] as string)]],
    [/^(\w+?)(?:Min|From)$/, 'gte', (m) => [m[1] as string]],
    [/^(\w+?)(?:Max|To)$/, 'lte', (m) => [m[1] as string]],
    [/^(\w+?)(?:After|Since)$/, 'gte', (m) => [`${m[1]}At`, m[1] as string]],
    [/^(\w+?)(?:Before|Until)$/, 'lte', (m) => [`${m[1]}At`, m[1] as string]],
  ];
  for (const [pattern, operator, candidates] of affixes) {
    const match = pattern.exec(name);
    if (!match) continue;
    for (const candidate of candidates(match)) {
      const filter = make(operator, fieldFor(candidate));
      if (filter) return filter;
    }
  }
  return undefined;
}
