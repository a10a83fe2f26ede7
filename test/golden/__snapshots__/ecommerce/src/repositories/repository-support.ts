import { ConflictError } from '../errors/index.js';

/** A page of results and how many there are in all. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface ListQuery<Filter, SortField extends string> {
  /** Equality filters; undefined values are ignored. */
  filter?: Partial<Filter>;
  sort?: { field: SortField; direction: 'asc' | 'desc' };
  limit?: number;
  offset?: number;
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
    case '23503':
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
