import { AlreadyExistsError, AppError, ConflictError, UnprocessableEntityError, ValidationError } from './app-error.js';

/**
 * What scaffold reads of a PostgreSQL error (from node-postgres or the embedded PGlite): its
 * SQLSTATE code and the names of what it concerns. Never its message or detail, which quote values.
 */
export interface PostgresError {
  code: string;
  message: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/** The PostgreSQL error in an error's `cause` chain (Drizzle wraps it in a DrizzleQueryError). */
export function findPostgresError(error: unknown): PostgresError | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (typeof current === 'object' && isSqlState((current as { code?: unknown }).code)) {
      return current as PostgresError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Five characters, digits or capitals; not Node's `EPIPE` or `EPERM`. */
function isSqlState(code: unknown): boolean {
  return typeof code === 'string' && /^([0-9][0-9A-Z]|HV|P0|XX)[0-9A-Z]{3}$/.test(code);
}

/**
 * A database error the client's input can cause, as the error the client is answered with: data
 * that does not fit its column is a 400, a duplicate a 409, a reference to a missing record or a
 * broken CHECK a 422, a record still referred to a 409. Undefined for every other error (a 500).
 */
export function clientDatabaseError(error: unknown): AppError | undefined {
  const cause = findPostgresError(error);
  if (!cause) return undefined;
  const details = cause.constraint === undefined ? undefined : { constraint: cause.constraint };
  switch (cause.code) {
    case '23505': // unique_violation
      return new AlreadyExistsError('A record with the same unique value already exists', { details, cause: error });
    case '23503': // foreign_key_violation: a missing referenced record on insert or update, else one still referred to
      return /^insert or update /.test(cause.message)
        ? new UnprocessableEntityError('The record refers to a record that does not exist', { details, cause: error })
        : new ConflictError('The record is referred to by another record', { details, cause: error });
    case '23001': // restrict_violation: ON DELETE RESTRICT on PostgreSQL 17+ (PGlite)
      return new ConflictError('The record is referred to by another record', { details, cause: error });
    case '23514': // check_violation
      return new UnprocessableEntityError('The record breaks a rule of the data model', { details, cause: error });
    case '23502': // not_null_violation
      return invalid('A required value is missing', error);
  }
  // Class 22, data exceptions: a value that does not fit where it is stored.
  if (!cause.code.startsWith('22')) return undefined;
  return invalid(DATA_EXCEPTIONS[cause.code] ?? 'A value cannot be stored as sent', error);
}

const DATA_EXCEPTIONS: Readonly<Record<string, string>> = {
  '22001': 'A text value is longer than can be stored',
  '22003': 'A number is out of the range that can be stored',
  '22007': 'A date or time is malformed',
  '22008': 'A date or time is out of range',
  '22021': 'A text value holds a character that cannot be stored (such as NUL, \\u0000)',
  '22P02': 'A value is malformed for its type (an identifier that is not a UUID, say)',
  '22P05': 'A text value holds a character that cannot be stored (such as NUL, \\u0000)',
};

function invalid(message: string, cause: unknown): ValidationError {
  return new ValidationError(message, [{ location: '/request', message }], { cause });
}

/**
 * The error as it may be logged: a failed query keeps its statement (its values are parameters),
 * the SQLSTATE code and the names of the constraint, table and column, and loses the parameters and
 * PostgreSQL's message and detail, which quote values (personal data, secrets). Other errors pass as is.
 */
export function withoutQueryValues(error: unknown): unknown {
  const cause = findPostgresError(error);
  const query =
    typeof (error as { query?: unknown } | null)?.query === 'string' ? (error as { query: string }).query : undefined;
  if (!cause && query === undefined) return error;
  const name = error instanceof Error ? error.name : 'DatabaseError';
  const message = `${query === undefined ? 'Database error' : `Failed query: ${query}`}${cause ? ` (SQLSTATE ${cause.code})` : ''}`;
  const safe = new Error(message);
  safe.name = name;
  const frames = (error instanceof Error ? (error.stack ?? '') : '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${name}: ${message}`, ...frames].join('\n');
  return Object.assign(safe, {
    ...(query !== undefined && { query }),
    ...(cause && { code: cause.code, constraint: cause.constraint, table: cause.table, column: cause.column }),
  });
}
