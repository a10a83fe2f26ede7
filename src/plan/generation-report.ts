import { apiChangesMarkdown, type ApiChanges } from './api-changes.js';
import { markdownTable, markdownText } from './markdown.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CrudModel, ImplementationEntry } from '../model/crud/types.js';
import type { DomainModel } from '../model/domain/types.js';
import type { InferredDomain } from '../model/infer/infer-domain.js';
import type { ApiModel } from '../model/types.js';
import { operationRules, type DeclaredRulesCodes, type OperationRules } from './rules/rule-coverage.js';
import { namedCodeText, type RuleKind } from './rules/rule-sentences.js';

/** How many operations the generated services implement, by kind. */
export interface ImplementationCounts {
  crud: number;
  domain: number;
  stub: number;
  /** Of the CRUD operations and domain actions, those whose description states rules the design does not declare. */
  proseRulesNotImplemented: { crud: number; domain: number };
}

export interface GenerationReport {
  counts: ImplementationCounts;
  /** One entry per operation of the spec, in the spec's order (docs/ARCHITECTURE.md lists them too). */
  entries: ImplementationEntry[];
  /** The rules of each operation, declared and in prose, by operationId. */
  rules: ReadonlyMap<string, OperationRules>;
  /** The report as markdown, written to `.scaffold/report.md`. */
  markdown: string;
  /** Whether `markdown` is already as prettier writes it (its tables are aligned; see markdownTable). */
  formatted: boolean;
}

export const REPORT_PATH = '.scaffold/report.md';

/**
 * What this generation did with each operation (CRUD, a domain action, or a 501 stub and why),
 * the resources left without an entity, and every warning: the user's checklist after a run.
 */
export function buildGenerationReport(
  model: ApiModel,
  crud: CrudModel | undefined,
  diagnostics: readonly Diagnostic[],
  sources: { spec: string; models: string | undefined; inferred: InferredDomain | undefined; apiChanges?: ApiChanges | undefined },
  design: { domain: DomainModel | undefined; specErrorCodes?: DeclaredRulesCodes } = { domain: undefined },
): GenerationReport {
  const entries: ImplementationEntry[] = model.resources.flatMap((resource) =>
    resource.operations.map(
      (operation) =>
        crud?.operations.get(operation.operationId) ?? {
          operationId: operation.operationId,
          methodName: operation.methodName,
          signature: `${operation.method.toUpperCase()} ${operation.path}`,
          resource: resource.names.original,
          entity: undefined,
          implementation: { kind: 'stub', reason: 'no entity: no domain model was given (--models) and none could be inferred from the spec' },
          notes: [],
        },
    ),
  );
  const operations = new Map(model.resources.flatMap((resource) => resource.operations.map((operation) => [operation.operationId, operation] as const)));
  const rules = new Map(
    entries.flatMap((entry) => {
      const operation = operations.get(entry.operationId);
      return operation ? [[entry.operationId, operationRules(operation, entry, design.domain, design.specErrorCodes)] as const] : [];
    }),
  );
  const counts: ImplementationCounts = { crud: 0, domain: 0, stub: 0, proseRulesNotImplemented: { crud: 0, domain: 0 } };
  for (const entry of entries) {
    // A sign-in step counts as a domain action: behaviour declared in the model, not a CRUD shape.
    const kind = entry.implementation.kind === 'sign-in' ? 'domain' : entry.implementation.kind;
    counts[kind] += 1;
    if (kind !== 'stub' && rules.get(entry.operationId)?.notImplemented) counts.proseRulesNotImplemented[kind] += 1;
  }

  // Names and reasons come from the spec: shown as written, never as markdown.
  const cell = markdownText;
  const rows = entries.map((entry) => {
    const operationRules = rules.get(entry.operationId);
    const { what, details } = describeImplementation(entry, operationRules);
    return [cell(entry.operationId), cell(entry.signature), cell(what), cell(operationRules?.declared.join('; ') || '-'), cell(details.join('; '))];
  });
  const table = markdownTable(['Operation', 'Method and path', 'Implementation', 'From declarations', 'Details'], rows);
  const prose = proseRulesSection(entries, rules);
  const changes = sources.apiChanges && apiChangesMarkdown(sources.apiChanges);
  const lines = [
    '# Generation report',
    '',
    `Written by scaffold on every generation from ${sources.spec}${sources.models ? ` and ${sources.models}` : ''}; do not edit.`,
    ...(sources.inferred?.domain
      ? [`No domain model was given: the entities (${sources.inferred.domain.entities.map((e) => e.names.original).join(', ')}) were inferred from the spec's schemas. Write a model file (docs/domain-model.md of scaffold) for relations, invariants and state machines.`]
      : []),
    'Operations marked stub answer 501 until you implement them in `src/services/<resource>.service.ts`.',
    ...(prose.length > 0
      ? ['Operations marked "rules in prose not implemented" have the shape their description asks for, not the rules it states: declare the rules in the design, or implement them by hand.']
      : []),
    '',
    '## Operations',
    '',
    `${plural(entries.length, 'operation')}: ${implementationCountsText(counts)}.`,
    '',
    ...table.lines,
    ...prose,
  ];
  if (crud && crud.unmapped.length > 0) {
    lines.push('', '## Resources without an entity', '', ...crud.unmapped.map((u) => `- ${cell(u.resource)}: ${cell(u.reason)}`));
  }
  if (sources.inferred && sources.inferred.skipped.length > 0) {
    lines.push('', '## Schemas not inferred as entities', '', ...sources.inferred.skipped.map((s) => `- ${cell(s.schema)}: ${cell(s.reason)}`));
  }
  // A first generation has nothing to compare with: no section.
  if (changes) lines.push('', ...changes.lines);
  const warnings = diagnostics.filter((d) => d.severity !== 'error');
  lines.push('', '## Warnings', '', ...(warnings.length === 0 ? ['None.'] : warnings.map((d) => `- ${cell(formatDiagnostic({ ...d, detail: undefined }))}`)));
  return { counts, entries, rules, markdown: `${lines.join('\n')}\n`, formatted: table.aligned && (changes?.aligned ?? true) };
}

