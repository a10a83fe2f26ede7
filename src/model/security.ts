import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OpenApiDocument, SecurityRequirementObject, SecuritySchemeObject } from '../load/openapi-types.js';
import { names } from './naming.js';
import { deref } from './resolve-ref.js';
import type { SecurityRequirement, SecurityScheme } from './types.js';

export function buildSecuritySchemes(document: OpenApiDocument, diagnostics: Diagnostic[]): SecurityScheme[] {
  return Object.entries(document.components?.securitySchemes ?? {}).map(([key, value]) => {
    const raw = deref<SecuritySchemeObject>(document, value);
    const scheme: SecurityScheme = { key, names: names(key, 'auth'), kind: kindOf(raw), description: raw.description ?? '' };
    if (raw.type === 'apiKey') {
      scheme.in = raw.in ?? 'header';
      scheme.parameterName = raw.in === 'header' ? (raw.name ?? 'x-api-key').toLowerCase() : (raw.name ?? 'api_key');
    }
    if (scheme.kind === 'custom') {
      diagnostics.push(
        warning('SCF010', `security scheme "${key}" (${raw.type}${raw.scheme ? ` ${raw.scheme}` : ''}) has no built-in verifier; a user-owned verifier answers 401 until implemented`, {
          pointer: `/components/securitySchemes/${key}`,
        }),
      );
    }
    return scheme;
  });
}

function kindOf(raw: SecuritySchemeObject): SecurityScheme['kind'] {
  if (raw.type === 'http') {
    const scheme = raw.scheme?.toLowerCase();
    if (scheme === 'bearer') return 'bearer';
    if (scheme === 'basic') return 'basic';
    return 'custom';
  }
  if (raw.type === 'apiKey' || raw.type === 'oauth2' || raw.type === 'openIdConnect') return raw.type;
  return 'custom';
}

/**
 * OpenAPI semantics: the list is OR, each object is AND, `[]` opens the operation, `{}` makes auth optional.
 * Requirements naming an undeclared scheme were rejected by the load stage.
 */
export function buildRequirements(raw: SecurityRequirementObject[] | undefined): SecurityRequirement[] {
  return (raw ?? []).map((requirement) => ({
    schemes: Object.entries(requirement).map(([key, scopes]) => ({ key, scopes: [...(scopes ?? [])] })),
  }));
}
