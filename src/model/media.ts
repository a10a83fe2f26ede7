import type { MediaKind } from './types.js';

/** How a body of this media type is parsed (requests) or produced (responses). */
export function mediaKind(mediaType: string): MediaKind {
  const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[^/]*\+json$/.test(type) || type === '*/*' || type === 'application/*') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('text/') || /^application\/([^/]*\+)?xml$/.test(type) || type === 'application/javascript') return 'text';
  return 'binary';
}
