import { confirm } from '@inquirer/prompts';
import { ExitPromptError } from '@inquirer/core';
import { dirname, resolve } from 'node:path';
import { fail, formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { GENERATE_OPTIONS, type OptionSpec } from '../../options/options-schema.js';
import { readProjectConfig } from '../../project/project-config.js';
import { UsageError, type ParsedFlags } from '../parse-options.js';
import { findDesignFiles } from './design-folder.js';
import { display, promptedOptions, QUESTIONS, type PromptedOption, type SessionState } from './questions.js';
import { painter, type Terminal } from './terminal.js';

/** The user stopped the questions (Ctrl-C, or "no" to the confirmation): nothing was written. */
export class PromptCancelled extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface SessionContext {
  terminal: Terminal;
  print: (text: string) => void;
  cwd?: string;
}

/**
 * Completes the flags of `scaffold generate` before the options are resolved. Nothing to do when
 * the flags (or `.scaffold/config.json`, for a regeneration) name the spec and the output directory.
 * Otherwise: on a terminal, every question whose flag is missing is asked, with its default and its
 * check, then a summary is confirmed; with --yes the defaults are taken; with neither, it fails at
 * once (exit 2) naming what is missing, so a CI job never waits for an answer.
 */
export async function completeGenerateFlags(flags: ParsedFlags, context: SessionContext): Promise<ParsedFlags> {
  const cwd = context.cwd ?? process.cwd();
  const completed: ParsedFlags = { ...flags };
  if (typeof flags.design === 'string') await applyDesignFolder(completed, resolve(cwd, flags.design), context.print);

  const config = await readProjectConfig(resolve(cwd, typeof completed.out === 'string' ? completed.out : '.'));
  const missing = (['spec', 'out'] as const).filter((name) => typeof completed[name] !== 'string' && !config);
  if (missing.length === 0) return completed;
  if (!context.terminal.interactive && completed.yes !== true) throw new UsageError(missingMessage(missing));

  try {
    return await runSession(completed, context, cwd);
  } catch (error) {
    if (error instanceof ExitPromptError) throw new PromptCancelled('Cancelled: nothing was written.', 130);
    throw error;
  }
}

async function runSession(flags: ParsedFlags, context: SessionContext, cwd: string): Promise<ParsedFlags> {
  const paint = painter(context.terminal);
  const interactive = flags.yes !== true;
  const state: SessionState = { cwd, force: flags.force === true, allowRemoteRefs: flags.allowRemoteRefs === true, answers: {}, warn: (text) => context.print(paint('red', text)) };
  const problems: string[] = [];
  let asked = false;

  for (const name of promptedOptions()) {
    const question = QUESTIONS[name];
    if (!question.applies(state)) continue;
    const spec: OptionSpec = GENERATE_OPTIONS[name];
    const given = flags[name];
    const offered = typeof given === 'string' ? given : interactive ? undefined : await question.defaultAnswer(state);
    if (offered !== undefined) {
      const checked = await question.check(offered, state);
      if (checked.ok) {
        state.answers[name] = checked.value;
        continue;
      }
      const source = typeof given === 'string' ? `--${spec.flag} ${given}` : `--${spec.flag} (default ${offered})`;
      if (!interactive) {
        problems.push(`${source}: ${checked.message}`);
        continue;
      }
      state.warn(`${source}: ${checked.message}`);
    } else if (!interactive) {
      problems.push(`--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}: no default (${spec.description})`);
      continue;
    }
    state.answers[name] = await question.ask(spec.prompt!.message, state);
    asked = true;
  }
  if (problems.length > 0) throw new UsageError(`--yes cannot take defaults for everything:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  // A prose guidelines file is reported when there was no guidelines file to offer in its place.
  const design = state.loaded?.design;
  if (design?.guidelines && design.conventions.length === 0) context.print(guidelinesNotice(design.guidelines));
  if (asked) {
    context.print(summary(state, paint));
    if (!(await confirm({ message: 'Generate the project?', default: true }))) throw new PromptCancelled('Nothing was written.', 1);
  }
  const completed = toFlags(flags, state.answers);
  const folder = designFolderAnswered(state);
  if (folder !== undefined && typeof completed.design !== 'string') completed.design = folder;
  return completed;
}

/** The answers as the flags that would have given them ('' answers, "none", become no flag). */
function toFlags(flags: ParsedFlags, answers: Partial<Record<PromptedOption, string>>): ParsedFlags {
  const completed: ParsedFlags = { ...flags };
  for (const [name, value] of Object.entries(answers) as [PromptedOption, string][]) {
    if (value === '') delete completed[name];
    else completed[name] = value;
  }
  return completed;
}

/** `--design <dir>`: its OpenAPI document and first domain model stand in for --spec and --models. */
async function applyDesignFolder(flags: ParsedFlags, folder: string, print: (text: string) => void): Promise<void> {
  const design = await findDesignFiles(folder);
  if (design.spec === undefined) {
    fail('SCF060', 'the design folder holds no openapi.yaml, openapi.yml or openapi.json (nor does its documents/ folder)', { file: folder }, 'pass the OpenAPI file with --spec, or put it in the folder as openapi.yaml');
  }
  if (typeof flags.spec !== 'string') flags.spec = design.spec;
  if (typeof flags.models !== 'string' && design.models[0] !== undefined) flags.models = design.models[0];
  if (design.guidelines === undefined || typeof flags.guidelines === 'string') return;
  // YAML/JSON conventions are applied (docs/guidelines.md); a prose file is only reported.
  if (design.conventions[0] !== undefined) flags.guidelines = design.conventions[0];
  else print(guidelinesNotice(design.guidelines));
}

function guidelinesNotice(path: string): string {
  return formatDiagnostic({ code: 'SCF061', severity: 'info', message: 'guidelines file in prose: scaffold applies guidelines written as guidelines.yaml (docs/guidelines.md); the project follows the default conventions', location: { file: path } });
}

function missingMessage(missing: readonly ('spec' | 'out')[]): string {
  const rows = missing.map((name) => {
    const spec: OptionSpec = GENERATE_OPTIONS[name];
    const flag = `--${spec.flag} ${spec.valueName ?? ''}`.trim();
    return `  ${flag.padEnd(16)}${spec.description}${name === 'spec' ? ' (or --design <dir>: a folder holding openapi.yaml)' : ''}`;
  });
  return [
    'missing options, and no terminal to ask them in (stdin or stdout is not a TTY, or CI is set):',
    ...rows,
    'Pass them as flags, add --yes to take the defaults, or run inside a project scaffold generated.',
  ].join('\n');
}

/** The folder answered for the spec when the spec is not directly in it (`documents/`): the design root, as --design gives it. */
function designFolderAnswered(state: SessionState): string | undefined {
  const folder = state.loaded?.folder;
  return folder !== undefined && folder !== dirname(state.loaded!.spec.path) ? folder : undefined;
}

function summary(state: SessionState, paint: ReturnType<typeof painter>): string {
  const { answers, loaded } = state;
  const spec = loaded!.spec;
  const operations = Object.values(spec.document.paths ?? {}).reduce((n, item) => n + Object.keys(item ?? {}).filter((k) => /^(get|put|post|delete|options|head|patch|trace)$/.test(k)).length, 0);
  const rows: [string, string][] = [
    ['Spec', `${display(state, spec.path)} (${spec.document.info.title}, OpenAPI ${spec.version}, ${operations} operations)`],
    ['Domain model', answers.models ? display(state, answers.models) : answers.persistence === 'none' ? 'none, no database' : 'none, entities inferred from the spec'],
    ['Conventions', answers.guidelines ? display(state, answers.guidelines) : 'the default conventions'],
    ['Output', `${display(state, answers.out!)}${state.existingName ? ' (a scaffold project: regenerated in place)' : ''}`],
    ['Package name', answers.name!],
    ...(answers.databaseUrl !== undefined ? [['Database', answers.databaseUrl ? 'PostgreSQL server (DATABASE_URL, not stored)' : 'embedded PostgreSQL (PGlite)'] as [string, string]] : []),
  ];
  const command = ['npx scaffold generate', `--spec ${quote(display(state, spec.path))}`, `--out ${quote(display(state, answers.out!))}`];
  const folder = designFolderAnswered(state);
  if (folder !== undefined) command.push(`--design ${quote(display(state, folder))}`);
  if (answers.models) command.push(`--models ${quote(display(state, answers.models))}`);
  else if (answers.persistence === 'none') command.push('--persistence none');
  if (answers.guidelines) command.push(`--guidelines ${quote(display(state, answers.guidelines))}`);
  command.push(`--name ${quote(answers.name!)}`);
  return [
    '',
    paint('bold', 'Summary'),
    ...rows.map(([label, value]) => `  ${label.padEnd(13)} ${paint('cyan', value)}`),
    '',
    paint('dim', `Same without questions: ${command.join(' ')}`),
    paint('dim', 'The answers are saved in .scaffold/config.json: regenerating asks nothing.'),
    '',
  ].join('\n');
}

/** Quotes a shell word when it needs it. */
export function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
