import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { CHUNKED_FORMAT_THRESHOLD, formatInPieces } from '../../../src/emit/format-chunks.js';
import { PRETTIER_OPTIONS } from '../../../src/emit/format-code.js';

const prettierWith = (parser: string) => (text: string) => prettier.format(text, { ...PRETTIER_OPTIONS, parser });

/** A big, badly formatted TypeScript file with the constructs generated files have, and some that make cutting hard. */
function bigTypeScript(operations: number, extra = ''): string {
  const members = Array.from({ length: operations }, (_, i) => `    "/things/${i}": {\n        /** Thing ${i}. */\n        get: operations["get${i}"];\n  parameters: { query?: { limit?: number; q?: string } };\n    };${i % 7 === 0 ? '\n' : ''}`);
  const routes = Array.from({ length: operations }, (_, i) => `{ operationId: "get${i}", url: '/things/${i}', pattern: /^[a-z"']+\\/${i}$/, schema: { response: { "200": { $ref: "Thing" } } } },`);
  return [
    '// header comment',
    "import type { A } from './a.js';",
    'import type { B } from "./b.js"',
    '',
    '/** The paths. */',
    `export interface paths {\n${members.join('\n')}\n}`,
    `const text = \`line one\n\nexport const notCode = {\n\n\${[1, 2].map((n) => \`\${n}\`).join(",")}\`;`,
    'const errorBody = { mediaType: "application/json" };',
    'const errorBody2 = { mediaType: "application/json", template: {} }',
    '',
    '',
    `export const routes: readonly Route[] = [\n${routes.join('\n')}\n${extra}];`,
    'export function f(x: number) { return x / 2 / 3 }',
  ].join('\n');
}

describe('formatting in pieces', () => {
  it('gives what prettier gives for the whole TypeScript text', async () => {
    const text = bigTypeScript(250);
    expect(text.length).toBeGreaterThan(CHUNKED_FORMAT_THRESHOLD);
    const calls: string[] = [];
    const pieces = await formatInPieces(text, 'typescript', (piece) => (calls.push(piece), prettierWith('typescript')(piece)));
    expect(pieces).toBe(await prettierWith('typescript')(text));
    expect(calls.length).toBeGreaterThan(20); // it was cut
  });

  it('cuts by content: a change to one member reformats only the pieces around it', async () => {
    const before = new Set<string>();
    await formatInPieces(bigTypeScript(250), 'typescript', (piece) => (before.add(piece), prettierWith('typescript')(piece)));
    const changed = bigTypeScript(250).replace('q?: string } };\n    };\n    "/things/200"', 'q?: string; probe?: string } };\n    };\n    "/things/200"');
    expect(changed).not.toBe(bigTypeScript(250));
    const misses: string[] = [];
    const result = await formatInPieces(changed, 'typescript', (piece) => (before.has(piece) ? undefined : misses.push(piece), prettierWith('typescript')(piece)));
    expect(result).toBe(await prettierWith('typescript')(changed));
    expect(misses.length).toBe(1);
  });

  it('formats the whole text when a piece does not parse alone', async () => {
    const text = bigTypeScript(250, '  // @scaffold-piece-start\n');
    expect(await formatInPieces(text, 'typescript', prettierWith('typescript'))).toBe(await prettierWith('typescript')(text));
  });

  it('gives what prettier gives for a whole Markdown text cut into sections', async () => {
    const section = (i: number) => `## Section ${i}\n\n* item   one\n* item two with \`code\`\n\n\`\`\`ts\n# not a heading\n\nconst x  = 1\n\`\`\`\n\n| a | b |\n|---|---|\n| ${i} | long cell text |\n`;
    const text = `# Title\n\n${Array.from({ length: 500 }, (_, i) => section(i)).join('\n')}`;
    expect(text.length).toBeGreaterThan(CHUNKED_FORMAT_THRESHOLD);
    let calls = 0;
    const pieces = await formatInPieces(text, 'markdown', (piece) => (calls++, prettierWith('markdown')(piece)));
    expect(pieces).toBe(await prettierWith('markdown')(text));
    expect(calls).toBeGreaterThan(100);
  });
});
