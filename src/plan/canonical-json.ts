import { isRecord } from '../model/json-schema.js';

/**
 * JSON with sorted keys, so that key order in the spec is not a change. The layout is the one
 * `JSON.stringify` gives an object rebuilt from its sorted entries (which the API snapshots on disk
 * were hashed with): integer-like keys first in numeric order, the others sorted. Written out by hand
 * because the replacer version rebuilds every object, which on a large spec takes a good part of a second.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (isOmitted(item) ? 'null' : canonicalJson(item))).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value) ?? 'null';
  let members = '';
  for (const key of sortedKeys(value)) {
    const member = value[key];
    if (isOmitted(member)) continue;
    members += `${members === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `{${members}}`;
}

/** What JSON.stringify leaves out of objects (and writes as null in arrays). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Sorted, then ordered as an object's own keys are: array indexes (canonical integers below 2^32 - 1) first, ascending. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  const indexes = keys.filter(isArrayIndex);
  if (indexes.length === 0) return keys;
  return [...indexes.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}
