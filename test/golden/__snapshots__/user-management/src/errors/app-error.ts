/**
 * The error vocabulary of the application. Each error has a stable string `code` that clients can
 * rely on and no HTTP status: src/errors/error-status.ts maps classes to statuses in one table.
 * These are the house codes: where the spec names its own code for an operation's error, the error
 * handler answers with that one instead (`errorCodes` in src/controllers/routes.gen.ts).
 *
 * Operational errors (`isOperational: true`) are expected outcomes such as bad input or a missing
 * record; their message is safe to show. Anything else is a programmer error: it is logged in full
 * and answered with a generic 500 that leaks nothing.
 */
export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  readonly isOperational: boolean = true;
  readonly details: unknown;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
  }
}

/** One problem with the input: where it is (`/body/price`) and what is wrong with it. */
export interface ValidationIssue {
  location: string;
  message: string;
}

export class ValidationError extends AppError {
  readonly code = 'VALIDATION_FAILED';

  constructor(message: string, issues: ValidationIssue[] = [], options: Omit<AppErrorOptions, 'details'> = {}) {
    super(message, { ...options, details: issues });
  }
}

export class AuthenticationError extends AppError {
  readonly code: string = 'AUTHENTICATION_REQUIRED';

  /** Challenges for the `WWW-Authenticate` header, e.g. `Bearer realm="api"`. */
  constructor(
    message = 'Authentication is required',
    readonly challenges: string[] = [],
    options: AppErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class AuthorizationError extends AppError {
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

export class MethodNotAllowedError extends AppError {
  readonly code = 'METHOD_NOT_ALLOWED';
}

export class NotAcceptableError extends AppError {
  readonly code = 'NOT_ACCEPTABLE';
}

export class ConflictError extends AppError {
  readonly code: string = 'CONFLICT';
}

/** A change sent with a stale version: someone else saved first. */
export class VersionConflictError extends ConflictError {
  override readonly code = 'VERSION_CONFLICT';
}

/** A transition the current state does not allow; `details` says the state and the states that allow it. */
export class InvalidStateError extends ConflictError {
  override readonly code = 'INVALID_STATE';

  constructor(
    message: string,
    state: string,
    allowed: readonly string[],
    options: Omit<AppErrorOptions, 'details'> = {},
  ) {
    super(message, { ...options, details: { state, allowed } });
  }
}

/** A value that must be unique is taken already. */
export class AlreadyExistsError extends ConflictError {
  override readonly code = 'ALREADY_EXISTS';
}

/** A rule of the domain model that the current state of what the request refers to forbids; the code is the design's. */
export class RuleConflictError extends ConflictError {
  override readonly code: string;

  constructor(message: string, code: string, options: AppErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/** A conditional request (`If-Match`) whose condition no longer holds: someone changed the resource. */
export class PreconditionFailedError extends AppError {
  readonly code = 'PRECONDITION_FAILED';
}

/** Well-formed input the data model cannot take: a reference to a record that does not exist, a broken rule. */
export class UnprocessableEntityError extends AppError {
  readonly code: string = 'UNPROCESSABLE_ENTITY';
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class RateLimitError extends AppError {
  readonly code = 'RATE_LIMITED';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options: AppErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class NotImplementedError extends AppError {
  readonly code = 'NOT_IMPLEMENTED';

  constructor(operation: string) {
    super(`${operation} is not implemented yet`);
  }
}

/** A failure the code did not expect: never shown to clients as is. */
export class InternalError extends AppError {
  readonly code = 'INTERNAL_ERROR';
  override readonly isOperational = false;
}
