import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';
import { fail } from '../diagnostics/diagnostic.js';
import { kebabCase } from '../model/naming.js';
import { UsageError } from '../cli/parse-options.js';

/** A prompt as a plopfile declares it (inquirer's question format), the part scaffold supports. */
export interface PlopPrompt {
  type?: string;
  name: string;
  message?: string | ((answers: Answers) => string);
  default?: unknown;
  choices?: unknown;
  validate?: (value: unknown, answers: Answers) => boolean | string | Promise<boolean | string>;
  filter?: (value: unknown, answers: Answers) => unknown;
  when?: boolean | ((answers: Answers) => boolean | Promise<boolean>);
}

export type Answers = Record<string, unknown>;
interface Choice {
  name: string;
  value: string;
}

const SUPPORTED = ['input', 'confirm', 'list', 'select', 'rawlist', 'checkbox', 'number', 'password'];

/** Every prompt is also a flag: its name in kebab case (`operationId` -> --operation-id). */
export const flagOf = (prompt: PlopPrompt): string => kebabCase(prompt.name);
export const isBooleanPrompt = (prompt: PlopPrompt): boolean => prompt.type === 'confirm';

/** Refuses prompts scaffold cannot ask (a prompt function, an exotic type) before anything is asked. */
export function checkPrompts(generator: string, prompts: unknown, file?: string): PlopPrompt[] {
  if (!Array.isArray(prompts)) fail('SCF082', `generator "${generator}" declares its prompts as a function; scaffold asks the questions itself, so they must be an array`, { file }, 'declare prompts: [{ type, name, message, ... }]');
  for (const prompt of prompts as PlopPrompt[]) {
    if (!SUPPORTED.includes(prompt.type ?? 'input')) fail('SCF082', `generator "${generator}": prompt "${prompt.name}" has type "${prompt.type}", which scaffold does not ask`, { file }, `types: ${SUPPORTED.join(', ')}`);
  }
  return prompts as PlopPrompt[];
}

export interface AskOptions {
  /** A terminal to ask on. */
  interactive: boolean;
  /** Take defaults for what no flag gives. */
  yes: boolean;
}

/**
 * The answers of a generator: from flags first, checked by the prompt's own validate; what is
 * missing is asked on a terminal, taken from its default with --yes, or else listed in one usage
 * error (exit 2) so that a CI job never waits for input.
 */
export async function collectAnswers(generator: string, prompts: readonly PlopPrompt[], flags: Record<string, string | boolean | undefined>, options: AskOptions): Promise<Answers> {
  const answers: Answers = {};
  const problems: string[] = [];
  for (const prompt of prompts) {
    if (prompt.when !== undefined && !(typeof prompt.when === 'function' ? await prompt.when(answers) : prompt.when)) continue;
    const flag = flagOf(prompt);
    const given = flags[flag];
    const message = typeof prompt.message === 'function' ? prompt.message(answers) : (prompt.message ?? prompt.name);
    const fallback = typeof prompt.default === 'function' ? (prompt.default as (a: Answers) => unknown)(answers) : prompt.default;
    // An empty default marks an optional question: without a terminal it needs no flag.
    const offered = given !== undefined ? fromFlag(prompt, given) : !options.interactive && (options.yes || fallback === '') ? fallback : undefined;
    if (offered !== undefined) {
      const problem = await check(prompt, offered, answers);
      if (problem === undefined) {
        answers[prompt.name] = prompt.filter ? await prompt.filter(offered, answers) : offered;
        continue;
      }
      const source = given !== undefined ? `--${flag} ${String(given)}` : `--${flag} (default ${String(fallback)})`;
      if (!options.interactive) {
        problems.push(`${source}: ${problem}`);
        continue;
      }
      process.stderr.write(`${source}: ${problem}\n`);
    } else if (!options.interactive) {
      problems.push(`--${flag}${isBooleanPrompt(prompt) ? '' : ' <value>'}  ${message}`);
      continue;
    }
    const answer = await ask(prompt, message, fallback, answers);
    answers[prompt.name] = prompt.filter ? await prompt.filter(answer, answers) : answer;
  }
  if (problems.length > 0) {
    throw new UsageError(
      [`scaffold add ${generator}: missing or invalid options, and ${options.interactive ? 'they were refused' : 'no terminal to ask them in (stdin or stdout is not a TTY, or CI is set)'}:`, ...problems.map((p) => `  ${p}`), 'Pass them as flags (--yes takes the defaults there are).'].join('\n'),
    );
  }
  return answers;
}

function fromFlag(prompt: PlopPrompt, given: string | boolean): unknown {
  if (prompt.type === 'confirm') return given === true || given === 'true' || given === 'yes';
  if (prompt.type === 'checkbox') return String(given).split(',').map((v) => v.trim()).filter(Boolean);
  if (prompt.type === 'number') return Number(given);
  return String(given);
}

async function choicesOf(prompt: PlopPrompt, answers: Answers): Promise<Choice[]> {
  const raw = typeof prompt.choices === 'function' ? await (prompt.choices as (a: Answers) => unknown)(answers) : prompt.choices;
  return ((raw ?? []) as unknown[]).map((choice) => (typeof choice === 'object' && choice !== null ? { name: String((choice as Choice).name ?? (choice as Choice).value), value: String((choice as Choice).value ?? (choice as Choice).name) } : { name: String(choice), value: String(choice) }));
}

async function check(prompt: PlopPrompt, value: unknown, answers: Answers): Promise<string | undefined> {
  if (['list', 'select', 'rawlist', 'checkbox'].includes(prompt.type ?? 'input')) {
    const values = (await choicesOf(prompt, answers)).map((c) => c.value);
    const picked = Array.isArray(value) ? value.map(String) : [String(value)];
    const unknown = picked.filter((v) => !values.includes(v));
    if (unknown.length > 0) return `must be one of ${values.join(', ')}`;
  }
  if (prompt.type === 'number' && Number.isNaN(value)) return 'must be a number';
  if (!prompt.validate) return undefined;
  const verdict = await prompt.validate(value, answers);
  return verdict === true ? undefined : typeof verdict === 'string' ? verdict : 'is not valid';
}

async function ask(prompt: PlopPrompt, message: string, fallback: unknown, answers: Answers): Promise<unknown> {
  const validate = async (value: unknown) => (await check(prompt, value, answers)) ?? true;
  switch (prompt.type ?? 'input') {
    case 'confirm':
      return confirm({ message, default: fallback === undefined ? true : Boolean(fallback) });
    case 'list':
    case 'select':
    case 'rawlist': {
      const choices = await choicesOf(prompt, answers);
      return select({ message, choices, ...(fallback !== undefined && { default: String(fallback) }) });
    }
    case 'checkbox': {
      const defaults = Array.isArray(fallback) ? fallback.map(String) : [];
      return checkbox({ message, choices: (await choicesOf(prompt, answers)).map((c) => ({ ...c, checked: defaults.includes(c.value) })) });
    }
    case 'number':
      return number({ message, ...(typeof fallback === 'number' && { default: fallback }), validate });
    case 'password':
      return password({ message, validate });
    default:
      return input({ message, ...(fallback !== undefined && { default: String(fallback) }), validate });
  }
}
