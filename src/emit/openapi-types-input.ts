import { decodePointerSegment, isMarked, isRecord } from '../model/json-schema.js';
import { resolvePointer } from '../model/resolve-ref.js';
import { NameRegistry } from '../model/naming.js';

/**
 * The copy of the spec handed to openapi-typescript, rewritten where real specs use constructs it
 * turns into types that do not compile (the spec served at /openapi.json is left as written):
 *
 * - A `$ref` becomes an indexed access along the ref's path, which only type-checks for a whole
 *   component. Refs into an operation (`#/paths/~1a/post/requestBody/content/application~1json/schema`)
 *   or into part of a component (`#/components/schemas/Order/allOf/0`, `.../definitions/line`) are
 *   pointed at a copy of their target registered as a component schema of its own.
 * - Discriminator mappings by schema name (`Cat: Cat`, which OpenAPI allows) become refs, since its
 *   bundler takes every mapping value for a ref; names of no schema are dropped.
 * - A schema inheriting a discriminator through `allOf` gets the discriminator property written by
 *   openapi-typescript, so its own declaration of that property is left out (it would be a duplicate).
 */
export function prepareForOpenApiTypescript(document: unknown, { inPlace = false }: { inPlace?: boolean } = {}): unknown {
  if (!isRecord(document)) return document;
  // In place when the caller hands over a copy of its own (markReferencedVisibility's): no second copy of a
  // big spec. Hoisted targets are then copied before anything is rewritten, so either way they are copies of
  // the document as it came in.
  const originals = inPlace ? hoistedTargets(document) : undefined;
  const prepared = inPlace ? document : structuredClone(document);
  const components = isRecord(prepared.components) ? prepared.components : (prepared.components = {});
  const schemas = isRecord(components.schemas) ? components.schemas : (components.schemas = {});
  const names = new NameRegistry(Object.keys(schemas));
  const hoisted = new Map<string, string>();

  const hoist = (ref: string): string | undefined => {
    const known = hoisted.get(ref);
    if (known !== undefined) return known;
    const target = originals ? originals.get(ref) : resolveLocal(document, ref);
    if (target === undefined) return undefined;
    const name = names.claim(nameFor(ref));
    const replacement = `#/components/schemas/${escapePointerSegment(name)}`;
    hoisted.set(ref, replacement);
    const copy = originals ? target : structuredClone(target);
    schemas[name] = copy;
    pending.push(copy);
    return replacement;
  };

  const pending: unknown[] = [prepared];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    visitRecords(node, (record) => {
      if (typeof record.$ref === 'string' && needsHoisting(record.$ref)) {
        record.$ref = hoist(record.$ref) ?? record.$ref;
      }
      if (isRecord(record.discriminator) && isRecord(record.discriminator.mapping)) {
        record.discriminator.mapping = mappingAsRefs(record.discriminator.mapping, schemas);
      }
      dropInheritedDiscriminatorProperty(record, prepared);
    });
  }
  return prepared;
}

/** A copy of the target of every ref in the document that will be hoisted, by ref. */
function hoistedTargets(document: Record<string, unknown>): Map<string, unknown> {
  const targets = new Map<string, unknown>();
  visitRecords(document, (record) => {
    const ref = record.$ref;
    if (typeof ref !== 'string' || targets.has(ref) || !needsHoisting(ref)) return;
    const target = resolveLocal(document, ref);
    if (target !== undefined) targets.set(ref, structuredClone(target));
  });
  return targets;
}

/**
 * openapi-typescript marks only properties that say `readOnly`/`writeOnly` themselves. A property
 * that references a readOnly schema is readOnly too (the validators treat it so), so such properties
 * are rewritten as `allOf: [$ref]` with the marker before the types are made. Only the input of the
 * type generator changes; the served spec stays as written. The result is a copy sharing nothing with
 * `document` (what prepareForOpenApiTypescript may rewrite in place).
 */
export function markReferencedVisibility(document: unknown): unknown {
  const resolve = (ref: string) => resolvePointer(document, ref);
  const wrappers: { allOf: unknown[] }[] = [];
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    // Built from entries: a component or property named `__proto__` stays a key of the copy.
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key !== 'properties' || !isRecord(value)) return [key, visit(value)];
        const properties = Object.fromEntries(
          Object.entries(value).map(([name, property]) => {
            for (const marker of ['readOnly', 'writeOnly'] as const) {
              if (isRecord(property) && property[marker] !== true && isMarked(property, marker, resolve)) {
                const wrapper = { allOf: [property], [marker]: true };
                wrappers.push(wrapper);
                return [name, wrapper];
              }
            }
            return [name, visit(property)];
          }),
        );
        return [key, properties];
      }),
    );
  };
  const marked = visit(document);
  // The wrapped properties are copied together, so that what they share in the document they share in the copy.
  const copies = structuredClone(wrappers.map((wrapper) => wrapper.allOf[0]));
  wrappers.forEach((wrapper, i) => (wrapper.allOf = [copies[i]]));
  return marked;
}

/** Refs to a whole component (`#/components/schemas/Pet`) are what openapi-typescript expects. */
function needsHoisting(ref: string): boolean {
  if (!ref.startsWith('#/') || /^#\/components\/[^/]+\/[^/]+$/.test(ref)) return false;
  const segments = ref.slice(2).split('/');
  // Schemas only: inside a component schema, or below a `schema` (media type, parameter, header).
  return (segments[0] === 'components' && segments[1] === 'schemas') || segments.includes('schema');
}

function mappingAsRefs(mapping: Record<string, unknown>, schemas: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [value, target] of Object.entries(mapping)) {
    if (typeof target !== 'string') continue;
    if (target.includes('/') || target.startsWith('#')) result[value] = target;
    else if (Object.hasOwn(schemas, target)) result[value] = `#/components/schemas/${escapePointerSegment(target)}`;
  }
  return result;
}

function dropInheritedDiscriminatorProperty(record: Record<string, unknown>, document: Record<string, unknown>): void {
  if (record.discriminator !== undefined || !Array.isArray(record.allOf) || !isRecord(record.properties)) return;
  for (const member of record.allOf) {
    const parent = isRecord(member) && typeof member.$ref === 'string' ? resolveLocal(document, member.$ref) : member;
    const propertyName = isRecord(parent) && isRecord(parent.discriminator) ? parent.discriminator.propertyName : undefined;
    if (typeof propertyName === 'string' && Object.hasOwn(record.properties, propertyName)) {
      const { [propertyName]: _inherited, ...rest } = record.properties;
      record.properties = rest;
      return;
    }
  }
}

/** Calls `visit` on every object in the tree, the root included. */
function visitRecords(root: unknown, visit: (record: Record<string, unknown>) => void): void {
  const stack: unknown[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isRecord(node)) {
      visit(node);
      stack.push(...Object.values(node));
    }
  }
}

function resolveLocal(document: unknown, ref: string): unknown {
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/').map(decodePointerSegment)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** `#/paths/~1orders/get/responses/200/content/application~1json/schema` -> `paths.orders.get.responses.200...schema`. */
function nameFor(ref: string): string {
  return ref
    .slice(2)
    .split('/')
    .map((segment) => decodePointerSegment(segment).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter(Boolean)
    .join('.');
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
