import type { Options } from 'prettier';
import { packageVersion } from '../cache/package-version.js';
import { error, ScaffoldError } from '../diagnostics/diagnostic.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { CHUNKED_FORMAT_THRESHOLD, formatInPieces } from './format-chunks.js';
import { formatAroundLongLiterals } from './format-long-literals.js';

const PARSERS: Record<string, string> = { '.ts': 'typescript', '.js': 'babel', '.json': 'json', '.md': 'markdown', '.yaml': 'yaml', '.yml': 'yaml' };

/** The house style of generated files. */
export const PRETTIER_OPTIONS: Options = { singleQuote: true, printWidth: 120, trailingComma: 'all' };

/**
 * Prettier runs last on every file it has a parser for; a failure here is a generator bug, reported with
 * the file. A big file is formatted piece by piece (see format-chunks.ts); each piece's result, and a big
 * file's whole result, is remembered by the cache under its text, the parser, prettier's version and options.
 */
export async function formatCode(path: string, text: string, cache: RunCache = noRunCache()): Promise<string> {
  const extension = path.slice(path.lastIndexOf('.'));
  const parser = PARSERS[extension];
  if (!parser) return text;
  try {
    const key = formatKey(parser);
    const formatWhole = (whole: string) => formatInPieces(whole, parser, (piece) => cache.memo(key, piece, async (input) => (await loadPrettier()).format(input, { ...PRETTIER_OPTIONS, parser })));
    const format = (whole: string) => (parser === 'typescript' ? formatAroundLongLiterals(whole, PRETTIER_OPTIONS.singleQuote === true, formatWhole, cache) : formatWhole(whole));
    // A big file is remembered whole too (its value is prettier's output all the same, so it shares the
    // key): an unchanged one costs a hash instead of a cut and a lookup per piece, and keeps its pieces.
    return await (text.length >= CHUNKED_FORMAT_THRESHOLD ? cache.memo(key, text, format) : format(text));
  } catch (cause) {
    throw new ScaffoldError([error('SCF025', `could not format ${path}: ${(cause as Error).message.split('\n')[0]}`, { file: path })]);
  }
}

/** What prettier's output depends on besides the text. */
export function formatKey(parser: string, options: Options = PRETTIER_OPTIONS, version: string = PRETTIER_VERSION): string[] {
  return ['prettier', version, JSON.stringify(options), parser];
}

/** Read from its package.json: prettier itself is imported only when something has to be formatted. */
const PRETTIER_VERSION = packageVersion('prettier');

let prettier: Promise<typeof import('prettier')> | undefined;
function loadPrettier(): Promise<typeof import('prettier')> {
  prettier ??= import('prettier');
  return prettier;
}
