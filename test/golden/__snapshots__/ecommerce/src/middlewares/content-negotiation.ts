import type { FastifyRequest } from 'fastify';
import type { OperationRoute } from '../controllers/operation-route.js';
import { NotAcceptableError, ValidationError } from '../errors/index.js';

/**
 * 400 for a missing required body; 406 when nothing the operation produces is acceptable.
 * (A body in an undeclared media type was refused with 415 before parsing: see body-parsers.ts.)
 */
export function checkMediaTypes(request: FastifyRequest, route: OperationRoute<unknown>): void {
  const hasBody = request.headers['content-type'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (!hasBody && route.bodyRequired) {
    throw new ValidationError('A request body is required', [{ location: '/body', message: 'is required' }]);
  }
  const produced = route.successes.flatMap((success) => success.mediaTypes);
  if (produced.length > 0 && acceptableMediaType(request.headers.accept, produced) === undefined) {
    throw new NotAcceptableError(`This operation produces: ${[...new Set(produced)].join(', ')}`);
  }
}

/** The first of `offered` that the Accept header allows (by quality, then order); undefined if none. */
export function acceptableMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { range: range.trim().toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)) };
    })
    .filter((r) => r.range !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { range } of ranges) {
    const match = offered.find(
      (type) => mediaRangeMatches(range, type.toLowerCase()) || mediaRangeMatches(type.toLowerCase(), range),
    );
    if (match !== undefined) return match;
  }
  return undefined;
}

/** `*\/*`, `image/*` and exact types, parameters ignored. */
export function mediaRangeMatches(range: string, mediaType: string): boolean {
  const [rangeType, rangeSub] = range.split(';')[0]?.trim().toLowerCase().split('/') ?? [];
  const [type, sub] = mediaType.split(';')[0]?.trim().toLowerCase().split('/') ?? [];
  if (rangeType === '*') return true;
  return rangeType === type && (rangeSub === '*' || rangeSub === sub);
}
