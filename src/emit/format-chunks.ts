/**
 * Formatting a big generated file piece by piece, so that a regeneration after a change to one
 * operation reformats (and, through the cache, re-runs prettier on) only the pieces that changed.
 *
 * The pieces are cut where prettier's output does not depend on what lies across the cut:
 * - TypeScript: top-level statements (cut at a blank line, or after a line ending in `;` or `}`); a statement too big to format at once
 *   that is one container (`export interface paths { ... }`, `export const schemas = [ ... ];`) is cut
 *   again between its members, each piece formatted inside a copy of the container's head and tail;
 * - Markdown: sections, cut before a heading.
 * Pieces are cut by content, not by size, so inserting a member changes the pieces around it only.
 * Whenever a cut would not be clean (a piece that does not parse alone, a sentinel already in the text),
 * the whole text is formatted at once. Tests check that the result equals formatting the whole text.
 */

/** Texts below this size are formatted whole: cutting them gains nothing. */
export const CHUNKED_FORMAT_THRESHOLD = 64 * 1024;
/** A top-level statement above this size is cut between its members. */
const SPLIT_STATEMENT_ABOVE = 16 * 1024;
/** Members are grouped into pieces; a member this big always ends its piece. */
const BIG_MEMBER = 2048;

const START = '// @scaffold-piece-start';
const END = '// @scaffold-piece-end';

export type FormatText = (text: string) => Promise<string>;

/** `format(text)`, computed piece by piece when the text is big and can be cut cleanly. */
export async function formatInPieces(text: string, parser: string, format: FormatText): Promise<string> {
  if (text.length < CHUNKED_FORMAT_THRESHOLD) return format(text);
  try {
    if (parser === 'typescript') return await formatTypeScriptInPieces(text, format);
    if (parser === 'markdown') return await formatMarkdownInPieces(text, format);
  } catch {
    // A cut that was not clean: the whole text, formatted at once, is always right.
  }
  return format(text);
}

// ---------------------------------------------------------------------------------------------
// TypeScript

interface Line {
  start: number;
  end: number;
  /** Bracket depth at the start of the line; -1 when the line starts inside a string, comment or template. */
  depth: number;
  /** Bracket depth at the end of the line (-1 when it ends inside a string, comment or template). */
  endDepth: number;
  /** The last character of the line that is code (not space, not a comment); '' if none. */
  last: string;
  blank: boolean;
}

