/**
 * Renders a JSON-shaped body as XML, for operations whose spec offers `application/xml` beside JSON:
 * objects become elements named after their properties, lists repeat their item element, and every
 * text is escaped. Properties that cannot name an element are left out rather than mangled.
 */
export function toXml(body: unknown, names: { root: string; item: string }): string {
  const content = Array.isArray(body) ? body.map((item) => element(names.item, item)).join('') : children(body);
  return `<?xml version="1.0" encoding="UTF-8"?><${names.root}>${content}</${names.root}>`;
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  return `<${name}>${typeof value === 'object' ? children(value) : escape(String(value))}</${name}>`;
}

function children(value: unknown): string {
  if (typeof value !== 'object' || value === null) return escape(String(value));
  return Object.entries(value)
    .filter(([name]) => ELEMENT_NAME.test(name))
    .map(([name, child]) => element(name, child))
    .join('');
}

function escape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}
