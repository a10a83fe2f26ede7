import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ValidateFunction } from 'ajv';
import { EnvelopeParts, type RequestContext } from '../dto/operation-types.js';
import { InternalError, NotAcceptableError } from '../errors/index.js';
import type { Authenticator } from '../middlewares/authenticate.js';
import { acceptableMediaType, checkMediaTypes } from '../middlewares/content-negotiation.js';
import { decodeParameters } from '../middlewares/decode-parameters.js';
import type { Validation } from '../utils/validation.js';
import { toXml } from '../utils/xml.js';
import type { JsonSchema, OperationInput, OperationRoute, SuccessResponse } from './operation-route.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    operation?: OperationRoute<unknown>;
  }
}

/**
 * Serves each operation of the route table: authenticate, check media types, decode and validate
 * parameters, call the controller, send what it returns with the status and shape the spec declares.
 */
export function registerOperationRoutes<Controllers>(
  app: FastifyInstance,
  routes: readonly OperationRoute<Controllers>[],
  controllers: Controllers,
  authenticator: Authenticator,
  validation: Validation,
): void {
  allowDeclaredBodies(app, routes);
  // The limiter of the rate-limit plugin (src/middlewares/cross-cutting.ts), sharing its store.
  const limitRate = app.rateLimit();
  for (const route of routes) {
    const validateCookies: ValidateFunction | undefined =
      route.cookies === undefined ? undefined : validation.compileParameters(route.cookies);
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      serializerCompiler: ({ schema, httpStatus }) => {
        const { serialize, fallback } = validation.compileSerializer(schema as JsonSchema);
        if (fallback !== undefined) {
          app.log.warn(
            { operationId: route.operationId, status: httpStatus, reason: fallback },
            'response serialized by the fallback (undeclared properties stripped, then JSON.stringify)',
          );
        }
        return serialize;
      },
      // The rate limit comes before authentication, so failed logins are throttled too.
      config: { operation: route as OperationRoute<unknown>, rateLimit: false },
      onRequest: [
        limitRate,
        async (request) => {
          request.auth = await authenticator.authenticate(request, route.security);
        },
      ],
      preValidation: async (request) => {
        checkMediaTypes(request, route as OperationRoute<unknown>);
        decodeParameters(request, route.parameters, validateCookies);
      },
      handler: async (request, reply) => {
        const result = await route.handle(controllers, readInput(request, route), contextOf(request, reply));
        return sendResult(request, reply, route.successes, result);
      },
    });
  }
}

/** Methods Fastify reads no body for, and for which it refuses a body schema at startup. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * The spec may declare a request body on GET (search APIs do): Fastify then has to read bodies for
 * that method, else it refuses the route. Done before any route of the method is added.
 */
export function allowDeclaredBodies(
  app: Pick<FastifyInstance, 'addHttpMethod'>,
  routes: readonly Pick<OperationRoute<unknown>, 'method' | 'requestMediaTypes'>[],
): void {
  // A variable, not a literal: `overrideExisting` (which silences a deprecation warning) is newer than some Fastify 5 typings.
  const carriesBody = { hasBody: true, overrideExisting: true };
  const methods = new Set(
    routes.filter((route) => route.requestMediaTypes.length > 0).map((route) => String(route.method).toUpperCase()),
  );
  for (const method of methods) if (BODYLESS_METHODS.has(method)) app.addHttpMethod(method, carriesBody);
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: import('../dto/operation-types.js').AuthContext | undefined;
  }
}

function readInput(request: FastifyRequest, route: OperationRoute<unknown>): OperationInput {
  const headers: Record<string, unknown> = {};
  for (const parameter of route.parameters) {
    if (parameter.in !== 'header') continue;
    const value = request.headers[parameter.name.toLowerCase()];
    // Under the name the spec gives it (the types say `Idempotency-Key`); HTTP itself is case-blind.
    if (value !== undefined) headers[parameter.routeName] = value;
  }
  return {
    params: request.params as Record<string, unknown>,
    query: request.query as Record<string, unknown>,
    headers,
    cookies: request.cookieParameters,
    body: request.body,
  };
}

function contextOf(request: FastifyRequest, reply: FastifyReply): RequestContext {
  return {
    requestId: request.id,
    url: request.url,
    clientAddress: request.ip,
    auth: request.auth,
    log: request.log,
    setHeader: (name, value) => {
      // A header the response cannot carry is a bug in the caller; caught here, it becomes a clean 500.
      if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value))
        throw new InternalError(`Invalid response header ${JSON.stringify(name)}`);
      void reply.header(name, value);
    },
  };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function sendResult(
  request: FastifyRequest,
  reply: FastifyReply,
  successes: readonly SuccessResponse[],
  result: unknown,
): FastifyReply {
  let success = successes[0];
  let body = result;
  if (successes.length > 1) {
    const chosen = result as { status?: unknown; body?: unknown } | undefined;
    success = successes.find((s) => s.status === chosen?.status);
    if (!success)
      throw new InternalError(
        `The service returned status ${String(chosen?.status)}, which the operation does not declare`,
      );
    body = chosen?.body;
  }
  if (!success) return reply.status(200).send();
  reply.status(success.status);
  if (success.mediaTypes.length === 0 || body === undefined) return reply.send();

  const raw = typeof body === 'string' || Buffer.isBuffer(body) || isStream(body);
  // JSON first, so that a client that states no preference gets JSON; XML where the spec offers it too.
  const producible = raw
    ? success.mediaTypes
    : [
        ...success.mediaTypes.filter(isJsonMediaType),
        ...(success.xml ? success.mediaTypes.filter(isXmlMediaType) : []),
      ];
  const mediaType = acceptableMediaType(request.headers.accept, producible);
  if (mediaType === undefined) throw new NotAcceptableError(`This response is available as: ${producible.join(', ')}`);
  void reply.type(mediaType.includes('*') ? 'application/json; charset=utf-8' : mediaType);
  if (!raw && success.xml && isXmlMediaType(mediaType)) {
    // Through the response schema first, so XML carries exactly what JSON would.
    const shaped: unknown = JSON.parse(
      String(reply.serializeInput(body as Record<string, unknown>, String(success.status))),
    );
    return reply.send(toXml(shaped, success.xml));
  }
  if (!success.envelope) return reply.send(body);
  const { data, meta, ...extras } =
    body instanceof EnvelopeParts ? (body.parts as { data: unknown; meta?: object }) : { data: body, meta: {} };
  return reply.send({ success: true, ...extras, data, meta: { requestId: request.id, ...meta } });
}

function isXmlMediaType(mediaType: string): boolean {
  return /^(application|text)\/([^;]+\+)?xml\b/.test(mediaType);
}

function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(.+\+)?json$|^\*\/\*$|^application\/\*$/.test(mediaType.split(';')[0]?.trim() ?? '');
}

function isStream(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function';
}
