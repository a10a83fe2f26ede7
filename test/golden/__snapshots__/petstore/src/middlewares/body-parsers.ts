import formBody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationRoute } from '../controllers/operation-route.js';
import { UnsupportedMediaTypeError } from '../errors/index.js';
import { mediaRangeMatches } from './content-negotiation.js';

/**
 * Bodies arrive in the media types the spec declares: JSON (and `+json` types), forms, multipart
 * (files become Buffers), text and XML as strings, anything else as raw bytes. A body in a media type
 * the operation does not declare is refused (415) before any parser reads it, so no route buffers
 * what it never asked for.
 */
export async function registerBodyParsers(app: FastifyInstance, bodyLimitBytes: number): Promise<void> {
  app.addHook('preParsing', async (request) => refuseUndeclaredBody(request));
  await app.register(formBody, { bodyLimit: bodyLimitBytes });
  // Multipart streams past Fastify's bodyLimit, so its own limits bound what one request can hold.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: bodyLimitBytes, fieldSize: bodyLimitBytes, files: 20, fields: 200, parts: 220 },
  });
  app.addContentTypeParser(
    /^application\/[^;]*\+json(;.*)?$/,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addContentTypeParser(
    /^(text\/[^;]*|application\/([^;]*\+)?xml)(;.*)?$/,
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

function refuseUndeclaredBody(request: FastifyRequest): void {
  const operation = request.routeOptions.config.operation as OperationRoute<unknown> | undefined;
  const contentType = request.headers['content-type'];
  // A Content-Type on an empty request (some clients send one on every GET) is not a body.
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (!operation || !hasBody) return;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!operation.requestMediaTypes.some((accepted) => mediaRangeMatches(accepted, mediaType))) {
    const accepted =
      operation.requestMediaTypes.length > 0 ? `one of: ${operation.requestMediaTypes.join(', ')}` : 'no body at all';
    throw new UnsupportedMediaTypeError(`This operation takes ${accepted}`);
  }
}
