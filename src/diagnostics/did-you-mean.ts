/** Beyond this many known names nothing is suggested: on a hostile design the search would cost more than a hint is worth. */
const MAX_CANDIDATES = 500;

/**
 * "Did you mean" for a name that names nothing: the known name nearest to it by edit distance, case
 * ignored, a swap of two neighbouring letters counting as one edit (`Taks` -> `Task`). Only a name
 * within a third of its length (one or two edits) is offered: a far one would mislead more than help.
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  const candidates = [...known];
  if (candidates.length > MAX_CANDIDATES) return undefined;
  const wanted = name.toLowerCase();
  const allowed = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  let best: { name: string; distance: number; exact: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - name.length) > allowed) continue;
    const distance = editDistance(wanted, candidate.toLowerCase(), allowed);
    if (distance > allowed || (best && distance > best.distance)) continue;
    const exact = editDistance(name, candidate, name.length + candidate.length);
    if (!best || distance < best.distance || exact < best.exact) best = { name: candidate, distance, exact };
  }
  return best?.name;
}

/** The tail of a message: `; did you mean "uuid"?`, or nothing when no known name is near. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const nearest = nearestName(name, known);
  return nearest === undefined ? '' : `; did you mean "${nearest}"?`;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps), in three
 * rolling rows; once it must exceed `limit`, it returns `limit + 1` without finishing.
 */
function editDistance(a: string, b: string, limit: number): number {
  const width = b.length + 1;
  let beforePrevious = new Uint16Array(width);
  let previous = new Uint16Array(width);
  let current = new Uint16Array(width);
  for (let j = 0; j < width; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMinimum = i - 1; // previous[0]
    for (let j = 1; j < width; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) distance = Math.min(distance, beforePrevious[j - 2]! + 1);
      current[j] = distance;
      rowMinimum = Math.min(rowMinimum, distance, previous[j]!);
    }
    // Every path to the end passes through this row or the one before it (a swap looks back two).
    if (rowMinimum > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}
