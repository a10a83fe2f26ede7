import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HTTP_METHODS, type OpenApiDocument, type PathItem } from '../load/openapi-types.js';
import { escapePointer } from './operations.js';

/**
 * Parts of a spec that describe something other than the server's own endpoints: requests the
 * server would send (webhooks, callbacks) and other hosts (path- and operation-level servers).
 * None of them is generated, and each is reported rather than dropped silently.
 */
export function reportIgnoredConstructs(document: OpenApiDocument): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const webhooks = (document as { webhooks?: Record<string, unknown> }).webhooks ?? {};
  for (const name of Object.keys(webhooks)) {
    diagnostics.push(warning('SCF010', `webhook "${name}" describes a request this API sends; no code is generated for it`, { pointer: `/webhooks/${escapePointer(name)}` }));
  }
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, PathItem & { servers?: unknown[] }][]) {
    const pathPointer = `/paths/${escapePointer(path)}`;
    if (Array.isArray(item.servers) && item.servers.length > 0) {
      diagnostics.push(warning('SCF010', `${path} declares its own servers; it is served under the API's base path like every other path`, { pointer: `${pathPointer}/servers` }));
    }
    for (const method of HTTP_METHODS) {
      const operation = item[method] as ({ callbacks?: Record<string, unknown>; servers?: unknown[] } | undefined);
      if (!operation) continue;
      for (const name of Object.keys(operation.callbacks ?? {})) {
        diagnostics.push(warning('SCF010', `callback "${name}" of ${method.toUpperCase()} ${path} describes a request this API sends; no code is generated for it`, { pointer: `${pathPointer}/${method}/callbacks/${escapePointer(name)}` }));
      }
      if (Array.isArray(operation.servers) && operation.servers.length > 0) {
        diagnostics.push(warning('SCF010', `${method.toUpperCase()} ${path} declares its own servers; it is served under the API's base path`, { pointer: `${pathPointer}/${method}/servers` }));
      }
    }
  }
  return diagnostics;
}
