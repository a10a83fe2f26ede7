import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { formatAroundLongLiterals, LONG_LITERAL, prettierString } from '../../../src/emit/format-long-literals.js';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { PRETTIER_OPTIONS } from '../../../src/emit/format-code.js';
import { stringLiteral } from '../../../src/model/naming.js';

const format = (text: string) => prettier.format(text, { ...PRETTIER_OPTIONS, parser: 'typescript' });

/** The literal prettier prints for `raw` (the one string in a statement prettier keeps on one line). */
async function prettierPrints(raw: string): Promise<string> {
  const formatted = await format(`f(${raw});\n`);
  return /(["'].*["'])/s.exec(formatted)![1]!.trim().replace(/,$/, '');
}

const SAMPLES = [
  stringLiteral(JSON.stringify({ a: "it's", b: 'say "hi"', c: 'back\\slash "\\q"', d: '\n\t\u2028\u0001' })),
  stringLiteral(`''' more single quotes than "double"`),
  `"\\\\\\"odd \\\\ backslashes\\\\"`,
  `"unicode \\u00e9 \\b\\f\\r"`,
  // A literal already in single quotes, as the spec's arrives (plan/document-literal.ts): kept.
  `'it\\'s "quoted"'`,
];

describe('formatting around long string literals', () => {
  it.each(SAMPLES)('normalizes %s as prettier does', async (raw) => {
    expect(prettierString(raw, true)).toBe(await prettierPrints(raw));
  });

  it('leaves literals with other escapes or quotes to prettier', () => {
    expect(prettierString(`'single \\d'`, true)).toBeUndefined();
    expect(prettierString(`"octal \\0 and \\x41"`, true)).toBeUndefined();
    expect(prettierString(`'a needless \\" escape'`, true)).toBeUndefined();
    expect(prettierString(`'more \\' \\' \\' singles than "doubles"'`, true)).toBeUndefined();
  });

  it('formats a file holding a literal above the threshold exactly as prettier formats it whole', async () => {
    const document = { info: { title: "O'Brien's \"API\"" }, paths: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`/p${i}`, { description: `it's "${i}" \\ \u2028` }])) };
    const literal = stringLiteral(JSON.stringify(document));
    expect(literal.length).toBeGreaterThan(LONG_LITERAL);
    const text = `// header\n\n/** The spec. */\nexport const openapiDocument: Readonly<Record<string, unknown>> = JSON.parse(${literal}) as Record<string, unknown>;\nconst short = "x";\n`;
    const formatted: string[] = [];
    const result = await formatAroundLongLiterals(text, true, async (input) => {
      formatted.push(input);
      return format(input);
    });
    expect(result).toBe(await format(text));
    expect(formatted.every((input) => input.length < 1000)).toBe(true); // prettier never saw the literal
  });

  it('reuses the check of the code around the literals when only a literal changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-long-literals-'));
    try {
      const cache = await openRunCache(dir);
      const file = (title: string) => `export const spec = JSON.parse(${stringLiteral(JSON.stringify({ title, padding: 'p'.repeat(LONG_LITERAL) }))});\n`;
      for (const title of ['v1', 'v2']) expect(await formatAroundLongLiterals(file(title), true, format, cache)).toBe(await format(file(title)));
      expect(cache.stats).toEqual({ hits: 1, misses: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats whole when the long line is not plainly a string (here, inside a template literal)', async () => {
    const text = `const t = \`${'"'.repeat(2)}${'a'.repeat(LONG_LITERAL)}\`;\n`;
    const seen: string[] = [];
    await formatAroundLongLiterals(text, true, async (input) => (seen.push(input), format(input)));
    expect(seen).toEqual([text]);
  });
});
