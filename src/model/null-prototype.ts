/**
 * Names from a design (entities, fields, resources, transitions) are looked up in records built from
 * it. In a plain object `toString`, `constructor` or `hasOwnProperty` would be found on its prototype,
 * and assigning `__proto__` would replace the prototype; in a record without one, every key is only
 * what the design wrote.
 */
export function nullPrototypeRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** A deep copy of parsed data (a domain model document) whose objects all lack a prototype. */
export function withNullPrototypes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withNullPrototypes) as T;
  if (typeof value !== 'object' || value === null) return value;
  return nullPrototypeRecord(Object.entries(value).map(([key, item]) => [key, withNullPrototypes(item)] as const)) as T;
}
