import type { Names } from './types.js';

/**
 * Names from a spec are untrusted input. Everything here reduces them to ASCII letters and digits,
 * so a generated identifier or file name can never carry code, quotes or path separators.
 */
export function words(raw: string): string[] {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export function camelCase(raw: string, fallback = 'value'): string {
  const parts = words(raw);
  if (parts.length === 0) return fallback;
  const [first = '', ...rest] = parts;
  return leadingLetter(first + rest.map(capitalize).join(''), fallback);
}

export function pascalCase(raw: string, fallback = 'Value'): string {
  const parts = words(raw);
  if (parts.length === 0) return fallback;
  return leadingLetter(parts.map(capitalize).join(''), fallback);
}

export function kebabCase(raw: string, fallback = 'value'): string {
  const joined = words(raw).join('-').slice(0, 60).replace(/-+$/, '');
  return joined === '' ? fallback : /^[0-9]/.test(joined) ? `${fallback}-${joined}` : joined;
}

/** Identifiers cannot start with a digit: `2fa` becomes `value2fa` (the fallback word leads). */
function leadingLetter(identifier: string, fallback: string): string {
  const trimmed = identifier.slice(0, 80);
  return /^[0-9]/.test(trimmed) ? `${fallback}${trimmed}` : trimmed;
}

export function names(raw: string, fallback = 'item'): Names {
  return { original: raw, camel: camelCase(raw, fallback), pascal: pascalCase(raw, capitalize(fallback)), kebab: kebabCase(raw, fallback) };
}

/** Words that cannot name a variable, parameter or type in TypeScript (strict mode, ES modules). */
export const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield await any boolean number string ' +
    'symbol type object never unknown undefined constructor arguments eval'
  ).split(' '),
);

/** Hands out names from a base, adding 2, 3, ... on collision; order of calls decides, so callers sort first. */
export class NameRegistry {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name.toLowerCase());
  }

  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n += 1) candidate = `${base}${n}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/** A string literal safe to place in generated TypeScript: JSON escaping plus the sequences that end comments or templates. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A JSON value as a TypeScript expression. In an object literal `"__proto__": v` sets the prototype
 * instead of a key; written computed (`["__proto__"]: v`), it is a key like any other. Outside strings,
 * JSON has a bare `"` only where a string starts or ends, so `{"__proto__":` or `,"__proto__":` is a key.
 */
export function jsonAsCode(value: unknown): string {
  return JSON.stringify(value).replace(/([{,])"__proto__":/g, '$1["__proto__"]:');
}

/**
 * The content of a string literal (what lies between its quotes, with JSON's escapes as stringLiteral
 * writes them, or already requoted) as it reads between `enclosing` quotes, the way prettier requotes:
 * the other quote unescaped, `enclosing` escaped. Undefined when the content has escapes other than
 * JSON's (prettier would rewrite those too).
 */
export function requote(content: string, enclosing: '"' | "'"): string | undefined {
  const other = enclosing === '"' ? "'" : '"';
  if (!hasOnlyJsonEscapes(content)) return undefined;
  // Escaped backslashes apart, so that `\\"` is read as an escaped backslash before a quote.
  const pieces = content.split('\\\\');
  return pieces.map((piece) => piece.replaceAll(`\\${other}`, other).replaceAll(enclosing, `\\${enclosing}`).replaceAll(`\\\\${enclosing}`, `\\${enclosing}`)).join('\\\\');
}

/** Whether every escape in a literal's content is one of JSON's (or an escaped single quote). */
export function hasOnlyJsonEscapes(content: string): boolean {
  return !content.split('\\\\').some((piece) => /\\(?:[^"'bfnrtu]|$)/.test(piece));
}

/** How many times `quote` occurs in `text` (a literal's content; escaped quotes count, as prettier counts them). */
export function countQuotes(text: string, quote: '"' | "'"): number {
  let count = 0;
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) count++;
  return count;
}

/** Text safe inside a `/** ... *\/` comment: no terminator, no stray control characters, one line per line. */
export function commentText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, ' ')
    .trim();
}
