import { eq, gte, ilike, inArray, isNull, lte, or, sql, type Column, type SQL } from 'drizzle-orm';
import { clientDatabaseError } from '../errors/database-error.js';

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

/**
 * The conditions of a text field declared `unique: ignore-case`: both sides compared in lower case, as
 * its unique index compares them (and served by it), so `ADA@example.com` finds `ada@example.com`.
 */
export function ignoringCaseConditions(column: Column, filter: FieldFilter<string | null> | undefined): SQL[] {
  if (filter === undefined) return [];
  if (filter === null) return [isNull(column)];
  const lowered = sql`lower(${column})`;
  if (typeof filter === 'string') return [sql`${lowered} = lower(${filter})`];
  const conditions: SQL[] = [];
  if (filter.in !== undefined) {
    conditions.push(
      filter.in.length === 0
        ? sql`false`
        : sql`${lowered} in (${sql.join(
            filter.in.map((value) => sql`lower(${value})`),
            sql`, `,
          )})`,
    );
  }
  if (filter.gte !== undefined) conditions.push(sql`${lowered} >= lower(${filter.gte})`);
  if (filter.lte !== undefined) conditions.push(sql`${lowered} <= lower(${filter.lte})`);
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
 * Turns the database errors a client can cause (a duplicate, a missing reference, a value that does
 * not fit its column) into the app's errors (src/errors/database-error.ts); anything else is passed on as is.
 */
export function translateDatabaseError(error: unknown): unknown {
  return clientDatabaseError(error) ?? error;
}
