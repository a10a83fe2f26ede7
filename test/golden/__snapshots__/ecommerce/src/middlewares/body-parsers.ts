import formBody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies arrive in the media types the spec declares: JSON (and `+json` types), forms, multipart
 * (files become Buffers), text and XML as strings, anything else as raw bytes. Which media types an
 * operation accepts is checked per route (415), so the parsers here can be generous.
 */
export async function registerBodyParsers(app: FastifyInstance, bodyLimitBytes: number): Promise<void> {
  await app.register(formBody, { bodyLimit: bodyLimitBytes });
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: bodyLimitBytes } });
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
