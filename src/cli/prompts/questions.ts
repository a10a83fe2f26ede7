import { input, select } from '@inquirer/prompts';
import { relative } from 'node:path';
import { defaultPackageName, GENERATE_OPTIONS, PERSISTENCE_CHOICES, type GenerateOptionName, type OptionSpec } from '../../options/options-schema.js';
import { readProjectConfig } from '../../project/project-config.js';
import { asValidator, checkDatabaseUrl, checkGuidelines, checkModels, checkOutDir, checkPackageName, checkSpec, type Checked, type CheckedSpec } from './checks.js';
import { findDesignFiles } from './design-folder.js';

/** The options of GENERATE_OPTIONS that carry a `prompt`: the questions, in their order. */
export type PromptedOption = { [K in GenerateOptionName]: (typeof GENERATE_OPTIONS)[K] extends { prompt: object } ? K : never }[GenerateOptionName];

export function promptedOptions(): PromptedOption[] {
  return (Object.entries(GENERATE_OPTIONS) as [GenerateOptionName, OptionSpec][])
    .filter(([, spec]) => spec.prompt !== undefined)
    .sort(([, a], [, b]) => a.prompt!.order - b.prompt!.order)
    .map(([name]) => name as PromptedOption);
}

/** What the questions know so far. Answers are absolute paths and plain values; '' means "none". */
export interface SessionState {
  cwd: string;
  force: boolean;
  /** `--allow-remote-refs`: the spec's check fetches its http(s) references, as the generation will. */
  allowRemoteRefs?: boolean;
  answers: Partial<Record<PromptedOption, string>>;
  /** The loaded spec and the design folder around it, once the spec question is settled. */
  loaded?: CheckedSpec;
  /** The package name of the project in the output directory, when it is one scaffold generated. */
  existingName?: string;
  /** Report a problem without stopping (a failed check on a chosen file, before asking again). */
  warn: (text: string) => void;
}

/**
 * How each prompted option is asked. The message and order live in the options schema; here is
 * what cannot be declared: when a question applies, its default, its check (the same one for a
 * flag, a default taken with --yes and a typed answer) and the prompt that asks it.
 */
export interface Question {
  applies(state: SessionState): boolean;
  /** The answer --yes takes and the prompt offers; undefined when there is none to offer. */
  defaultAnswer(state: SessionState): string | undefined | Promise<string | undefined>;
  check(answer: string, state: SessionState): Promise<Checked<string>>;
  ask(message: string, state: SessionState): Promise<string>;
}

const EMBEDDED = '';
const DEFAULT_CONVENTIONS = '';
const OTHER_FILE = '\0other';

