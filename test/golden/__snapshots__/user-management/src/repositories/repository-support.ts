import { eq, gte, ilike, inArray, isNull, lte, or, type Column, type SQL } from 'drizzle-orm';
import { ConflictError } from '../errors/index.js';

/** A page of results and how many there are in all. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A condition on one field: a value (`null`: the field is empty), or a set of values and/or a range. */
export type FieldFilter<T> =
  | T
  | { in?: readonly NonNullable<T>[] | undefined; gte?: NonNullable<T> | undefined; lte?: NonNullable<T> | undefined };

/** Conditions on fields, all of which must hold; undefined ones are ignored. */
export type Filter<Fields> = { [K in keyof Fields]?: FieldFilter<Fields[K]> | undefined };

export interface ListQuery<Fields, SortField extends string, SearchField extends string = never> {
  filter?: Filter<Fields>;
  /** Case-insensitive substring search: a match in any of the fields. */
  search?: { text: string; fields: readonly SearchField[] } | undefined;
  sort?: { field: SortField; direction: 'asc' | 'desc' } | undefined;
  limit?: number;
  offset?: number;
}

/** The SQL conditions of one field's filter (parameterized by the query builder). */
export function fieldConditions(column: Column, filter: FieldFilter<unknown> | undefined): SQL[] {
  if (filter === undefined) return [];
  if (filter === null) return [isNull(column)];
  if (typeof filter !== 'object' || filter instanceof Date) return [eq(column, filter)];
  const range = filter as { in?: readonly unknown[]; gte?: unknown; lte?: unknown };
  const conditions: SQL[] = [];
  if (range.in !== undefined) conditions.push(inArray(column, [...range.in]));
  if (range.gte !== undefined) conditions.push(gte(column, range.gte));
  if (range.lte !== undefined) conditions.push(lte(column, range.lte));
  return conditions;
}

/** A substring match in any of the columns; `%`, `_` and backslashes in the text match themselves. */
export function searchCondition(columns: Column[], text: string): SQL | undefined {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  return or(...columns.map((column) => ilike(column, pattern)));
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Turns PostgreSQL's constraint errors into domain errors: a duplicate (unique violation) or a
 * reference to something missing or still referenced (foreign key violation) is a 409 Conflict,
 * a CHECK violation means the data broke a rule. Anything else is passed on as is.
 */
export function translateDatabaseError(error: unknown): unknown {
  const cause = findPostgresError(error);
  if (!cause) return error;
  switch (cause.code) {
    case '23505':
      return new ConflictError('A record with the same unique value already exists', {
        details: { constraint: cause.constraint },
        cause: error,
      });
    case '23503': // foreign_key_violation
    case '23001': // restrict_violation: ON DELETE RESTRICT on PostgreSQL 17+ (PGlite)
      return new ConflictError('The record refers to, or is referred to by, another record', {
        details: { constraint: cause.constraint },
        cause: error,
      });
    case '23514':
      return new ConflictError('The record breaks a rule of the data model', {
        details: { constraint: cause.constraint },
        cause: error,
      });
    default:
      return error;
  }
}

interface PostgresError {
  code: string;
  constraint?: string;
}

function findPostgresError(error: unknown): PostgresError | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (
      typeof current === 'object' &&
      typeof (current as { code?: unknown }).code === 'string' &&
      /^\d{5}$/.test((current as { code: string }).code)
    ) {
      return current as PostgresError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
