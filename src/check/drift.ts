import type { GenerateResult } from '../engine.js';
import { hasApiChanges, type ApiChanges } from '../plan/api-changes.js';
import { plural } from '../plan/generation-report.js';
import { MANIFEST_PATH } from '../write/manifest.js';
import { sectionStatus, type CheckRow, type CheckSection } from './check-result.js';

const MIGRATION_FILE = /^migrations\/[^/]+\.sql$/;

/**
 * The drift section: how far the project is behind its spec and models, read off a dry run of
 * `scaffold generate` (run with --force, so that an edited generator-owned file is reported, not refused).
 * Every finding is something the next `scaffold generate` would do, or refuse to do.
 */
export function driftSection(run: GenerateResult, specFile: string): CheckSection {
  const changed = run.files.filter((f) => f.action === 'create' || f.action === 'update');
  const edited = changed.filter((f) => f.backup !== undefined);
  const migrations = changed.filter((f) => f.backup === undefined && f.action === 'create' && MIGRATION_FILE.test(f.path));
  const behind = changed.filter((f) => !edited.includes(f) && !migrations.includes(f));

  const generated: CheckRow[] = behind.map((f) => ({
    check: 'generated-files',
    status: 'fail',
    file: f.path,
    detail: `${f.action === 'create' ? 'missing: would be created' : 'behind the spec/models: would be updated'} (${f.owner}-owned)`,
  }));
  // Nothing else to write but a new manifest: the file list or the tool version changed.
  if (changed.length === 0 && run.changed) generated.push({ check: 'generated-files', status: 'fail', file: MANIFEST_PATH, detail: 'would be rewritten (the file list or the tool version changed)' });

  const rows: CheckRow[] = [
    ...orPass(generated, { check: 'generated-files', detail: `${plural(run.files.length, 'file')} up to date` }),
    ...orPass(
      edited.map((f) => ({
        check: 'hand-edits',
        status: 'fail' as const,
        file: f.path,
        detail: `generator-owned file edited by hand (or not written by scaffold): \`scaffold generate\` refuses it (SCF026); move the change into ${extenderOf(f.path, run) ?? 'a user-owned file'}, or regenerate with --force`,
      })),
      { check: 'hand-edits', detail: 'no generator-owned file edited by hand' },
    ),
    ...orPass(
      migrations.map((f) => ({ check: 'pending-migrations', status: 'fail' as const, file: f.path, detail: 'the domain model implies this new migration; `scaffold generate` writes it' })),
      { check: 'pending-migrations', detail: 'none: the migrations match the domain model' },
    ),
    ...orPass(apiChangeRows(run.apiChanges, specFile), {
      check: 'api-changes',
      detail: run.apiChanges ? 'none since the last generation' : 'no API snapshot of the last generation to compare with',
    }),
    ...(run.interrupted === 'pending'
      ? [{ check: 'interrupted-write', status: 'fail' as const, file: '.scaffold/staging', detail: 'a generation was interrupted while writing: the next `scaffold generate` finishes or undoes it' }]
      : []),
  ];
  return { name: 'drift', title: 'Drift: is the code in step with the spec and models?', status: sectionStatus(rows), results: rows };
}

function apiChangeRows(changes: ApiChanges | undefined, specFile: string): CheckRow[] {
  if (!changes || !hasApiChanges(changes)) return [];
  const row = (detail: string): CheckRow => ({ check: 'api-changes', status: 'fail', file: specFile, detail });
  return [
    ...changes.added.map((op) => row(`added: ${op.method} ${op.path} (${op.operationId})`)),
    ...changes.removed.map((op) => row(`removed (breaking): ${op.method} ${op.path} (${op.operationId})`)),
    // One row per change, as the summary of `scaffold generate` lists them.
    ...changes.changed.flatMap((c) => c.changes.map((change) => row(`${change.breaking ? 'breaking' : 'changed'}: ${c.operation.method} ${c.operation.path}: ${change.detail}`))),
  ];
}

/** The user-owned file that extends a generated one (`x.service.gen.ts` -> `x.service.ts`), when the project has it. */
function extenderOf(path: string, run: GenerateResult): string | undefined {
  const candidate = path.replace(/\.gen(\.[a-z]+)$/, '$1');
  return candidate !== path && run.files.some((f) => f.path === candidate && f.owner === 'user') ? candidate : undefined;
}

function orPass(rows: CheckRow[], pass: { check: string; detail: string }): CheckRow[] {
  return rows.length > 0 ? rows : [{ check: pass.check, status: 'pass', detail: pass.detail }];
}
