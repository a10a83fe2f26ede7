import { error, type Diagnostic, type DiagnosticCode } from './diagnostic.js';

/**
 * A handlebars failure as a located diagnostic: the template's path, the line (handlebars puts it in
 * the message of a syntax error, on the exception of a strict-mode lookup, and nowhere for a missing
 * partial or helper, whose first use is then looked up in the source), and the cause in plain words.
 */
export function templateFailure(code: DiagnosticCode, shownAs: string, source: string, cause: unknown): Diagnostic {
  const message = cause instanceof Error ? cause.message : String(cause);
  const parse = /^Parse error on line (\d+):\n([\s\S]*?)\n(Expecting [^\n]*)$/.exec(message);
  if (parse) return error(code, `template syntax error: ${parse[3]}`, { file: shownAs, line: Number(parse[1]) }, `near:\n${indent(parse[2]!)}`);
  const lexical = /^Lexical error on line (\d+)\. ([^\n]*)/.exec(message);
  if (lexical) return error(code, `template syntax error: ${lexical[2]}`, { file: shownAs, line: Number(lexical[1]) });

  const located = cause as { lineNumber?: unknown; column?: unknown };
  const strict = /^"([^"]+)" not defined in .* - \d+:\d+$/.exec(message);
  if (strict && typeof located.lineNumber === 'number') {
    const column = typeof located.column === 'number' ? located.column + 1 : undefined;
    return error(code, `"${strict[1]}" is neither a helper nor a field of the template's data`, { file: shownAs, line: located.lineNumber, ...(column && { column }) }, 'docs/templates.md lists the data and the helpers every template receives');
  }
  const partial = /^The partial (.+) could not be found$/.exec(message);
  if (partial) return error(code, `unknown partial "${partial[1]}"`, { file: shownAs, ...lineOf(source, new RegExp(`\\{\\{~?#?>\\s*${escape(partial[1]!)}\\b`)) }, 'register it under `partials` in the template helpers module named by `templateHelpers` in .scaffold/config.json');
  const helper = /^Missing helper: "(.+)"$/.exec(message);
  if (helper) return error(code, `unknown helper "${helper[1]}"`, { file: shownAs, ...lineOf(source, new RegExp(`\\{\\{~?[#^]?\\s*${escape(helper[1]!)}\\b`)) }, 'register it under `helpers` in the template helpers module named by `templateHelpers` in .scaffold/config.json');
  return error(code, `template failed: ${message}`, { file: shownAs, ...(typeof located.lineNumber === 'number' && { line: located.lineNumber }) });
}

function lineOf(source: string, pattern: RegExp): { line?: number } {
  const index = source.search(pattern);
  return index < 0 ? {} : { line: source.slice(0, index).split('\n').length };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const indent = (text: string) => text.split('\n').map((line) => `    ${line}`).join('\n');
