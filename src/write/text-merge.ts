import { diff3Merge } from 'node-diff3';

/** The labels of a conflict's sides, as git's diff3 style prints them. */
export const CONFLICT_MARKERS = {
  yours: '<<<<<<< yours',
  base: '||||||| last generated',
  separator: '=======',
  generated: '>>>>>>> generated',
} as const;

export interface TextMerge {
  content: string;
  /** How many regions both sides changed differently (each is marked in `content`). */
  conflicts: number;
}

/**
 * A line-based three-way merge (diff3): changes made on one side only are taken; regions both sides
 * changed differently are written with both versions and the last generated one between conflict
 * markers. Both sides making the same change is not a conflict.
 */
export function mergeText(base: string, yours: string, generated: string): TextMerge {
  const regions = diff3Merge(lines(yours), lines(base), lines(generated), { excludeFalseConflicts: true });
  let content = '';
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) content += region.ok.join('');
    else if (region.conflict) {
      conflicts += 1;
      const { a, o, b } = region.conflict;
      content += [CONFLICT_MARKERS.yours, ...a.map(trimEnd), CONFLICT_MARKERS.base, ...o.map(trimEnd), CONFLICT_MARKERS.separator, ...b.map(trimEnd), CONFLICT_MARKERS.generated]
        .map((line) => `${line}\n`)
        .join('');
    }
  }
  return { content, conflicts };
}

/** Lines with their terminators, so a missing final newline on one side is a change like any other. */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

const trimEnd = (line: string) => line.replace(/\r?\n$/, '');
