import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { runCheckCommand } from '../check/check-command.js';
import { runAddCommand } from './add-command.js';
import { generateFailureJson, generateResultJson, wantsJson } from './generate-json.js';
import { apiChangesSummary } from '../plan/api-changes.js';
import { implementationCountsText, plural } from '../plan/generation-report.js';
import { generate, toolVersion, type GenerateResult, type Stage } from '../engine.js';
import { PERSISTENCE_CHOICES, type GenerateOptions, type Persistence } from '../options/options-schema.js';
import { readProjectConfig, resolveFromProject } from '../project/project-config.js';
import { CONFIG_PATH } from '../write/manifest.js';
import { WriteRefusedError, type FileOutcome } from '../write/write-project.js';
import { runEjectCommand, ejectHelp } from './eject-command.js';
import { regenerationNotes } from './regeneration-notes.js';
import { generateHelp, parseGenerateFlags, UsageError } from './parse-options.js';
import { nextSteps } from './prompts/next-steps.js';
import { stageProgress } from './prompts/progress.js';
import { completeGenerateFlags, PromptCancelled } from './prompts/session.js';
import { detectTerminal, type Terminal } from './prompts/terminal.js';

/** What follows a usage error: the help of the command it was given to (add's own messages carry its generators). */
function usageFor(command: string | undefined): string {
  if (command === 'generate') return generateHelp();
  if (command === 'eject') return ejectHelp();
  if (command === 'add') return 'Run `scaffold add --help` for the generators and their options.';
  return MAIN_HELP;
}

const MAIN_HELP = `Usage: scaffold <command> [options]

Commands:
  generate    generate (or regenerate) a backend project from an OpenAPI document
  check       check a generated project is in step with its spec and models (for CI; writes nothing)
  add         add a resource, endpoint, entity, middleware or error (or a generator of your plopfile)
  eject       copy default templates into the project to customize them (--list shows them)

Run \`scaffold <command> --help\` for a command's options. \`scaffold --version\` prints the version.
In a terminal, \`scaffold\` alone asks what to generate, step by step; inside a generated project it
regenerates from .scaffold/config.json, asking nothing (no terminal needed).`;

/** Exit codes of generate: 0 success, 1 the input cannot be generated from, 2 the command line is wrong (check has its own: docs/check.md). */
export async function main(
  args: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  terminal: Terminal = detectTerminal(out),
): Promise<number> {
  const print = (text: string) => void out.write(`${text}\n`);
  const printError = (text: string) => void err.write(`${text}\n`);
  const [command, ...rest] = args;
  try {
    if (command === '--version' || command === '-v') {
      print(await toolVersion());
      return 0;
    }
    // Alone, it asks what to generate; inside a generated project nothing needs asking, so no terminal is needed.
    if (command === undefined && (terminal.interactive || existsSync(CONFIG_PATH))) return await runGenerate([], out, terminal, printError);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      print(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === 'check') return await runCheckCommand(rest, print, printError);
    if (command === 'add') return await runAddCommand(rest, print, printError, terminal);
    if (command === 'eject') return await runEjectCommand(rest, print);
    if (command !== 'generate') throw new UsageError(`unknown command "${command}"`);
    return await runGenerate(rest, out, terminal, printError);
  } catch (error) {
    const failure = command === 'generate' && wantsJson(rest) ? await generateFailureJson(error, rest) : undefined;
    if (failure) {
      print(failure.text);
      return failure.exitCode;
    }
    if (error instanceof PromptCancelled) {
      printError(error.message);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      printError(`scaffold: ${error.message}\n`);
      printError(usageFor(command));
      return 2;
    }
    if (error instanceof ScaffoldError) {
      for (const diagnostic of error.diagnostics) printError(formatDiagnostic(diagnostic));
      printError(error instanceof WriteRefusedError ? `\n${refusedLine(error.actions)}` : '\nNothing was written.');
      return 1;
    }
    throw error;
  }
}

async function runGenerate(args: string[], out: NodeJS.WritableStream, terminal: Terminal, printError: (text: string) => void): Promise<number> {
  const print = (text: string) => void out.write(`${text}\n`);
  const parsed = parseGenerateFlags(args);
  if (parsed.help) {
    print(generateHelp());
    return 0;
  }
  // --json asks nothing and keeps stdout for the JSON: notices go to stderr.
  const json = parsed.json === true;
  const flags = await completeGenerateFlags(parsed, json ? { terminal: { ...terminal, interactive: false }, print: printError } : { terminal, print });
  const options = await resolveOptions(flags);
  if (json) {
    print(await generateResultJson(await generate(options), options.dryRun));
    return 0;
  }
  const started = Date.now();
  const result = await stageProgress(out, terminal).track((onStage: (stage: Stage) => void) => generate(options, onStage));
  printDiagnostics(result.diagnostics, printError);
  print(summary(result, options.dryRun, Date.now() - started, typeof flags.databaseUrl === 'string' ? flags.databaseUrl : undefined));
  return 0;
}

