/**
 * Sorting and paging for the generated list operations: the spec's query parameters on one side,
 * the repositories' queries on the other.
 */
import { ValidationError } from '../errors/index.js';

/** `-price` with `{ price: 'priceCents' }` -> `{ field: 'priceCents', direction: 'desc' }`; a leading `-` sorts descending. */
export function sortOf<Field extends string>(
  value: string | undefined,
  fields: Readonly<Record<string, Field>>,
): { field: Field; direction: 'asc' | 'desc' } | undefined {
  if (value === undefined) return undefined;
  const field = fields[value.replace(/^[-+]/, '')];
  return field === undefined ? undefined : { field, direction: value.startsWith('-') ? 'desc' : 'asc' };
}

/** The query parameters a list pages with: page number and size, offset and limit, or a cursor and a limit. */
export type PagingParameters =
  | { style: 'page'; page: string; size: string }
  | { style: 'offset'; offset: string; limit: string }
  | { style: 'cursor'; cursor: string; limit: string };

/**
 * A cursor is opaque to clients: it encodes the position of the next page, so a client can only
 * continue where a response pointed it.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The position a cursor points at (0 without one); a cursor this API did not issue is a 400. */
export function decodeCursor(cursor: string | undefined, parameter: string): number {
  if (cursor === undefined) return 0;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  const offset =
    typeof position === 'object' && position !== null && 'offset' in position ? position.offset : undefined;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || encodeCursor(offset) !== cursor) {
    throw new ValidationError('Invalid cursor', [
      { location: `/query/${parameter}`, message: 'is not a cursor this API issued' },
    ]);
  }
  return offset;
}

export interface PageLinks {
  self: string;
  first: string;
  last: string;
  next: string | null;
  prev: string | null;
}

/**
 * Links to this page and its neighbours: the request's own URL with the paging parameters changed,
 * so every filter and sort the client sent is kept.
 */
export function pageLinks(
  url: string,
  paging: PagingParameters,
  position: { offset: number; size: number; total: number },
): PageLinks {
  const { offset, size, total } = position;
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const at = (start: number): string => {
    const parameters = new URLSearchParams(query);
    if (paging.style === 'page') {
      parameters.set(paging.page, String(Math.floor(start / size) + 1));
      parameters.set(paging.size, String(size));
    } else if (paging.style === 'cursor') {
      parameters.set(paging.cursor, encodeCursor(start));
      parameters.set(paging.limit, String(size));
    } else {
      parameters.set(paging.offset, String(start));
      parameters.set(paging.limit, String(size));
    }
    return `${path}?${parameters.toString()}`;
  };
  const lastStart = total === 0 ? 0 : Math.floor((total - 1) / size) * size;
  return {
    self: at(offset),
    first: at(0),
    last: at(lastStart),
    next: offset + size < total ? at(offset + size) : null,
    prev: offset > 0 ? at(Math.max(offset - size, 0)) : null,
  };
}
