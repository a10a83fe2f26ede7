import { CONFLICT_MARKERS } from '../write/text-merge.js';
import type { FileOutcome } from '../write/write-project.js';
import { plural } from '../plan/generation-report.js';

/**
 * The lines a run prints about what regeneration did beyond writing: every file found moved, every file
 * the layout change moved, and every conflict with its file (what to resolve, and where).
 */
export function regenerationNotes(files: readonly FileOutcome[], dryRun: boolean): string[] {
  const would = (done: string, planned: string) => (dryRun ? planned : done);
  const notes: string[] = [];
  for (const file of files) {
    if (file.movedFrom && file.action !== 'move' && file.owner !== 'generator') notes.push(`  moved: ${file.movedFrom} -> ${file.path}, kept`);
    if (file.action === 'move') notes.push(`  moved: ${file.movedFrom} -> ${file.path} (its planned path changed; ${would('moved', 'would move')} by scaffold)`);
    if (file.action === 'conflict' && file.conflict) {
      const { count, keys, listedIn } = file.conflict;
      notes.push(
        listedIn
          ? `  conflict ${file.path}: ${keys?.join(', ')} ${would('kept', 'would keep')} as yours; each key's three versions ${would('are', 'would be')} in ${listedIn}`
          : `  conflict ${file.path}: ${plural(count, 'region')} marked ${CONFLICT_MARKERS.yours} ... ${CONFLICT_MARKERS.generated} in the file`,
      );
    }
  }
  return notes;
}
