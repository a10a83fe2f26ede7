import { isRecord } from './json-schema.js';
import { resolvePointer } from './resolve-ref.js';

const ENVELOPE_KEYS = new Set(['success', 'data', 'meta', 'error', 'links']);

/**
 * A body "uses the envelope" when its top-level properties (through $ref and allOf) include
 * `success` and `data` and nothing beyond `meta`, `error` and `links`.
 */
export function isEnvelope(document: unknown, schema: unknown): boolean {
  const keys = topLevelProperties(document, schema, 0);
  return keys.has('success') && keys.has('data') && [...keys].every((key) => ENVELOPE_KEYS.has(key));
}

function topLevelProperties(document: unknown, schema: unknown, depth: number): Set<string> {
  const keys = new Set<string>();
  if (!isRecord(schema) || depth > 16) return keys;
  if (typeof schema.$ref === 'string') {
    for (const key of topLevelProperties(document, resolvePointer(document, schema.$ref), depth + 1)) keys.add(key);
  }
  if (isRecord(schema.properties)) for (const key of Object.keys(schema.properties)) keys.add(key);
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) for (const key of topLevelProperties(document, part, depth + 1)) keys.add(key);
  }
  return keys;
}
