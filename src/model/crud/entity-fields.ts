import type { DomainModel, Entity, Field, ScalarType, ValueObject } from '../domain/types.js';
import type { Conversion } from './types.js';
import type { ValueType } from './schema-shape.js';

/** A property of an entity or value object as the mappers see it: its type and how it may be set. */
export interface MemberType {
  name: string;
  type: ScalarType | { valueObject: string };
  nullable: boolean;
  values: string[];
  /** Set by scaffold (identity, version, timestamps), derived (computed) or the state: never from input. */
  readOnly: boolean;
  hasDefault: boolean;
  /** A relation's key (`customerId`): the relation's name. */
  relation: string | undefined;
  /** Derived from other fields (a getter, not a column). */
  computed: boolean;
  /** Set on creation from a reference or the children (never from a request). */
  derived: Field['derivedFrom'];
  /** A credential: never searched. */
  secret: boolean;
}

/** Every property of an entity, under the name its class exposes. */
export function entityMembers(entity: Entity, domain: DomainModel): Map<string, MemberType> {
  const members = new Map<string, MemberType>();
  const add = (member: Omit<MemberType, 'values' | 'readOnly' | 'hasDefault' | 'relation' | 'computed' | 'derived' | 'secret'> & Partial<MemberType>) =>
    members.set(member.name, { values: [], readOnly: false, hasDefault: false, relation: undefined, computed: false, derived: undefined, secret: false, ...member });
  add({ name: 'id', type: entity.identity === 'serial' ? 'integer' : 'uuid', nullable: false, readOnly: true });
  for (const field of entity.fields) add(fieldMember(field, entity.stateMachine?.field === field.names.camel));
  for (const relation of entity.relations) {
    if (relation.column === undefined) continue;
    const target = domain.entities.find((e) => e.names.original === relation.target);
    add({ name: `${relation.names.camel}Id`, type: target?.identity === 'serial' ? 'integer' : 'uuid', nullable: !relation.required, relation: relation.names.camel });
  }
  if (entity.versioned) add({ name: 'version', type: 'integer', nullable: false, readOnly: true });
  if (entity.timestamps) {
    add({ name: 'createdAt', type: 'datetime', nullable: false, readOnly: true });
    add({ name: 'updatedAt', type: 'datetime', nullable: false, readOnly: true });
  }
  if (entity.softDelete) add({ name: 'deletedAt', type: 'datetime', nullable: true, readOnly: true });
  for (const computed of entity.computed) add({ name: computed.names.camel, type: computed.type, nullable: false, readOnly: true, computed: true });
  return members;
}

export function valueObjectMembers(valueObject: ValueObject): Map<string, MemberType> {
  return new Map(valueObject.fields.map((field) => [field.names.camel, fieldMember(field, false)]));
}

function fieldMember(field: Field, isState: boolean): MemberType {
  return {
    name: field.names.camel,
    type: field.type,
    nullable: !field.required,
    values: field.values,
    readOnly: isState || field.derivedFrom !== undefined,
    hasDefault: field.default !== undefined,
    relation: undefined,
    computed: false,
    derived: field.derivedFrom,
    secret: field.secret,
  };
}

const STRINGS = new Set<string>(['string', 'text', 'uuid', 'date', 'decimal']);

/**
 * Whether an entity member can fill an API property (`output`) or be filled from one (`input`), and
 * how its value converts. Undefined when the types disagree in a way the compiler would reject.
 */
export function conversionBetween(member: MemberType, api: ValueType, direction: 'output' | 'input'): Conversion | undefined {
  const type = member.type;
  if (typeof type === 'object') return undefined;
  const untyped = api.types.size === 0;
  // A JSON column holds what the validated request sent: read back, it takes the API's type.
  if (type === 'json') return direction === 'input' ? 'none' : 'json-cast';
  if (untyped) return direction === 'output' ? (type === 'datetime' ? 'date-to-string' : type === 'bigint' ? undefined : 'none') : undefined;
  if (type === 'enum') {
    if (!api.types.has('string') || api.types.size > 1) return undefined;
    const apiValues = api.enumValues?.map(String);
    if (direction === 'output') return apiValues === undefined || member.values.every((v) => apiValues.includes(v)) ? 'none' : undefined;
    return apiValues !== undefined && apiValues.every((v) => member.values.includes(v)) ? 'none' : undefined;
  }
  if (api.enumValues !== undefined && direction === 'output') return undefined;
  if (STRINGS.has(type)) return api.types.has('string') && api.types.size === 1 ? 'none' : undefined;
  if (type === 'datetime') return api.types.has('string') && api.types.size === 1 ? (direction === 'output' ? 'date-to-string' : 'string-to-date') : undefined;
  if (type === 'integer' || type === 'number') return [...api.types].every((t) => t === 'integer' || t === 'number') ? 'none' : undefined;
  if (type === 'boolean') return api.types.has('boolean') && api.types.size === 1 ? 'none' : undefined;
  return undefined;
}
