import { didYouMean } from '../diagnostics/did-you-mean.js';

/**
 * Says which local `$ref` names nothing and what it should likely name: `cannot resolve $ref
 * "#/components/schemas/Taks": components/schemas has no "Taks"; did you mean "Task"?`. `at` is the
 * problem's pointer (the object holding the `$ref`, or the `$ref` itself) in `document`. Undefined when
 * no local `$ref` is found there.
 */
export function unresolvedRefMessage(at: string, document: unknown): string | undefined {
  const holder = valueAt(document, segmentsOf(at.replace(/^#/, '')));
  const ref = typeof holder === 'string' ? holder : isRecord(holder) && typeof holder.$ref === 'string' ? holder.$ref : undefined;
  if (ref === undefined || !ref.startsWith('#/')) return undefined; // another file's problem says best what is missing there
  const target = segmentsOf(ref.slice(1));
  let node = document;
  for (let depth = 0; depth < target.length; depth += 1) {
    const key = target[depth] as string;
    if (!isRecord(node) || !Object.hasOwn(node, key)) {
      const where = depth === 0 ? 'the document' : target.slice(0, depth).join('/');
      return `cannot resolve $ref "${ref}": ${where} has no "${key}"${isRecord(node) ? didYouMean(key, Object.keys(node)) : ''}`;
    }
    node = node[key];
  }
  return `cannot resolve $ref "${ref}"`;
}

function segmentsOf(pointer: string): string[] {
  return pointer === '' || pointer === '/' ? [] : pointer.split('/').slice(1).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
