import { conflictsPath, formatConflicts, mergeJson } from './json-merge.js';
import { mergeText } from './text-merge.js';

/**
 * What regeneration does to a template file that exists (the user may have edited it):
 * - `unchanged`: it already is the new output;
 * - `update`: the user did not edit it, so it becomes the new output;
 * - `keep`: nothing upstream changed, or the merge changes nothing, or it cannot be merged (`unmergeable`);
 * - `merge`: both sides changed it and the changes merged cleanly (`content`);
 * - `conflict`: both sides changed the same lines or keys. Text gets conflict markers in `content`;
 *   JSON keeps the user's value of each such key (`content` when other keys merged) and lists the
 *   conflicts in a file beside it (`conflictFile`).
 */
export type TemplateMerge =
  | { action: 'unchanged' | 'update' }
  | { action: 'keep'; unmergeable?: 'no-last-generated' | 'invalid-json' }
  | { action: 'merge'; content: string }
  | { action: 'conflict'; content?: string; conflict: TemplateConflict };

export interface TemplateConflict {
  /** How many regions (text) or keys (JSON, as JSON pointers in `keys`) conflict. */
  count: number;
  keys?: string[];
  /** For JSON: the file beside it that lists each conflicting key's three versions. */
  listedIn?: string;
  conflictFile?: { path: string; content: string };
}

/** Three-way merge of one template file: base = the last generated output, yours = the disk, theirs = the new output. */
export function mergeTemplateFile(path: string, lastGenerated: string | undefined, yours: string, generated: string): TemplateMerge {
  if (yours === generated) return { action: 'unchanged' };
  if (lastGenerated === undefined) return { action: 'keep', unmergeable: 'no-last-generated' };
  if (yours === lastGenerated) return { action: 'update' };
  if (generated === lastGenerated) return { action: 'keep' };

  if (path.endsWith('.json')) {
    const merged = mergeJson(lastGenerated, yours, generated);
    if (!merged) return { action: 'keep', unmergeable: 'invalid-json' };
    const content = merged.changed ? { content: merged.content } : {};
    if (merged.conflicts.length === 0) return merged.changed ? { action: 'merge', content: merged.content } : { action: 'keep' };
    const listedIn = conflictsPath(path);
    const keys = merged.conflicts.map((c) => c.pointer);
    return {
      action: 'conflict',
      ...content,
      conflict: { count: keys.length, keys, listedIn, conflictFile: { path: listedIn, content: formatConflicts(path, merged.conflicts) } },
    };
  }

  const merged = mergeText(lastGenerated, yours, generated);
  if (merged.conflicts > 0) return { action: 'conflict', content: merged.content, conflict: { count: merged.conflicts } };
  return merged.content === yours ? { action: 'keep' } : { action: 'merge', content: merged.content };
}
