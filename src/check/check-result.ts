import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiChanges } from '../plan/api-changes.js';

/**
 * What `scaffold check` found, as `--json` prints it. Its JSON Schema is
 * `schemas/check-result.schema.json` (documented in docs/check.md); change both together.
 */
export interface CheckResult {
  schemaVersion: 1;
  toolVersion: string;
  /** The project checked (absolute). */
  project: string;
  /** `pass`: every check passed; `fail`: a check failed; `error`: the project could not be checked. */
  status: 'pass' | 'fail' | 'error';
  exitCode: CheckExitCode;
  /** Named sections: `drift`, `guidelines`, and with --fail-on-prose-rules `prose-rules`. Empty when the project could not be checked. */
  sections: CheckSection[];
  /** The semantic API changes since the last generation; absent when there is no snapshot to compare with. */
  apiChanges?: ApiChanges;
  /** Errors that stopped the check (exit 3), and warnings of the dry run. */
  diagnostics: Diagnostic[];
}

export interface CheckSection {
  name: SectionName;
  title: string;
  status: CheckStatus;
  /** One row per finding; a check with nothing to report has one passing row. */
  results: CheckRow[];
}

export type SectionName = 'drift' | 'guidelines' | 'prose-rules';
export type CheckStatus = 'pass' | 'fail';

export interface CheckRow {
  /**
   * A stable id. drift: `generated-files`, `hand-edits`, `pending-migrations`, `api-changes`, `interrupted-write`;
   * guidelines: `layer-folders`, `file-case`, `file-suffixes` and the rules of docs/guidelines.md;
   * prose-rules: `rules-in-prose`.
   */
  check: string;
  status: CheckStatus;
  /** The project file (or, for API changes, the spec) the row is about, relative to the project. */
  file?: string;
  /** The line in `file` the finding is at (guidelines: the import, the class). */
  line?: number;
  detail: string;
}

/** 0 all pass, 1 drift, 2 guideline violations, 3 could not check, 4 rules in prose not implemented (with --fail-on-prose-rules). */
export type CheckExitCode = 0 | 1 | 2 | 3 | 4;

export const EXIT_CODES = { pass: 0, drift: 1, guidelines: 2, error: 3, 'prose-rules': 4 } as const;

/** The exit code of a set of sections: the lowest code among the failed ones (drift before guidelines before prose rules). */
export function exitCodeOf(sections: readonly CheckSection[]): CheckExitCode {
  const failed = sections.filter((s) => s.status === 'fail').map((s) => EXIT_CODES[s.name]);
  return failed.length === 0 ? 0 : (Math.min(...failed) as CheckExitCode);
}

export function sectionStatus(results: readonly CheckRow[]): CheckStatus {
  return results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
}
