import type { ImplementationEntry } from '../model/crud/types.js';
import type { RelationalSchema } from '../model/domain/relational-schema.js';
import type { DomainModel } from '../model/domain/types.js';
import type { SecurityScheme } from '../model/types.js';
import { erDiagram } from './er-diagram.js';
import { describeImplementation, implementationCountsText, plural, type ImplementationCounts } from './generation-report.js';
import { fencedBlock, inlineCode, markdownText, tableCode } from './markdown.js';
import { createSchemaStatements } from './migration-sql.js';
import type { OperationRules } from './rules/rule-coverage.js';
import type { TestCount } from './test-count.js';

/**
 * What docs/ARCHITECTURE.md receives. Every string is markdown already made safe for where the
 * template puts it (a table cell, a line of prose, a whole fenced block): the spec and the model are
 * user input, and the template places them as they come.
 */
export interface ArchitectureView {
  /** The project's name, for the heading. */
  title: string;
  /** The spec's file name, as inline code. */
  specFile: string;
  /** The mermaid ER diagram as a fenced block (undefined without a domain model). */
  erDiagram: string | undefined;
  entities: { name: string; table: string; aggregate: string }[];
  /** The schema's DDL as a fenced `sql` block (undefined without a domain model). */
  ddl: string | undefined;
  /** Which migration files build that schema: `The migration that builds it is \`migrations/0000_initial.sql\``. */
  migrations: string;
  /** The spec's base path as inline code, or empty when the API is served at the root. */
  basePath: string;
  /** The spec's security schemes and their kinds, `\`bearerAuth\` (bearer)`, or a sentence saying there are none. */
  securitySchemes: string;
  operations: { route: string; operationId: string; controller: string; service: string; implementation: string; rules: string }[];
  /** `22 operations: 19 CRUD, 3 domain actions, 0 stubs.` */
  summary: string;
  tests: TestCount;
}

export interface ArchitectureInput {
  packageName: string;
  specFile: string;
  /** The generation report's entries and counts (.scaffold/report.md lists the same). */
  entries: readonly ImplementationEntry[];
  counts: ImplementationCounts;
  /** The rules of each operation, declared and in prose, by operationId. */
  rules: ReadonlyMap<string, OperationRules>;
  /** The classes and method of each operation, by operationId. */
  handlers: ReadonlyMap<string, { controllerClass: string; serviceClass: string; methodName: string }>;
  domain: DomainModel | undefined;
  schema: RelationalSchema | undefined;
  migrationFiles: readonly string[];
  basePath: string;
  securitySchemes: readonly Pick<SecurityScheme, 'key' | 'kind'>[];
  tests: TestCount;
}

export function buildArchitectureView(input: ArchitectureInput): ArchitectureView {
  const { domain, schema, counts } = input;
  return {
    title: markdownText(input.packageName),
    specFile: inlineCode(input.specFile),
    erDiagram: domain && schema ? fencedBlock(erDiagram(domain, schema), 'mermaid') : undefined,
    entities: (domain?.entities ?? []).map((entity) => ({
      name: tableCode(entity.names.original),
      table: tableCode(entity.table),
      aggregate: tableCode(entity.aggregate),
    })),
    ddl: schema ? fencedBlock(createSchemaStatements(schema).join('\n\n'), 'sql') : undefined,
    migrations:
      input.migrationFiles.length === 1
        ? `The migration that builds it is ${inlineCode(input.migrationFiles[0] ?? '')}`
        : `The migrations that build it, applied in this order, are ${listText(input.migrationFiles.map(inlineCode))}`,
    basePath: input.basePath === '' ? '' : inlineCode(input.basePath),
    securitySchemes:
      input.securitySchemes.length === 0
        ? 'the spec declares no security scheme'
        : `the spec's security schemes: ${listText(input.securitySchemes.map((s) => `${inlineCode(s.key)} (${markdownText(s.kind)})`))}`,
    operations: input.entries.map((entry) => {
      const handler = input.handlers.get(entry.operationId);
      const { what, details } = describeImplementation(entry, input.rules.get(entry.operationId));
      return {
        route: tableCode(entry.signature),
        operationId: tableCode(entry.operationId),
        controller: handler ? tableCode(`${handler.controllerClass}.${handler.methodName}`) : '',
        service: handler ? tableCode(`${handler.serviceClass}.${handler.methodName}`) : '',
        implementation: markdownText([what, ...details].join('; ')),
        // Roles, row policies, transitions, state guards, unique fields: what the code enforces from the design.
        rules: markdownText(input.rules.get(entry.operationId)?.declared.join('; ') || '-'),
      };
    }),
    summary: markdownText(`${plural(input.entries.length, 'operation')}: ${implementationCountsText(counts)} answering 501.`),
    tests: input.tests,
  };
}

/** `a`, `a and b`, `a, b and c`. */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
