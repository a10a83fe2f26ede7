import { describeImplementation, type GenerationReport } from '../generation-report.js';
import { namedCodeText, type RuleKind } from './rule-sentences.js';

/**
 * One operation as `scaffold generate --json` and `scaffold check --fail-on-prose-rules` see it: how it
 * is implemented, what is generated from declarations, and the rules its description states.
 */
export interface OperationReport {
  operationId: string;
  /** `GET /products/{id}`. */
  signature: string;
  implementation: 'crud' | 'domain' | 'sign-in' | 'stub';
  /** As `.scaffold/report.md` says it: `CRUD: get Product`, `CRUD shape; rules in prose not implemented: get Product`, `stub (501)`. */
  label: string;
  /** What the design declares for the operation (`roles/scopes users:write`, `transition cancel from pending, paid`). */
  declared: string[];
  /**
   * The rule-like sentences of its summary and description; `undeclared` lists the kinds the design does
   * not declare, `unansweredCodes` the statuses and codes named that the generated code does not answer.
   */
  proseRules: { text: string; kinds: RuleKind[]; undeclared: RuleKind[]; unansweredCodes: string[] }[];
  /** Whether a sentence states a rule the design does not declare. */
  rulesInProseNotImplemented: boolean;
}

export function operationReports(report: Pick<GenerationReport, 'entries' | 'rules'>): OperationReport[] {
  return report.entries.map((entry) => {
    const rules = report.rules.get(entry.operationId);
    return {
      operationId: entry.operationId,
      signature: entry.signature,
      implementation: entry.implementation.kind,
      label: describeImplementation(entry, rules).what,
      declared: rules?.declared ?? [],
      proseRules: (rules?.proseRules ?? []).map((r) => ({ text: r.text, kinds: r.kinds, undeclared: r.undeclared, unansweredCodes: r.unanswered.map(namedCodeText) })),
      rulesInProseNotImplemented: rules?.notImplemented ?? false,
    };
  });
}
