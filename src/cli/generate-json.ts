import { ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { toolVersion, type GenerateResult } from '../engine.js';
import type { ApiChanges } from '../plan/api-changes.js';
import type { ImplementationCounts } from '../plan/generation-report.js';
import type { OperationReport } from '../plan/rules/operation-report.js';
import { WriteRefusedError, type FileOutcome } from '../write/write-project.js';
import { UsageError } from './parse-options.js';

/**
 * What `scaffold generate --json` prints: one object on stdout, for a success and for a failure alike.
 * Its shape is `schemas/generate-result.schema.json` (documented in docs/json-output.md); change both together.
 */
export interface GenerateJson {
  schemaVersion: 1;
  toolVersion: string;
  status: 'ok' | 'error';
  /** The process exit code: 0 generated, 1 the input cannot be generated from, 2 the command line is wrong. */
  exitCode: 0 | 1 | 2;
  dryRun: boolean;
  /** Whether the run wrote (on a dry run: would write) anything. */
  changed: boolean;
  project?: string;
  resources?: number;
  operations?: number;
  implementations?: ImplementationCounts;
  operationReports?: OperationReport[];
  files: JsonFile[];
  diagnostics: readonly Diagnostic[];
  apiChanges?: ApiChanges;
  interrupted?: GenerateResult['interrupted'];
  backupDir?: string;
}

type JsonFile = Pick<FileOutcome, 'path' | 'owner' | 'action' | 'backup' | 'movedFrom' | 'additions'>;

/** `--json` anywhere among generate's arguments, even ones that fail to parse. */
export function wantsJson(args: readonly string[]): boolean {
  return args.includes('--json');
}

export async function generateResultJson(result: GenerateResult, dryRun: boolean): Promise<string> {
  return render({
    schemaVersion: 1,
    toolVersion: await toolVersion(),
    status: 'ok',
    exitCode: 0,
    dryRun,
    changed: result.changed,
    project: result.outDir,
    resources: result.resourceCount,
    operations: result.operationCount,
    implementations: result.implementations,
    operationReports: result.operationReports,
    files: result.files.map(jsonFile),
    diagnostics: result.diagnostics,
    ...(result.apiChanges && { apiChanges: result.apiChanges }),
    ...(result.interrupted && { interrupted: result.interrupted }),
    ...(result.backupDir && { backupDir: result.backupDir }),
  });
}

/**
 * A failed generate as JSON: its diagnostics (a command-line problem is SCF022), and the files a refused
 * write would have touched. Undefined for an error that is no expected failure (a bug: it propagates).
 */
export async function generateFailureJson(error: unknown, args: readonly string[]): Promise<{ text: string; exitCode: 1 | 2 } | undefined> {
  const failure =
    error instanceof UsageError
      ? { exitCode: 2 as const, diagnostics: [{ code: 'SCF022' as const, severity: 'error' as const, message: error.message, hint: 'scaffold generate --help lists the options' }], files: [] }
      : error instanceof ScaffoldError
        ? { exitCode: 1 as const, diagnostics: error.diagnostics, files: error instanceof WriteRefusedError ? error.actions.map(jsonFile) : [] }
        : undefined;
  if (failure === undefined) return undefined;
  const text = render({ schemaVersion: 1, toolVersion: await toolVersion(), status: 'error', dryRun: args.includes('--dry-run'), changed: false, ...failure });
  return { text, exitCode: failure.exitCode };
}

function jsonFile(file: FileOutcome): JsonFile {
  return {
    path: file.path,
    owner: file.owner,
    action: file.action,
    ...(file.backup !== undefined && { backup: file.backup }),
    ...(file.movedFrom !== undefined && { movedFrom: file.movedFrom }),
    ...(file.additions !== undefined && { additions: file.additions }),
  };
}

function render(json: GenerateJson): string {
  return JSON.stringify(json, null, 2);
}