/** Flags win; inside a generated project the missing ones come from .scaffold/config.json. */
async function resolveOptions(flags: ReturnType<typeof parseGenerateFlags>): Promise<GenerateOptions> {
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const projectDir = resolve(out ?? '.');
  const config = await readProjectConfig(projectDir);
  const spec = typeof flags.spec === 'string' ? flags.spec : config ? resolveFromProject(projectDir, config.spec) : undefined;
  if (spec === undefined) throw new UsageError('--spec is required (or run inside a project generated by scaffold)');
  if (out === undefined && !config) throw new UsageError('--out is required');
  const models = typeof flags.models === 'string' ? flags.models : config?.models ? resolveFromProject(projectDir, config.models) : undefined;
  const persistence = typeof flags.persistence === 'string' ? flags.persistence : (config?.persistence ?? 'infer');
  if (!(PERSISTENCE_CHOICES as readonly string[]).includes(persistence)) throw new UsageError(`--persistence must be one of ${PERSISTENCE_CHOICES.join(', ')}`);
  return {
    spec,
    out: projectDir,
    name: typeof flags.name === 'string' ? flags.name : config?.name,
    models,
    guidelines: typeof flags.guidelines === 'string' ? flags.guidelines : config?.guidelines ? resolveFromProject(projectDir, config.guidelines) : undefined,
    persistence: persistence as Persistence,
    design: typeof flags.design === 'string' ? resolve(flags.design) : config?.design ? resolveFromProject(projectDir, config.design) : undefined,
    allowRemoteRefs: flags.allowRemoteRefs === true || config?.allowRemoteRefs === true,
    dryRun: flags.dryRun === true,
    force: flags.force === true,
    allowDataLoss: flags.allowDataLoss === true,
  };
}

function printDiagnostics(diagnostics: Diagnostic[], printError: (text: string) => void): void {
  const shown = diagnostics.slice(0, 20);
  for (const diagnostic of shown) printError(formatDiagnostic(diagnostic));
  if (diagnostics.length > shown.length) printError(`... and ${diagnostics.length - shown.length} more warnings`);
}

const INTERRUPTED = {
  completed: 'a previous run was interrupted after staging its files: it was completed before this one',
  discarded: 'a previous run was interrupted before its files were staged: its staged files were discarded, the project was as before it',
  pending: 'a previous run was interrupted while writing (.scaffold/staging): the next run without --dry-run finishes or undoes it first',
} as const;

function summary(result: GenerateResult, dryRun: boolean, elapsedMs: number, databaseUrl?: string): string {
  const verb = dryRun ? 'Would write' : result.changed ? 'Wrote' : 'Checked';
  return [
    '',
    `${verb} ${result.outDir}: ${result.resourceCount} resources, ${result.operationCount} operations (${elapsedMs} ms)`,
    `  operations: ${implementationCountsText(result.implementations)} answering 501 (see .scaffold/report.md)`,
    ...(result.interrupted ? [`  ${INTERRUPTED[result.interrupted]}`] : []),
    ...(result.backupDir ? [`  ${dryRun ? 'would save' : 'saved'} ${plural(result.files.filter((f) => f.backup).length, 'edited generator-owned file')} under ${result.backupDir}/ before overwriting`] : []),
    ...fileChangeLines(result.files, dryRun),
    ...(dryRun && result.diffs.length > 0 ? ['', ...result.diffs.map((d) => d.patch.replace(/\n$/, ''))] : []),
    ...(!dryRun && result.changed ? ['', nextSteps(result.outDir, databaseUrl)] : []),
    '',
    ...(result.apiChanges ? [apiChangesSummary(result.apiChanges)] : []),
    summaryLine(result.files, dryRun ? 'dry-run' : result.changed ? 'written' : 'nothing-changed'),
  ].join('\n');
}

/** On a dry run, every file the run would change (action, path, owner); then what it extends, and the notes of regeneration-notes.ts. */
export function fileChangeLines(files: readonly FileOutcome[], dryRun: boolean): string[] {
  const changes = files.filter((f) => ['create', 'update', 'merge', 'conflict', 'move', 'extend'].includes(f.action));
  return [
    ...(dryRun ? changes.map((f) => `  ${f.action.padEnd(8)} ${f.path} (${f.owner})`) : []),
    ...files.filter((f) => f.action === 'extend').map((f) => `  ${dryRun ? 'would extend' : 'extended'}: ${f.path} (${f.additions?.join(', ')})`),
    ...regenerationNotes(files, dryRun),
  ];
}

const countOf = (files: readonly FileOutcome[]) => (action: FileOutcome['action']) => files.filter((f) => f.action === action).length;

/**
 * The line every run ends with: how many files were added, updated (or moved by a layout change), merged
 * (template files with both your and the generator's changes), left alone (user-owned and template files
 * that exist are kept), unchanged, with conflicts, refused (SCF026, SCF040), and what was written.
 */
export function summaryLine(files: readonly FileOutcome[], outcome: 'written' | 'dry-run' | 'nothing-changed'): string {
  const count = countOf(files);
  const tail = {
    written: '',
    'dry-run': '; dry run: nothing was written',
    'nothing-changed': '; nothing changed, nothing was written',
  }[outcome];
  const extended = count('extend') > 0 ? `, ${count('extend')} extended` : '';
  return `Summary: ${count('create')} added, ${count('update') + count('move')} updated${extended}, ${count('merge')} merged, ${count('keep')} left alone (yours: user-owned and template files kept), ${count('unchanged')} unchanged, ${plural(count('conflict'), 'conflict')}, ${count('refuse')} refused${tail}`;
}

/** The line a refused run (SCF026, SCF040) ends with: nothing was written, and what the run would have written. */
export function refusedLine(files: readonly FileOutcome[]): string {
  const count = countOf(files);
  const extended = count('extend') > 0 ? `, extended ${count('extend')}` : '';
  return `Refused (${plural(count('refuse'), 'file')}, see above): nothing was written. It would have added ${count('create')}, updated ${count('update') + count('move')}${extended}, merged ${count('merge')}, left ${count('keep')} alone (yours: user-owned and template files kept) and ${count('unchanged')} unchanged, with ${plural(count('conflict'), 'conflict')}.`;
}