export const QUESTIONS: Record<PromptedOption, Question> = {
  spec: {
    applies: () => true,
    defaultAnswer: async (state) => (await findDesignFiles(state.cwd)).spec,
    async check(answer, state) {
      const checked = await checkSpec(answer, state.cwd, state.allowRemoteRefs === true);
      if (!checked.ok) return checked;
      state.loaded = checked.value;
      return { ok: true, value: checked.value.spec.path };
    },
    async ask(message, state) {
      const found = await this.defaultAnswer(state);
      await input({ message, ...(found && { default: display(state, found) }), validate: asValidator((answer) => this.check(answer, state)) });
      return state.loaded!.spec.path;
    },
  },
  models: {
    applies: () => true,
    defaultAnswer: (state) => state.loaded?.design.models[0] ?? '',
    async check(answer, state) {
      return answer === '' ? { ok: true, value: '' } : checkModels(answer, state.cwd);
    },
    ask(message, state) {
      return chooseFile(this, state, {
        message,
        candidates: state.loaded?.design.models ?? [],
        fallback: { name: 'none: entities from the spec, or no database', value: '' },
        typedMessage: `${message} file (.yaml, .json, .dbml, .sql; empty for none)`,
        // With nothing found there is nothing to choose from: the file is asked for straight away.
        typeWithoutCandidates: true,
      });
    },
  },
  persistence: {
    applies: (state) => !state.answers.models,
    defaultAnswer: () => GENERATE_OPTIONS.persistence.default,
    async check(answer) {
      return (PERSISTENCE_CHOICES as readonly string[]).includes(answer) ? { ok: true, value: answer } : { ok: false, message: `choose one of ${PERSISTENCE_CHOICES.join(', ')}` };
    },
    ask: (message) =>
      select({
        message,
        default: GENERATE_OPTIONS.persistence.default,
        choices: [
          { name: 'infer entities from the spec and store them in a database', value: 'infer' },
          { name: 'no database: the API with stubbed handlers', value: 'none' },
        ],
      }),
  },
  guidelines: {
    applies: () => true,
    // With --yes, the design folder's conventions apply, as with --design; none found: the defaults.
    defaultAnswer: (state) => state.loaded?.design.conventions[0] ?? DEFAULT_CONVENTIONS,
    async check(answer, state) {
      return answer === DEFAULT_CONVENTIONS ? { ok: true, value: DEFAULT_CONVENTIONS } : checkGuidelines(answer, state.cwd);
    },
    ask(message, state) {
      return chooseFile(this, state, {
        message,
        candidates: state.loaded?.design.conventions ?? [],
        fallback: { name: 'the default conventions (docs/guidelines.md)', value: DEFAULT_CONVENTIONS },
        typedMessage: `${message} file (.yaml, .yml, .json; empty for the defaults)`,
        typeWithoutCandidates: false,
      });
    },
  },
  out: {
    applies: () => true,
    defaultAnswer: (state) => state.loaded && `./${(state.answers.name ?? defaultName(state)).replace(/^@[^/]+\//, '')}`,
    async check(answer, state) {
      const checked = await checkOutDir(answer, state.cwd, state.force);
      if (checked.ok) state.existingName = (await readProjectConfig(checked.value).catch(() => undefined))?.name;
      return checked;
    },
    async ask(message, state) {
      const fallback = await this.defaultAnswer(state);
      const answer = await input({ message, ...(fallback && { default: fallback }), validate: asValidator((value) => this.check(value, state)) });
      return settled(await this.check(answer, state));
    },
  },
  name: {
    applies: () => true,
    defaultAnswer: (state) => state.existingName ?? defaultName(state),
    check: async (answer) => checkPackageName(answer),
    async ask(message, state) {
      return (await input({ message, default: await this.defaultAnswer(state), validate: asValidator(checkPackageName) })).trim();
    },
  },
  databaseUrl: {
    applies: (state) => Boolean(state.answers.models) || state.answers.persistence !== 'none',
    defaultAnswer: () => EMBEDDED,
    check: async (answer) => (answer === EMBEDDED ? { ok: true, value: EMBEDDED } : checkDatabaseUrl(answer)),
    async ask(message) {
      const kind = await select({
        message,
        default: EMBEDDED,
        choices: [
          { name: 'embedded PostgreSQL (PGlite): nothing to install, data in .data/', value: EMBEDDED },
          { name: 'a PostgreSQL server: give its URL (used in the next steps, never stored)', value: 'server' },
        ],
      });
      if (kind === EMBEDDED) return EMBEDDED;
      return (await input({ message: 'PostgreSQL URL', default: 'postgres://postgres:postgres@localhost:5432/app', validate: asValidator(checkDatabaseUrl) })).trim();
    },
  },
};

/** The check of an answer the prompt already validated. */
/**
 * A file found beside the spec, the fallback (none, the defaults), or one typed in. A file found is
 * only loaded now: a broken one is reported and the question asked again.
 */
async function chooseFile(
  question: Question,
  state: SessionState,
  options: { message: string; candidates: string[]; fallback: { name: string; value: string }; typedMessage: string; typeWithoutCandidates: boolean },
): Promise<string> {
  const { message, candidates, fallback } = options;
  for (;;) {
    const choice =
      candidates.length === 0 && options.typeWithoutCandidates
        ? OTHER_FILE
        : await select({
            message,
            default: candidates[0] ?? fallback.value,
            choices: [...candidates.map((path) => ({ name: display(state, path), value: path })), fallback, { name: 'another file...', value: OTHER_FILE }],
          });
    if (choice !== OTHER_FILE) {
      const checked = await question.check(choice, state);
      if (checked.ok) return checked.value;
      state.warn(checked.message);
      continue;
    }
    const typed = await input({ message: options.typedMessage, validate: asValidator((answer) => question.check(answer.trim(), state)) });
    return settled(await question.check(typed.trim(), state));
  }
}

function settled(checked: Checked<string>): string {
  if (!checked.ok) throw new Error(`an answer that passed validation failed its check: ${checked.message}`);
  return checked.value;
}

function defaultName(state: SessionState): string {
  return defaultPackageName(state.loaded?.spec.document.info.title ?? '');
}

/** A path as the user would type it: relative to where they are. */
export function display(state: { cwd: string }, path: string): string {
  const rel = relative(state.cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || rel.startsWith('/') ? rel : `./${rel}`;
}
