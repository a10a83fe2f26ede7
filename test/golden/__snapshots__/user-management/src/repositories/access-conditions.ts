import { and, eq, gt, gte, lt, lte, ne, or, sql, type Column, type SQL } from 'drizzle-orm';

/**
 * The domain model's policies as query conditions. A rule decides on the caller in TypeScript and
 * leaves the row's part to the database, so lists filter in SQL and paging totals stay right.
 */

/** Every row (true), none (false), or the rows matching a SQL condition. */
export type Condition = boolean | SQL;

export function anyOf(...conditions: Condition[]): Condition {
  if (conditions.includes(true)) return true;
  const rows = conditions.filter((c): c is SQL => c !== false);
  if (rows.length <= 1) return rows[0] ?? false;
  return or(...rows) ?? false;
}

export function allOf(...conditions: Condition[]): Condition {
  if (conditions.includes(false)) return false;
  const rows = conditions.filter((c): c is SQL => c !== true);
  if (rows.length <= 1) return rows[0] ?? true;
  return and(...rows) ?? true;
}

const COMPARISONS = { '==': eq, '!=': ne, '<': lt, '<=': lte, '>': gt, '>=': gte } as const;

/** `column <operator> value`; no row matches a value the caller does not have (anonymous, a missing claim). */
export function compare(
  column: Column,
  operator: keyof typeof COMPARISONS,
  value: string | number | boolean | undefined,
): Condition {
  return value === undefined ? false : COMPARISONS[operator](column, value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A caller's value for a uuid column: one that is not a UUID matches no row, rather than failing the query. */
export function asUuid(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value : undefined;
}

/** The conditions a query adds to its WHERE: none for every row, an always-false one for none. */
export function whereOf(condition: Condition): SQL[] {
  if (condition === true) return [];
  return [condition === false ? sql`false` : condition];
}
