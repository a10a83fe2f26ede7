import type TypeScript from 'typescript';
import { codeFingerprint } from '../cache/code-fingerprint.js';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { countQuotes, requote } from '../model/naming.js';
import { typescriptCompiler } from './openapi-typescript-lib.js';

/**
 * Formatting a TypeScript file that holds a huge string literal (openapi-document.gen.ts carries the whole
 * spec as one) without handing the literal to prettier: the literal is swapped for a short placeholder,
 * the rest is formatted, and the literal comes back normalized the way prettier normalizes strings.
 * The placeholder is still wider than any line, so prettier lays out the code around it as it would
 * around the literal. Tests check the result equals prettier's on the whole text.
 */

/** A string literal at least this long is spliced around prettier. */
export const LONG_LITERAL = 64 * 1024;
/** Wider than the print width: every "does it fit" prettier asks about it is answered as for the literal. */
const PLACEHOLDER_WIDTH = 400;

export async function formatAroundLongLiterals(text: string, singleQuote: boolean, format: (text: string) => Promise<string>, cache: RunCache = noRunCache()): Promise<string> {
  const literals = longStringLiterals(text);
  if (literals.length === 0) return format(text);
  const placeholders = literals.map((_, i) => `__scaffold_long_literal_${i}_${'x'.repeat(PLACEHOLDER_WIDTH)}`);
  if (placeholders.some((placeholder) => text.includes(placeholder))) return format(text);
  let swapped = '';
  let at = 0;
  literals.forEach(({ start, end }, i) => {
    swapped += `${text.slice(at, start)}'${placeholders[i]}'`;
    at = end;
  });
  swapped += text.slice(at);
  // The verdict depends on the code around the literals only: a change inside them (the spec) reuses it,
  // and the compiler, which is big, is loaded only when that code changed.
  const verdict = cache.memoSync(['long-literal-scan', codeFingerprint(), TYPESCRIPT_VERSION], swapped, (input) => String(scansAsStrings(typescriptCompiler(), input, placeholders)));
  if (verdict !== 'true') return format(text);
  let formatted = await format(swapped);
  for (const [i, { start, end }] of literals.entries()) {
    const placeholder = placeholders[i]!;
    const found = [`'${placeholder}'`, `"${placeholder}"`].map((quoted) => ({ quoted, index: formatted.indexOf(quoted) })).find(({ index }) => index >= 0);
    if (!found || formatted.indexOf(found.quoted, found.index + 1) >= 0) return format(text);
    const literal = prettierString(text.slice(start, end), singleQuote);
    if (literal === undefined) return format(text);
    formatted = formatted.slice(0, found.index) + literal + formatted.slice(found.index + found.quoted.length);
  }
  return formatted;
}

/**
 * The long string literals of the text: on each line of at least LONG_LITERAL characters, its literals
 * are walked from the line's start (a quote opens one, the next unescaped same quote closes it). Whether
 * each long one really is a string literal is then asked of TypeScript's scanner, on the text with the
 * literals swapped for placeholders (short, so scanning is cheap): each must come back as a string token
 * holding its placeholder. A template literal or a `/` (which the scanner alone cannot tell from a regex)
 * makes the check unreliable: then none are reported.
 */
function longStringLiterals(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (lineEnd - lineStart >= LONG_LITERAL) {
      const quote = /["']/g;
      quote.lastIndex = lineStart;
      for (let match = quote.exec(text); match && match.index < lineEnd; match = quote.exec(text)) {
        const end = literalEnd(text, match.index, lineEnd);
        if (end < 0) break;
        if (end - match.index >= LONG_LITERAL) found.push({ start: match.index, end });
        quote.lastIndex = end;
      }
    }
    lineStart = lineEnd + 1;
  }
  return found;
}

/** The end (after the closing quote) of the literal opened at `start`, or -1 when it does not close on its line. */
function literalEnd(text: string, start: number, lineEnd: number): number {
  const quote = text[start]!;
  for (let from = start + 1; ; ) {
    const at = text.indexOf(quote, from);
    if (at < 0 || at >= lineEnd) return -1;
    let backslashes = 0;
    while (text[at - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return at + 1;
    from = at + 1;
  }
}

const TYPESCRIPT_VERSION = packageVersion('typescript');

/** Whether TypeScript's scanner reads each placeholder, and nothing unreliable, in `swapped`. */
function scansAsStrings(ts: typeof TypeScript, swapped: string, placeholders: string[]): boolean {
  const unreliable = new Set([ts.SyntaxKind.SlashToken, ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.Unknown]);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, swapped);
  const seen: string[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.StringLiteral && scanner.getTokenValue().startsWith('__scaffold_long_literal_')) seen.push(scanner.getTokenValue());
    else if (unreliable.has(token)) return false;
  }
  return seen.length === placeholders.length && seen.every((value, i) => value === placeholders[i]);
}

/**
 * Prettier's normalization of a double-quoted literal whose escapes are JSON's (what stringLiteral
 * writes): the preferred quote unless the text holds more of it, the other quote unescaped, the
 * enclosing one escaped; a single-quoted one already so normalized is kept. Undefined for any other
 * literal (those are left to prettier); tests compare with prettier.
 */
export function prettierString(raw: string, singleQuote: boolean): string | undefined {
  const quote = raw[0];
  if ((quote !== '"' && quote !== "'") || raw.at(-1) !== quote || raw.length < 2) return undefined;
  const content = raw.slice(1, -1);
  const [preferred, alternate] = singleQuote ? (["'", '"'] as const) : (['"', "'"] as const);
  const enclosing = countQuotes(content, preferred) > countQuotes(content, alternate) ? alternate : preferred;
  if (quote === "'") {
    // Single-quoted literals arrive already requoted (the spec's, see plan/document-literal.ts): every quote
    // inside escaped (or it would have ended), none of the other escaped needlessly; left to prettier otherwise.
    return quote === enclosing && content.split('\\\\').every((piece) => !/\\(?:[^'bfnrtu]|$)/.test(piece)) ? raw : undefined;
  }
  const requoted = requote(content, enclosing);
  return requoted === undefined ? undefined : enclosing + requoted + enclosing;
}
