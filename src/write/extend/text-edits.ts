/**
 * Extensions of a user's file are applied as insertions into its text, never by reprinting the file:
 * every byte the user wrote stays where it was.
 */
export interface TextEdit {
  /** Offset in the original text; `end` > `pos` replaces that range. */
  pos: number;
  end?: number;
  text: string;
}

/** Applies edits given against the original text; insertions at one offset keep the order they were given in. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ ...edit, index })).sort((a, b) => b.pos - a.pos || b.index - a.index);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.pos) + edit.text + result.slice(edit.end ?? edit.pos);
  return result;
}

/** The whitespace a line starts with, for the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/**
 * Moves a node's text from one indentation to another: its first line has none (it is inserted after
 * `to`), the following lines trade the prefix `from` for `to`.
 */
export function reindent(nodeText: string, from: string, to: string): string {
  return nodeText
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Where an offset of the original text ends up once the edits are applied (insertions at it go before it). */
export function offsetAfterEdits(edits: readonly TextEdit[], offset: number): number {
  let moved = offset;
  for (const edit of edits) if ((edit.end ?? edit.pos) <= offset) moved += edit.text.length - ((edit.end ?? edit.pos) - edit.pos);
  return moved;
}
