import { undeclaredText } from '../plan/generation-report.js';
import type { OperationReport } from '../plan/rules/operation-report.js';
import { sectionStatus, type CheckRow, type CheckSection } from './check-result.js';

/**
 * The prose-rules section of `scaffold check --fail-on-prose-rules`: one failing row per operation
 * whose description states rules the design does not declare (the generated code is their shape, not
 * their behaviour), naming each such sentence and the kinds left undeclared.
 */
export function proseRulesSection(operations: readonly OperationReport[], specFile: string): CheckSection {
  const rows: CheckRow[] = operations
    .filter((op) => op.implementation !== 'stub' && op.rulesInProseNotImplemented)
    .map((op) => ({
      check: 'rules-in-prose',
      status: 'fail',
      file: specFile,
      detail: `${op.signature} (${op.operationId}): ${op.proseRules
        .filter((r) => r.undeclared.length > 0)
        .map((r) => `"${r.text}" (not declared: ${undeclaredText(r)})`)
        .join('; ')}`,
    }));
  const results: CheckRow[] = rows.length > 0 ? rows : [{ check: 'rules-in-prose', status: 'pass', detail: 'every rule the descriptions state is declared in the design' }];
  return { name: 'prose-rules', title: 'Prose rules: does the design declare every rule its descriptions state?', status: sectionStatus(results), results };
}
