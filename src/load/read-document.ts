import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { fail } from '../diagnostics/diagnostic.js';

/** A parsed input file: its text (for locating problems later) and the plain value it holds. */
export interface ParsedFile {
  path: string;
  text: string;
  value: unknown;
}

export async function readDocument(path: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('SCF001', `file not found: ${path}`, { file: path });
    if (code === 'EISDIR') fail('SCF001', `expected a file but found a directory: ${path}`, { file: path });
    fail('SCF001', `cannot read ${path}: ${(cause as Error).message}`, { file: path });
  }
  return { path, text, value: parseText(path, text) };
}

/** Whether parseText reads the text as JSON. */
export function isJsonText(path: string, text: string): boolean {
  return text.trimStart().startsWith('{') || path.endsWith('.json');
}

/** JSON goes through JSON.parse (fast on multi-megabyte specs); everything else through the YAML 1.2 parser. */
export function parseText(path: string, text: string): unknown {
  if (isJsonText(path, text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      const message = (cause as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      const { line, column } = offset === undefined ? { line: undefined, column: undefined } : lineColumnAt(text, Number(offset));
      fail('SCF002', `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
        file: path,
        ...(line !== undefined && { line, column }),
      });
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    fail('SCF002', `YAML syntax error: ${first.message.split('\n')[0]}`, { file: path, line, column: col });
  }
  return document.toJS({ maxAliasCount: 10_000 }) as unknown;
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
