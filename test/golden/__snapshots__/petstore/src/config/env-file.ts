import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from './env.js';

/**
 * Reads `.env` from the working directory into `process.env`, as `process.loadEnvFile()` does, for
 * `npm run dev`, `npm start` and `npm run db:migrate`. A variable already set in the environment wins
 * over the file; a missing file is fine. Node's parser skips a line that is not `NAME=value` (or
 * merges it into the next name) without a word, so such a line stops startup here instead.
 */
export function loadEnvFile(path = '.env'): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const problems = malformedLines(text).map(
    (line) => `${path} line ${line} is not NAME=value (nor a comment, a blank line or a quoted value's continuation)`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [name, value] of Object.entries(parseEnv(text))) process.env[name] ??= value;
}

const SETTING = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(["'`]?)(.*)$/;

/** Line numbers (from 1) of lines that are neither a setting, a comment, blank, nor inside a multi-line quoted value. */
function malformedLines(text: string): number[] {
  const malformed: number[] = [];
  let openQuote: { quote: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (openQuote) {
      if (line.includes(openQuote.quote)) openQuote = undefined;
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    const setting = SETTING.exec(line);
    if (!setting) {
      malformed.push(index + 1);
      return;
    }
    const [, quote = '', value = ''] = setting;
    if (quote !== '' && !value.includes(quote)) openQuote = { quote, line: index + 1 };
  });
  // A quote that never closes: Node would keep the quote character as part of the value.
  if (openQuote) malformed.push(openQuote.line);
  return malformed;
}
