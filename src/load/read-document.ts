import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { fail, type SourceLocation } from '../diagnostics/diagnostic.js';
import { checkDocumentShape, checkDocumentSize, checkFlowNesting, DOCUMENT_LIMITS, formatBytes, jsonNesting, tooDeep } from './document-limits.js';
import { jsonPointerOffsets } from './json-pointer-offsets.js';
import { readRegularFile } from './read-regular-file.js';

/** A parsed input file: its text (for locating problems later) and the plain value it holds. */
export interface ParsedFile {
  path: string;
  text: string;
  value: unknown;
}

/** A design file named on the command line (`what` names it in messages): a regular file within the size limit, parsed within the shape limits. */
export async function readDocument(path: string, what = 'the file'): Promise<ParsedFile> {
  const text = await readInputFile(path, what);
  return { path, text, value: parseText(path, text) };
}

/** The text of an input file (`what` names it in messages): only a regular file, at most DOCUMENT_LIMITS.maxBytes. */
export async function readInputFile(path: string, what: string, from?: SourceLocation): Promise<string> {
  const read = await readRegularFile(path);
  if (read.ok) return read.text;
  const at = from ?? { file: path };
  if (read.reason === 'missing') return fail('SCF001', `cannot read ${what} ${path}: ${read.detail ?? 'no such file'}`, at);
  if (read.reason === 'not-a-file') return fail('SCF009', `expected a file but found ${read.detail ?? 'something else'}: ${path}`, at);
  return fail('SCF009', `${what} ${path} is larger than the limit of ${formatBytes(DOCUMENT_LIMITS.maxBytes)}`, at, 'split it into files that reference each other');
}

/** Whether parseText reads the text as JSON. */
export function isJsonText(path: string, text: string): boolean {
  return text.trimStart().startsWith('{') || path.endsWith('.json');
}

/** JSON goes through JSON.parse (fast on multi-megabyte specs); everything else through the YAML 1.2 parser. */
export function parseText(path: string, text: string): unknown {
  checkDocumentSize(path, Buffer.byteLength(text));
  if (isJsonText(path, text)) {
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (cause) {
      if (cause instanceof RangeError) tooDeep({ file: path });
      const message = (cause as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      const { line, column } = offset === undefined ? { line: undefined, column: undefined } : lineColumnAt(text, Number(offset));
      fail('SCF002', `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
        file: path,
        ...(line !== undefined && { line, column }),
      });
    }
    // JSON has no aliases: only its depth can be over a limit, and a scan of the text tells.
    if (jsonNesting(text) > DOCUMENT_LIMITS.maxDepth) checkDocumentShape(path, value, false, (at) => jsonLocation(text, at));
    return value;
  }
  checkFlowNesting(path, text);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    // The parser reports its own stack overflow on deep nesting as a syntax error.
    if (/Maximum call stack size exceeded/.test(first.message)) tooDeep({ file: path, line, column: col });
    fail('SCF002', `YAML syntax error: ${first.message.split('\n')[0]}`, { file: path, line, column: col });
  }
  const value = yamlValue(path, document);
  checkDocumentShape(path, value, mayHoldAliases(text), (at) => yamlLocation(document, lineCounter, at));
  return value;
}

/**
 * The plain value of a parsed YAML document. An alias becomes the very object of its anchor, so this
 * costs no more than the text; what the expansion would cost is measured after (checkDocumentShape).
 */
export function yamlValue(path: string, document: Document): unknown {
  try {
    return document.toJS({ maxAliasCount: -1 }) as unknown;
  } catch (cause) {
    if (cause instanceof RangeError) tooDeep({ file: path });
    throw cause;
  }
}

/** Whether a YAML text may use an alias (`*name`): without one, no node is shared and only depth is measured. */
export function mayHoldAliases(text: string): boolean {
  return /(?:^|[\s[{,:-])\*[^\s[\]{},]/.test(text);
}

/** The line and column of the deepest node on `path` that the YAML document has. */
export function yamlLocation(document: Document, lineCounter: LineCounter, path: readonly (string | number)[]): { line?: number; column?: number } {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function jsonLocation(text: string, path: readonly (string | number)[]): { line?: number; column?: number } {
  const [offset] = jsonPointerOffsets(text, [{ segments: path.map(String), onKey: false }]);
  return offset === undefined ? {} : lineColumnAt(text, offset);
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
