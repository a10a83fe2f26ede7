/**
 * JSON pointers as Redocly writes and reads them in its problems' locations: segments escaped with
 * `~0`/`~1` only, and read back with the escapes undone first, then percent-decoding.
 */

/** `a/b~c` -> `a~1b~0c`. */
export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `a~1b%20c` -> `a/b c` (a segment that is not valid percent-encoding is taken as written). */
export function unescapeSegment(segment: string): string {
  const unescaped = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}

/** Redocly's parsePointer: `#/a~1b/c%20d` -> ['a/b', 'c d']. */
export function pointerSegments(pointer: string): string[] {
  return pointer.slice(2).split('/').map(unescapeSegment);
}
