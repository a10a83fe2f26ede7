import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBodyTemplate, OperationRoute } from '../controllers/operation-route.js';
import { clientDatabaseError, withoutQueryValues } from '../errors/database-error.js';
import {
  AppError,
  AuthenticationError,
  IdempotencyKeyInUseError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  statusOf,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors/index.js';
import { ENVELOPE_ERROR_TEMPLATE, fillErrorBody } from '../utils/error-body.js';
import { requestPartOf, validationErrorOf } from '../utils/validation-issues.js';

/**
 * The one place that turns an error into a response. The body follows the spec: the schema declared
 * for that status on the operation, then its `4XX`/`5XX` range, then `default`, then the spec's shared
 * error schema, else the house envelope. Programmer errors are logged in full and answered with a
 * generic 500: no stack, no internal message.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  sharedErrorBody: ErrorBodyTemplate | undefined,
  routes: ReadonlyArray<{ method: string; url: string }>,
  options: ErrorLogOptions = {},
): void {
  const allowedMethods = createMethodLookup(routes);
  app.setErrorHandler((raw: FastifyError | Error, request, reply) => {
    const error = toAppError(raw);
    const status = answeredStatus(
      request.routeOptions.config.operation as OperationRoute<unknown> | undefined,
      statusOf(error),
    );
    // An expected error is part of the request's one log line; only a programmer error gets its own, with its stack.
    request.errorCode = error.code;
    if (!error.isOperational) {
      // A failed query's parameters and PostgreSQL's detail quote request values (personal data).
      const logged = options.logQueryValues ? raw : withoutQueryValues(raw);
      request.log.error({ err: logged }, 'unhandled error');
    }

    if (error instanceof AuthenticationError && error.challenges.length > 0) {
      void reply.header('www-authenticate', error.challenges.join(', '));
    }
    if (error instanceof RateLimitError || error instanceof IdempotencyKeyInUseError)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    return sendError(request, reply, status, error, sharedErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendError(
        request,
        reply,
        405,
        new MethodNotAllowedError(`${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`),
        sharedErrorBody,
      );
    }
    return sendError(request, reply, 404, new NotFoundError(`No route for ${request.method} ${path}`), sharedErrorBody);
  });
}

/**
 * Errors the router meets before any route is chosen (Fastify's `frameworkErrors`): a path that is not
 * valid UTF-8 once decoded, a path parameter longer than the router keeps. Answered like every other
 * client error, with the error body, instead of Fastify's own.
 */
export function answerRouterError(
  sharedErrorBody: ErrorBodyTemplate | undefined,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (raw, request, reply) => {
    const message =
      raw.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path parameter is too long'
        : 'The path is not valid: a segment does not decode to UTF-8 text';
    const error = new ValidationError(message, [{ location: 'path', message }]);
    request.errorCode = error.code;
    return sendError(request, reply, 400, error, sharedErrorBody);
  };
}

export interface ErrorLogOptions {
  /** Log a failed query's parameters and PostgreSQL's message and detail (they quote request values): for debugging only. */
  logQueryValues?: boolean;
}

/** For a path no route matched: the methods that other routes serve on it (a 405 rather than a 404). */
function createMethodLookup(routes: ReadonlyArray<{ method: string; url: string }>): (path: string) => string[] {
  const patterns = routes.map(({ method, url }) => {
    const source = url
      .split('::')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+?'))
      .join(':');
    return { method, pattern: new RegExp(`^${source}/?$`) };
  });
  return (path) => [...new Set(patterns.filter(({ pattern }) => pattern.test(path)).map(({ method }) => method))];
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error: AppError,
  sharedErrorBody: ErrorBodyTemplate | undefined,
): FastifyReply {
  const operation = request.routeOptions.config.operation as OperationRoute<unknown> | undefined;
  const declared = errorBodyFor(operation, status);
  const template = declared?.template ?? sharedErrorBody ?? ENVELOPE_ERROR_TEMPLATE;
  const body = fillErrorBody(template, {
    status,
    code: codeFor(operation, status, error),
    message: error.isOperational ? error.message : 'An unexpected error occurred',
    details: error.isOperational ? error.details : undefined,
    requestId: request.id,
    path: request.url.split('?')[0] ?? '',
  });
  const mediaType = declared?.mediaType ?? 'application/json';
  // The body is built by the template of the spec's error schema, so it conforms as it is; sent as built,
  // a details object the schema leaves free-form (`{ state, allowed }`) keeps its members, which the
  // response schema's serializer would drop.
  return reply
    .status(status)
    .type(mediaType.includes('*') ? 'application/json' : mediaType)
    .serializer((payload) => JSON.stringify(payload))
    .send(body);
}

/** Statuses any operation may answer besides those its spec declares. */
const ALWAYS_ALLOWED = new Set([400, 401, 403, 404, 405, 406, 413, 415, 429, 500, 501]);

/**
 * The spec is the contract: a client error the operation does not declare (a 409 from a domain
 * rule on an operation that lists no 409, say) is answered as a 400; its body keeps the error's code.
 */
function answeredStatus(operation: OperationRoute<unknown> | undefined, status: number): number {
  if (!operation || ALWAYS_ALLOWED.has(status) || status >= 500) return status;
  const declared = operation.errorStatuses.map((key) => key.toUpperCase());
  return declared.includes(String(status)) ||
    declared.includes(`${String(status).charAt(0)}XX`) ||
    declared.includes('DEFAULT')
    ? status
    : 400;
}

/**
 * The code a client reads: the spec's code for this error on this operation where the spec names one
 * (for the status the error has, not a 400 it was answered as), else the error's own.
 */
function codeFor(operation: OperationRoute<unknown> | undefined, status: number, error: AppError): string {
  const codes = operation?.errorCodes;
  if (codes === undefined || status !== statusOf(error) || !Object.hasOwn(codes, error.code)) return error.code;
  return codes[error.code] ?? error.code;
}

function errorBodyFor(
  operation: OperationRoute<unknown> | undefined,
  status: number,
): OperationRoute<unknown>['errorBodies'][string] | undefined {
  if (!operation) return undefined;
  const bodies = operation.errorBodies;
  return bodies[String(status)] ?? bodies[`${String(status).charAt(0)}XX`] ?? bodies.default;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The code of the error the request ended with, for its log line. */
    errorCode?: string;
  }
}

/** Fastify's own errors (bad JSON, body too large, schema validation) become the app's error classes. */
export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  // A value the database cannot take (out of range, NUL, malformed), a duplicate, a missing reference.
  const fromDatabase = clientDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return validationErrorOf(requestPartOf(fastifyError.validationContext), fastifyError.validation);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError('The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(fastifyError.message);
    case 'FST_ERR_NOT_FOUND':
      return new NotFoundError('Not found');
  }
  if (fastifyError.statusCode === 405) return new MethodNotAllowedError(fastifyError.message);
  // Multipart's own limits (a file, a field, too many parts) say 413 in their statusCode.
  if (fastifyError.statusCode === 413) return new PayloadTooLargeError('The request body is too large');
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Malformed JSON, an empty body where one is required, a bad multipart stream: the client's input.
    return new ValidationError(fastifyError.message, [{ location: '/body', message: fastifyError.message }]);
  }
  return new InternalError('Unexpected error', { cause: error });
}
