import {
  AppError,
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  InternalError,
  MethodNotAllowedError,
  NotAcceptableError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './app-error.js';

type AppErrorClass = abstract new (...args: never[]) => AppError;

/** The one place where error classes meet HTTP. Subclasses inherit their parent's status. */
const STATUS_BY_CLASS: ReadonlyArray<readonly [AppErrorClass, number]> = [
  [ValidationError, 400],
  [AuthenticationError, 401],
  [AuthorizationError, 403],
  [NotFoundError, 404],
  [MethodNotAllowedError, 405],
  [NotAcceptableError, 406],
  [ConflictError, 409],
  [PreconditionFailedError, 412],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [UnprocessableEntityError, 422],
  [RateLimitError, 429],
  [InternalError, 500],
  [NotImplementedError, 501],
];

export function statusOf(error: AppError): number {
  return STATUS_BY_CLASS.find(([errorClass]) => error instanceof errorClass)?.[1] ?? 500;
}
