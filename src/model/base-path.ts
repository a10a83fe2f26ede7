import type { OpenApiDocument } from '../load/openapi-types.js';

export const DEFAULT_BASE_PATH = '/api/v1';

/**
 * The route prefix: the path of the first server URL, its variables at their defaults.
 * `http://petstore.swagger.io/v2` -> `/v2`; no servers -> the house default `/api/v1`.
 */
export function basePathOf(document: OpenApiDocument, defaultBasePath = DEFAULT_BASE_PATH): string {
  const server = document.servers?.[0];
  if (!server) return defaultBasePath;
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? '');
  let path: string;
  try {
    path = new URL(url, 'http://placeholder.invalid').pathname;
  } catch {
    path = '/';
  }
  const cleaned = decodeURI(path)
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map((segment) => segment.replace(/[^A-Za-z0-9._~-]/g, ''))
    .filter(Boolean)
    .join('/');
  return cleaned === '' ? '' : `/${cleaned}`;
}