async function formatTypeScriptInPieces(text: string, format: FormatText): Promise<string> {
  if (text.includes(START) || text.includes(END)) throw new Error('sentinel in text');
  const lines = scanLines(text);
  // Statements: cut at a blank line, or before a line after one that ended a statement (`;` or `}`).
  const statements: { lines: Line[]; blankBefore: boolean }[] = [];
  let current: Line[] = [];
  let blankBefore = false;
  for (const line of lines) {
    const previous = current.at(-1);
    if (line.blank && line.depth === 0) {
      if (current.length > 0) statements.push({ lines: current, blankBefore });
      if (current.length > 0 || statements.length > 0) blankBefore = true;
      current = [];
      continue;
    }
    if (previous && line.depth === 0 && previous.endDepth === 0 && (previous.last === ';' || previous.last === '}')) {
      statements.push({ lines: current, blankBefore });
      blankBefore = false;
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) statements.push({ lines: current, blankBefore });
  if (statements.some((statement) => statement.lines[0]!.depth !== 0)) throw new Error('a statement starts inside a construct');
  const formatted = await Promise.all(statements.map((statement) => formatStatement(text, statement.lines, format)));
  return formatted.map((result, i) => (i > 0 && statements[i]!.blankBefore ? `\n${result}` : result)).join('');
}

async function formatStatement(text: string, lines: Line[], format: FormatText): Promise<string> {
  const whole = text.slice(lines[0]!.start, lines.at(-1)!.end);
  if (whole.length < SPLIT_STATEMENT_ABOVE) return format(whole);
  // One container: a head line opening it, members at depth 1, a closing line back at depth 0.
  const open = lines.findIndex((line) => line.endDepth === 1);
  const close = lines.findIndex((line, i) => i > open && line.depth === 1 && line.endDepth === 0);
  if (open < 0 || close < 0 || lines.slice(0, open).some((line) => line.endDepth > 0) || lines.slice(close + 1).some((l) => l.depth !== 0 || l.endDepth !== 0)) {
    return format(whole);
  }
  const head = text.slice(lines[0]!.start, textEnd(text, lines[open]!));
  const tail = text.slice(lines[close]!.start, textEnd(text, lines.at(-1)!));
  const members = lines.slice(open + 1, close);
  if (tail.length > 1024 || members.length === 0 || members.some((line) => line.depth < 1 && line.depth !== -1)) return format(whole);

  // Cut before a line at depth 1 whose previous line ended a member (`,` or `;` at depth 1).
  const pieces: { text: string; blankBefore: boolean }[] = [];
  let pieceStart = 0;
  let size = 0;
  for (let i = 0; i < members.length; i++) {
    const line = members[i]!;
    size += line.end - line.start;
    const next = members[i + 1];
    const endsMember = line.endDepth === 1 && (line.last === ',' || line.last === ';') && next !== undefined && next.depth === 1;
    if (next === undefined || (endsMember && (size >= BIG_MEMBER || hashOf(text, line) % 8 === 0))) {
      const group = members.slice(pieceStart, i + 1);
      const firstCode = group.findIndex((l) => !l.blank);
      if (firstCode >= 0) {
        const lastCode = group.length - 1 - [...group].reverse().findIndex((l) => !l.blank);
        pieces.push({ text: text.slice(group[firstCode]!.start, textEnd(text, group[lastCode]!)), blankBefore: firstCode > 0 && pieces.length > 0 });
      }
      pieceStart = i + 1;
      size = 0;
    }
  }
  const formatted = await Promise.all(pieces.map((piece) => format(`${head}\n${START}\n${piece.text}\n${END}\n${tail}`)));
  let out = '';
  formatted.forEach((result, i) => {
    const startAt = result.indexOf(`${START}\n`);
    const endAt = result.indexOf(END);
    if (startAt < 0 || endAt < startAt || result.indexOf(START, startAt + 1) >= 0) throw new Error('sentinels moved');
    const lineStart = result.lastIndexOf('\n', startAt) + 1;
    const endLineStart = result.lastIndexOf('\n', endAt) + 1;
    if (i === 0) out += result.slice(0, lineStart);
    if (pieces[i]!.blankBefore) out += '\n';
    out += result.slice(startAt + START.length + 1, endLineStart);
    if (i === formatted.length - 1) out += result.slice(result.indexOf('\n', endAt) + 1);
  });
  return out;
}

/** Where a line's text ends, its line break left out. */
function textEnd(text: string, line: Line): number {
  return text[line.end - 1] === '\n' ? line.end - 1 : line.end;
}

/** A cheap, stable hash of one line: where pieces end depends on the content, not on what came before. */
function hashOf(text: string, line: Line): number {
  let hash = 0;
  for (let i = line.start; i < line.end; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return hash >>> 0;
}

const enum Mode {
  Code,
  LineComment,
  BlockComment,
  Single,
  Double,
  Template,
  Regex,
}

// Character codes: the scan reads codes, not one-character strings.
const NEWLINE = 10;
const TAB = 9;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const DOLLAR = 36;
const QUOTE = 39;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const STAR = 42;
const SLASH = 47;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const BACKTICK = 96;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Characters after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set('(,=:[!&|?{};+-*%<>~^');

/**
 * Splits the text into lines, tracking bracket depth outside strings, comments, template literals and
 * regular expressions. Only as precise as cutting needs: any mistake makes a piece that does not parse,
 * and the caller falls back to formatting the whole text.
 */
function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let mode = Mode.Code;
  let depth = 0;
  const templateDepths: number[] = []; // bracket depth at each `${` inside a template literal
  let lineStart = 0;
  let lineDepth = 0;
  let lineClean = true;
  let lineEmpty = true; // only whitespace so far on this line
  let last = '';
  let lastSignificant = '';
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : -1;
    if (c === NEWLINE || c === -1) {
      const clean = mode === Mode.Code || mode === Mode.LineComment;
      if (mode === Mode.LineComment) mode = Mode.Code;
      lines.push({ start: lineStart, end: c === -1 ? i : i + 1, depth: lineClean ? lineDepth : -1, endDepth: clean ? depth : -1, last, blank: lineClean && lineEmpty && clean });
      lineStart = i + 1;
      lineDepth = depth;
      lineClean = mode === Mode.Code;
      lineEmpty = true;
      last = '';
      continue;
    }
    if (lineEmpty && !isWhitespace(c)) lineEmpty = false;
    switch (mode) {
      case Mode.LineComment:
        break;
      case Mode.BlockComment:
        if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
          mode = Mode.Code;
          i++;
        }
        break;
      case Mode.Single:
      case Mode.Double:
        if (c === BACKSLASH) i++;
        else if (c === (mode === Mode.Single ? QUOTE : DOUBLE_QUOTE)) mode = Mode.Code;
        break;
      case Mode.Regex:
        if (c === BACKSLASH) i++;
        else if (c === OPEN_BRACKET) {
          while (i + 1 < length && text.charCodeAt(i + 1) !== CLOSE_BRACKET && text.charCodeAt(i + 1) !== NEWLINE) i += text.charCodeAt(i + 1) === BACKSLASH ? 2 : 1;
        } else if (c === SLASH) mode = Mode.Code;
        break;
      case Mode.Template:
        if (c === BACKSLASH) i++;
        else if (c === BACKTICK) mode = Mode.Code;
        else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
          templateDepths.push(depth);
          depth++;
          i++;
          mode = Mode.Code;
        }
        break;
      case Mode.Code:
        switch (c) {
          case SLASH: {
            const next = text.charCodeAt(i + 1);
            if (next === SLASH) {
              mode = Mode.LineComment;
              i++;
            } else if (next === STAR) {
              mode = Mode.BlockComment;
              i++;
            } else if (lastSignificant === '' || BEFORE_REGEX.has(lastSignificant)) mode = Mode.Regex;
            break;
          }
          case QUOTE:
            mode = Mode.Single;
            break;
          case DOUBLE_QUOTE:
            mode = Mode.Double;
            break;
          case BACKTICK:
            mode = Mode.Template;
            break;
          case OPEN_BRACE:
          case OPEN_PAREN:
          case OPEN_BRACKET:
            depth++;
            break;
          case CLOSE_BRACE:
          case CLOSE_PAREN:
          case CLOSE_BRACKET:
            depth--;
            if (c === CLOSE_BRACE && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
              templateDepths.pop();
              mode = Mode.Template;
            }
            break;
        }
        if (c !== SPACE && c !== TAB && c !== CARRIAGE_RETURN && mode !== Mode.LineComment && mode !== Mode.BlockComment) {
          last = text[i]!;
          lastSignificant = last;
        }
        break;
    }
  }
  return lines;
}