/**
 * What the generated service does for an operation, as the report and docs/ARCHITECTURE.md say it:
 * `CRUD: list Product`, `domain: action (cancel) Order` or `stub (501)`, and the details (a stub's
 * reason, what the implementation leaves out). An operation whose description states rules the design
 * does not declare is `CRUD shape; rules in prose not implemented: list Product`, never implemented.
 */
export function describeImplementation(entry: ImplementationEntry, rules?: OperationRules): { what: string; details: string[] } {
  const i = entry.implementation;
  if (i.kind === 'stub') return { what: 'stub (501)', details: [i.reason, ...entry.notes] };
  if (i.kind === 'sign-in') return { what: `${rules?.notImplemented ? 'sign-in shape; rules in prose not implemented' : 'sign-in'}: ${i.step} ${entry.entity ?? ''}`, details: entry.notes };
  const transition = i.operation.transition ? ` (${i.operation.transition})` : '';
  const shape = `${i.operation.kind}${transition} ${i.operation.entity}`;
  if (rules?.notImplemented) return { what: `${i.kind === 'crud' ? 'CRUD' : 'domain action'} shape; rules in prose not implemented: ${shape}`, details: entry.notes };
  return { what: `${i.kind === 'crud' ? 'CRUD' : 'domain'}: ${shape}`, details: entry.notes };
}

/** `19 CRUD (12 with rules in prose not implemented), 3 domain actions (3 with ...), 0 stubs`: the report, docs/ARCHITECTURE.md and the CLI say it alike. */
export function implementationCountsText(counts: ImplementationCounts): string {
  const prose = (n: number) => (n > 0 ? ` (${n} with rules in prose not implemented)` : '');
  return `${counts.crud} CRUD${prose(counts.proseRulesNotImplemented.crud)}, ${plural(counts.domain, 'domain action')}${prose(counts.proseRulesNotImplemented.domain)}, ${plural(counts.stub, 'stub')}`;
}

/** `roles, error code 409 INVALID_ORDER_STATE`: the kinds of a sentence the design does not declare, with the codes the server does not answer. */
export function undeclaredText(rule: { undeclared: readonly RuleKind[]; unansweredCodes: readonly string[] }): string {
  return rule.undeclared.map((kind) => (kind === 'error-code' ? `error code ${rule.unansweredCodes.join(', ')}` : kind)).join(', ');
}

/** Every operation's rule-like sentences the design does not declare, with the kinds left undeclared. */
function proseRulesSection(entries: readonly ImplementationEntry[], rules: ReadonlyMap<string, OperationRules>): string[] {
  const listed = entries.flatMap((entry) => {
    const undeclared = (rules.get(entry.operationId)?.proseRules ?? []).filter((r) => r.undeclared.length > 0);
    if (undeclared.length === 0) return [];
    return [`- ${markdownText(entry.operationId)} (${markdownText(entry.signature)}):`, ...undeclared.map((r) => `  - ${markdownText(r.text)} (not declared: ${markdownText(undeclaredText({ undeclared: r.undeclared, unansweredCodes: r.unanswered.map(namedCodeText) }))})`)];
  });
  if (listed.length === 0) return [];
  return ['', '## Rules in prose not implemented', '', 'Sentences of the operations\' descriptions that state rules the design does not declare (roles, ownership, state, error codes, uniqueness, idempotency, effects, other): the generated code does not enforce them.', '', ...listed];
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
