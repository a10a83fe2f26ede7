import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { OpenApiDocument, SecurityRequirementObject, SecuritySchemeObject } from '../load/openapi-types.js';
import { names } from './naming.js';
import { deref } from './resolve-ref.js';
import type { Operation, SecurityRequirement, SecurityScheme, SecuritySchemeKind } from './types.js';

export function buildSecuritySchemes(document: OpenApiDocument, diagnostics: Diagnostic[]): SecurityScheme[] {
  return Object.entries(document.components?.securitySchemes ?? {}).map(([key, value]) => {
    const raw = deref<SecuritySchemeObject>(document, value);
    const scheme: SecurityScheme = { key, names: names(key, 'auth'), kind: kindOf(raw), description: raw.description ?? '' };
    if (raw.type === 'apiKey') {
      scheme.in = raw.in ?? 'header';
      scheme.parameterName = raw.in === 'header' ? (raw.name ?? 'x-api-key').toLowerCase() : (raw.name ?? 'api_key');
    }
    const rolesClaim = (raw as SecuritySchemeObject & { 'x-roles-claim'?: unknown })['x-roles-claim'];
    if (rolesClaim !== undefined) {
      if (typeof rolesClaim === 'string' && CLAIM_PATH.test(rolesClaim)) scheme.rolesClaim = rolesClaim;
      else {
        diagnostics.push(
          warning('SCF105', `security scheme "${key}": x-roles-claim must be a claim name or a dotted path to one (realm_access.roles); ignored, roles are read from \`roles\`, \`role\` or the scopes`, {
            pointer: `/components/securitySchemes/${key}/x-roles-claim`,
          }),
        );
      }
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

/** A claim name, or a dotted path to a nested one: `role`, `realm_access.roles`. */
const CLAIM_PATH = /^[^\s.]+(\.[^\s.]+)*$/;

/**
 * OpenAPI 3.1: the names in a security requirement are scopes for OAuth2 and OpenID Connect schemes,
 * and roles for every other scheme (`security: [{ bearerAuth: [admin] }]`).
 */
export function namesRoles(kind: SecuritySchemeKind): boolean {
  return kind !== 'oauth2' && kind !== 'openIdConnect';
}

/** The roles an operation's requirements name, for each alternative (OR) that names any; empty: none asks for roles. */
export function requiredRoles(operation: Pick<Operation, 'security'>, schemes: readonly Pick<SecurityScheme, 'key' | 'kind'>[]): string[][] {
  const kinds = new Map(schemes.map((s) => [s.key, s.kind]));
  return operation.security
    .map((requirement) => requirement.schemes.filter((s) => namesRoles(kinds.get(s.key) ?? 'custom')).flatMap((s) => s.scopes))
    .filter((roles) => roles.length > 0);
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