/** What String.prototype.trim removes. */
function isWhitespace(c: number): boolean {
  if (c < 128) return c === SPACE || (c >= TAB && c <= CARRIAGE_RETURN);
  return /\s/.test(String.fromCharCode(c));
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Sections cut before each heading that follows a blank line, outside fenced code blocks. */
async function formatMarkdownInPieces(text: string, format: FormatText): Promise<string> {
  // Reference-style definitions and HTML blocks can tie sections together: those texts are formatted whole.
  if (/^\s{0,3}\[[^\]]+\]:/m.test(text) || /^\s{0,3}</m.test(text)) return format(text);
  const lines = text.split('\n');
  const sections: string[] = [];
  let fence: string | undefined;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark && (fence === undefined || (fenceMark[0] === fence[0] && fenceMark.length >= fence.length))) {
      fence = fence === undefined ? fenceMark : undefined;
    } else if (fence === undefined && i > start && /^#{1,6}\s/.test(line) && lines[i - 1]!.trim() === '') {
      sections.push(lines.slice(start, i).join('\n'));
      start = i;
    }
  }
  sections.push(lines.slice(start).join('\n'));
  const formatted = await Promise.all(sections.filter((section) => section.trim() !== '').map((section) => format(section)));
  return formatted.join('\n');
}
