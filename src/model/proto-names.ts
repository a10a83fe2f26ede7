import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isRecord } from './json-schema.js';
import { escapePointer } from './operations.js';

const PROTO = '__proto__';

/** Values that are data, not schemas or parameters: a `__proto__` key in them is only text. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * A property or parameter named `__proto__` cannot cross the generated server: Fastify rejects every
 * JSON body that carries the key (its prototype poisoning guard), reading it from a request object
 * that lacks it yields Object.prototype, and an object literal writing it sets a prototype instead.
 * Such a name is reported where it is declared, rather than generated into a server that loses it.
 */
export function reportProtoNames(document: unknown): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`));
      return;
    }
    if (!isRecord(node)) return;
    if (isRecord(node.properties) && Object.hasOwn(node.properties, PROTO)) {
      diagnostics.push(error('SCF016', `property "${PROTO}" cannot be received or sent by the generated server (Fastify rejects JSON bodies carrying it); rename it`, { pointer: `${pointer}/properties/${PROTO}` }));
    }
    if (node.name === PROTO && typeof node.in === 'string') {
      diagnostics.push(error('SCF016', `parameter "${PROTO}" cannot be read by the generated server; rename it`, { pointer: `${pointer}/name` }));
    }
    for (const [key, value] of Object.entries(node)) {
      if (!DATA_KEYS.has(key) && !key.startsWith('x-')) visit(value, `${pointer}/${escapePointer(key)}`);
    }
  };
  visit(document, '');
  return diagnostics;
}
