import { apiChangesMarkdown, type ApiChanges } from './api-changes.js';
import { markdownTable, markdownText } from './markdown.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CrudModel, ImplementationEntry } from '../model/crud/types.js';
import type { InferredDomain } from '../model/infer/infer-domain.js';
import type { ApiModel } from '../model/types.js';

/** How many operations the generated services implement, by kind. */
export interface ImplementationCounts {
  crud: number;
  domain: number;
  stub: number;
}

export interface GenerationReport {
  counts: ImplementationCounts;
  /** One entry per operation of the spec, in the spec's order (docs/ARCHITECTURE.md lists them too). */
  entries: ImplementationEntry[];
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
  const counts: ImplementationCounts = { crud: 0, domain: 0, stub: 0 };
  for (const entry of entries) counts[entry.implementation.kind] += 1;

  // Names and reasons come from the spec: shown as written, never as markdown.
  const cell = markdownText;
  const rows = entries.map((entry) => {
    const { what, details } = describeImplementation(entry);
    return [cell(entry.operationId), cell(entry.signature), cell(what), cell(details.join('; '))];
  });
  const table = markdownTable(['Operation', 'Method and path', 'Implementation', 'Details'], rows);
  const changes = sources.apiChanges && apiChangesMarkdown(sources.apiChanges);
  const lines = [
    '# Generation report',
    '',
    `Written by scaffold on every generation from ${sources.spec}${sources.models ? ` and ${sources.models}` : ''}; do not edit.`,
    ...(sources.inferred?.domain
      ? [`No domain model was given: the entities (${sources.inferred.domain.entities.map((e) => e.names.original).join(', ')}) were inferred from the spec's schemas. Write a model file (docs/domain-model.md of scaffold) for relations, invariants and state machines.`]
      : []),
    'Operations marked stub answer 501 until you implement them in `src/services/<resource>.service.ts`.',
    '',
    '## Operations',
    '',
    `${plural(entries.length, 'operation')}: ${counts.crud} CRUD, ${plural(counts.domain, 'domain action')}, ${plural(counts.stub, 'stub')}.`,
    '',
    ...table.lines,
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
  return { counts, entries, markdown: `${lines.join('\n')}\n`, formatted: table.aligned && (changes?.aligned ?? true) };
}

/**
 * What the generated service does for an operation, as the report and docs/ARCHITECTURE.md say it:
 * `CRUD: list Product`, `domain: action (cancel) Order` or `stub (501)`, and the details (a stub's
 * reason, what the implementation leaves out).
 */
export function describeImplementation(entry: ImplementationEntry): { what: string; details: string[] } {
  const i = entry.implementation;
  if (i.kind === 'stub') return { what: 'stub (501)', details: [i.reason, ...entry.notes] };
  const transition = i.operation.transition ? ` (${i.operation.transition})` : '';
  return { what: `${i.kind === 'crud' ? 'CRUD' : 'domain'}: ${i.operation.kind}${transition} ${i.operation.entity}`, details: entry.notes };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
