/** Where a problem sits: a file, optionally a line/column and a JSON pointer into the document. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** One finding of the engine. `code` is stable and documented in docs/diagnostics.md. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  location?: SourceLocation;
  hint?: string;
  /**
   * Supporting text too long for the message (an upstream diff): printed under it on the terminal, left
   * out of `.scaffold/report.md`, whose warnings must not change from one run to the next on their own.
   */
  detail?: string;
}

/**
 * Every code the engine can emit. A test checks that each one is documented in docs/diagnostics.md,
 * so adding a code here without documenting it fails the build.
 */
export const DIAGNOSTIC_CODES = {
  SCF001: 'input file not found',
  SCF002: 'syntax error (YAML, JSON, DBML or SQL)',
  SCF003: 'Swagger 2.0 document',
  SCF004: 'not an OpenAPI 3.0/3.1 document',
  SCF005: 'invalid OpenAPI document',
  SCF006: 'unresolvable $ref',
  SCF007: '$ref outside the design root',
  SCF008: 'remote $ref refused or failed',
  SCF009: 'design document too large or not a regular file',
  SCF010: 'unsupported construct',
  SCF011: 'route collision',
  SCF012: 'response serialized by the fallback',
  SCF013: 'a domain model name the generated class needs for itself',
  SCF014: 'YAML aliases expand too far',
  SCF015: 'document nested too deep, or a $ref chain that loops',
  SCF016: 'a property or parameter named __proto__',
  SCF017: 'pattern that can backtrack super-linearly (ReDoS)',
  SCF018: 'invalid policy',
  SCF019: 'invalid effect or check',
  SCF027: 'invalid sign-in declaration',
  SCF020: 'output directory not empty',
  SCF021: 'output path escapes the output directory',
  SCF022: 'invalid option',
  SCF023: 'invalid project config',
  SCF024: 'template failed to render',
  SCF025: 'generated code failed to format',
  SCF026: 'generator-owned file edited by hand',
  SCF030: 'invalid domain model file',
  SCF031: 'unknown name in the domain model',
  SCF032: 'relations that cannot be created',
  SCF033: 'invalid invariant or computed value',
  SCF034: 'invalid state machine',
  SCF035: 'schema change that needs a hand-written migration',
  SCF036: 'structure the DBML/SQL import cannot represent',
  SCF037: 'schema change that can fail or lose data, not confirmed',
  SCF038: 'renamedFrom names what the schema never had',
  SCF039: 'conflicting renamedFrom',
  SCF040: 'layout change would move a file of yours',
  SCF041: 'template file not merged: no last generated copy',
  SCF042: 'JSON template file not merged: not valid JSON',
  SCF043: 'moved file found in several places',
  SCF044: 'invalid external service or call of one',
  SCF045: 'override of an operation that left the spec, marked deprecated',
  SCF046: 'registration of a resource that left the spec',
  SCF047: 'type error in your code after regeneration',
  SCF048: 'type check of your code skipped',
  SCF049: 'user-owned file not extended',
  SCF050: 'unreadable API snapshot',
  SCF051: 'not a generated project',
  SCF052: 'project could not be checked',
  SCF060: 'design folder without an OpenAPI document',
  SCF061: 'guidelines file in prose, not applied',
  SCF065: 'template of the project is broken',
  SCF066: 'template helpers module failed to load',
  SCF067: 'default of an ejected template changed',
  SCF068: 'no template matches the eject pattern',
  SCF069: 'invalid record of ejected templates',
  SCF070: 'invalid guidelines file',
  // Retired: errorEnvelope and idType are applied now. Kept so the code is never reused.
  SCF071: 'guideline recorded, not applied yet (retired)',
  SCF080: 'scaffold add: the design cannot take the addition',
  SCF081: 'project plopfile could not be loaded',
  SCF082: 'generator that scaffold add cannot run',
  SCF083: 'scaffold add: a project file cannot be edited',
  SCF084: 'generator action failed',
  SCF085: 'x-idempotency-ttl is not a positive whole number of seconds',
  SCF101: 'operation without operationId',
  SCF102: 'identifier renamed',
  SCF105: 'tolerated deviation from the OpenAPI schema',
  SCF106: 'x-idempotency-ttl on an operation without an Idempotency-Key header',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Thrown by the engine for input it cannot generate from. Carries every error found, not just the first. */
export class ScaffoldError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ScaffoldError';
    this.diagnostics = diagnostics;
  }
}

export function error(code: DiagnosticCode, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(location && { location }), ...(hint && { hint }) };
}

export function warning(code: DiagnosticCode, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { code, severity: 'warning', message, ...(location && { location }), ...(hint && { hint }) };
}

export function fail(code: DiagnosticCode, message: string, location?: SourceLocation, hint?: string): never {
  throw new ScaffoldError([error(code, message, location, hint)]);
}

export function formatLocation(location: SourceLocation): string {
  let text = location.file ?? '';
  if (location.line !== undefined) text += `:${location.line}${location.column !== undefined ? `:${location.column}` : ''}`;
  if (location.pointer !== undefined) text += `${text ? ' ' : ''}#${location.pointer.replace(/^#/, '')}`;
  return text;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  return `${d.severity} ${d.code}: ${where}${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}${d.detail ? `\n${d.detail}` : ''}`;
}
