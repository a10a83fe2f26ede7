import { isDeepStrictEqual } from 'node:util';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A key both sides changed differently: the merge kept `yours`; `undefined` means the key is absent there. */
export interface JsonConflict {
  /** JSON pointer of the key (`/scripts/build`). */
  pointer: string;
  yours: Json | undefined;
  lastGenerated: Json | undefined;
  generated: Json | undefined;
}

export interface JsonMerge {
  /** The merged document, formatted with the indentation of yours and a final newline. */
  content: string;
  /** Whether the merged document differs from yours (not just in formatting). */
  changed: boolean;
  conflicts: JsonConflict[];
}

/**
 * A structural three-way merge of JSON documents, key by key: objects are merged recursively, arrays and
 * scalars are values. A key changed on one side only takes that side; a key both sides changed differently
 * keeps yours and is reported, so the result is always valid JSON. Returns undefined when one of the
 * three is not valid JSON (it cannot be merged structurally).
 */
export function mergeJson(base: string, yours: string, generated: string): JsonMerge | undefined {
  const [b, y, g] = [parse(base), parse(yours), parse(generated)];
  if (b === undefined || y === undefined || g === undefined) return undefined;
  const conflicts: JsonConflict[] = [];
  const merged = mergeValue(b.value, y.value, g.value, '', conflicts);
  const content = merged === undefined ? '' : `${JSON.stringify(merged, null, indentOf(yours))}\n`;
  return { content, changed: !isDeepStrictEqual(merged, y.value), conflicts };
}

function mergeValue(base: Json | undefined, yours: Json | undefined, generated: Json | undefined, pointer: string, conflicts: JsonConflict[]): Json | undefined {
  if (isDeepStrictEqual(yours, generated) || isDeepStrictEqual(generated, base)) return yours;
  if (isDeepStrictEqual(yours, base)) return generated;
  if (isObject(yours) && isObject(generated)) return mergeObject(isObject(base) ? base : {}, yours, generated, pointer, conflicts);
  conflicts.push({ pointer, yours, lastGenerated: base, generated });
  return yours;
}

/**
 * Keys keep your order; a key the generator added goes after the key it follows in the generated object.
 * A key neither side has any more (both deleted it) stays deleted.
 */
function mergeObject(base: JsonObject, yours: JsonObject, generated: JsonObject, pointer: string, conflicts: JsonConflict[]): JsonObject {
  const keys = Object.keys(yours);
  let previous: string | undefined;
  for (const key of Object.keys(generated)) {
    if (!keys.includes(key)) keys.splice(previous === undefined ? 0 : keys.indexOf(previous) + 1, 0, key);
    previous = key;
  }

  const merged: [string, Json][] = [];
  for (const key of keys) {
    const value = mergeValue(own(base, key), own(yours, key), own(generated, key), `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, conflicts);
    if (value !== undefined) merged.push([key, value]);
  }
  // From entries: a key `__proto__` (JSON.parse makes it an own key) stays a key instead of setting the prototype.
  return Object.fromEntries(merged);
}

const own = (object: JsonObject, key: string): Json | undefined => (Object.hasOwn(object, key) ? object[key] : undefined);

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(text: string): { value: Json } | undefined {
  try {
    return { value: JSON.parse(text) as Json };
  } catch {
    return undefined;
  }
}

/** The indentation of the first indented line (two spaces when there is none). */
function indentOf(text: string): string | number {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? 2;
}

/** Where the conflicts of a merged JSON file are written: beside it, never as markers inside it. */
export function conflictsPath(path: string): string {
  return `${path}.conflicts.json`;
}

/** The file listing a JSON file's conflicts: for each key, your value (kept), the last generated one and the new one. */
export function formatConflicts(path: string, conflicts: readonly JsonConflict[]): string {
  const side = (value: Json | undefined) => (value === undefined ? { absent: true } : { value });
  const document = {
    $comment: `scaffold could not merge these keys of ${path}: your value was kept. Decide for each, edit ${path}, then delete this file.`,
    file: path,
    conflicts: conflicts.map((c) => ({ key: c.pointer, yours: side(c.yours), lastGenerated: side(c.lastGenerated), generated: side(c.generated) })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
