/**
 * Redocly looks the keys of a document up in plain objects (its type tree: `type.properties[key]`) and
 * calls a function it finds there, so a schema or property named `hasOwnProperty`, `valueOf` or
 * `constructor` crashes it or is checked as the wrong thing. Its type objects are private, so the keys
 * are escaped instead: what Redocly sees carries every key Object.prototype has (and any key starting
 * with the mark, so that escaping stays reversible) behind a mark, `$ref` fragments included, and what
 * comes back (problem pointers and messages, a bundled document) is unescaped.
 */

const MARK = '\u0000';
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

const needsEscape = (key: string): boolean => INHERITED.has(key) || key.startsWith(MARK);
const escapeKey = (key: string): string => (needsEscape(key) ? MARK + key : key);
const unescapeKey = (key: string): string => (key.startsWith(MARK) ? key.slice(MARK.length) : key);

/**
 * The value with its hostile keys escaped, sharing every part that has none (a spec without such a key
 * comes back as the same object).
 */
export function escapeKeys<T>(value: T): T {
  return transform(value, escapeKey, escapeRef) as T;
}

/** The inverse of escapeKeys, for what Redocly returns. */
export function unescapeKeys<T>(value: T): T {
  return transform(value, unescapeKey, unescapeRef) as T;
}

/** A JSON pointer (`#/components/schemas/<escaped>/...`) as the document writes it. */
export function unescapePointer(pointer: string): string {
  return pointer.includes(MARK) ? pointer.split('/').map(unescapeKey).join('/') : pointer;
}

/** A message of Redocly's that may quote an escaped key. */
export function unescapeMessage(message: string): string {
  return message.replace(/\u0000(\u0000?)/g, '$1');
}

function transform(value: unknown, key: (key: string) => string, ref: (ref: string) => string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const next = transform(item, key, ref);
      if (next !== item) (copy ??= [...value])[index] = next;
    });
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  let copy: [string, unknown][] | undefined;
  names.forEach((name, index) => {
    const item = record[name];
    const renamed = key(name);
    const next = name === '$ref' && typeof item === 'string' ? ref(item) : name === 'discriminator' && isMapping(item) ? transformDiscriminator(item, key, ref) : transform(item, key, ref);
    if (!copy && (renamed !== name || next !== item)) copy = names.slice(0, index).map((kept) => [kept, record[kept]]);
    copy?.push([renamed, next]);
  });
  if (!copy) return value;
  const result: Record<string, unknown> = {};
  // defineProperty: an unescaped `__proto__` is an own key, as the parser made it, not a prototype.
  for (const [name, item] of copy) Object.defineProperty(result, name, { value: item, enumerable: true, writable: true, configurable: true });
  return result;
}

function isMapping(discriminator: unknown): discriminator is { mapping: Record<string, unknown> } {
  const mapping = (discriminator as { mapping?: unknown } | null)?.mapping;
  return typeof mapping === 'object' && mapping !== null && !Array.isArray(mapping);
}

/** A discriminator: its mapping's values are references too (Redocly resolves them), its keys keys. */
function transformDiscriminator(discriminator: { mapping: Record<string, unknown> }, key: (key: string) => string, ref: (ref: string) => string): unknown {
  const { mapping, ...rest } = discriminator;
  const transformed = transform(rest, key, ref) as Record<string, unknown>;
  const values = Object.keys(mapping);
  const entries = values.map((value) => [key(value), typeof mapping[value] === 'string' ? ref(mapping[value]) : mapping[value]] as const);
  const unchanged = transformed === rest && entries.every(([name, target], index) => name === values[index] && target === mapping[values[index]!]);
  return unchanged ? discriminator : { ...transformed, mapping: Object.fromEntries(entries) };
}

/** `other.yaml#/components/schemas/valueOf`: each segment of the fragment escaped as the key it names. */
function escapeRef(ref: string): string {
  const hash = ref.indexOf('#');
  if (hash < 0) return ref;
  const segments = ref.slice(hash + 1).split('/');
  const escaped = segments.map((segment) => (needsEscape(decodeSegment(segment)) ? MARK + segment : segment));
  return escaped.every((segment, index) => segment === segments[index]) ? ref : `${ref.slice(0, hash + 1)}${escaped.join('/')}`;
}

function unescapeRef(ref: string): string {
  const hash = ref.indexOf('#');
  return hash < 0 || !ref.includes(MARK, hash) ? ref : `${ref.slice(0, hash + 1)}${unescapePointer(ref.slice(hash + 1))}`;
}

/** A fragment segment as Redocly reads it (percent-decoded, then `~1` and `~0`). */
function decodeSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // a malformed escape: Redocly reports the reference as unresolved, as written
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

interface ParsingResolver {
  parseDocument(source: { absoluteRef: string }, isRoot?: boolean): { parsed: unknown };
}

/** The resolver, its parsed documents (the files a spec references) escaped as the spec is. */
export function escapeParsedDocuments<T extends ParsingResolver>(resolver: T): T {
  const parse = resolver.parseDocument.bind(resolver);
  resolver.parseDocument = (source, isRoot) => {
    const document = parse(source, isRoot);
    return { ...document, parsed: escapeKeys(document.parsed) };
  };
  return resolver;
}
