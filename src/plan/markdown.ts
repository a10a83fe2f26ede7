/**
 * Text from the spec or the domain model placed in generated markdown. Names, paths and reasons are
 * user input: a pipe would split a table cell, a backtick close a code span, `<!--` hide the rest of
 * the document, a line break end a table row. Each helper returns markdown that shows the text as it
 * is, whatever it holds, in the place it is made for.
 */

/** Line breaks end table rows and paragraphs; in one-line places they become spaces. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/**
 * Plain text for a table cell or a line of prose: the characters markdown (and GitHub's rendering:
 * `$` math, `~` strikethrough) gives a meaning are backslash-escaped, which CommonMark allows for
 * every ASCII punctuation character.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>&|~$!#]/g, '\\$&');
}

/**
 * Inline code. The fence is one backtick longer than the longest run inside, and a space pads text
 * that starts or ends with a backtick or a space, so no content can close the span early. Not for
 * tables (see `tableCode`).
 */
export function inlineCode(text: string): string {
  const content = oneLine(text);
  if (content.trim() === '') return '(blank)';
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * Inline code in a GFM table cell: pipes are escaped (GFM splits cells before it reads code spans).
 * A backslash right before a pipe cannot be written inside a code span without changing the text,
 * so such a value is written as escaped plain text instead.
 */
export function tableCode(text: string): string {
  const content = oneLine(text);
  if (/\\\|/.test(content)) return markdownText(content);
  return inlineCode(content).replace(/\|/g, '\\|');
}

/**
 * A fenced code block whose fence is longer than any backtick run of the content, so that no line
 * of it (a SQL string holding three backticks, say) can close the block.
 */
export function fencedBlock(content: string, info: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * A GFM table laid out as prettier lays it out (columns padded to their widest cell, a row of dashes
 * as wide), so that a big report needs no prettier run. Cells are markdown already (see markdownText).
 * Prettier measures width in terminal columns (East Asian wide characters count two); rather than
 * copy its tables, a table with any non-ASCII cell is left unaligned and `aligned` is false: the caller
 * then formats the document with prettier.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): { lines: string[]; aligned: boolean } {
  const all = [header, ...rows];
  const aligned = all.every((row) => row.every((cell) => /^[\x20-\x7e]*$/.test(cell)));
  const widths = header.map((_, column) => (aligned ? Math.max(3, ...all.map((row) => row[column]!.length)) : 3));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return { lines: [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)], aligned };
}
