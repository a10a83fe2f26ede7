import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/env.js';
import type { VerifiedIdentity } from './authenticate.js';

export interface JwtVerifier {
  /**
   * The token's identity, or null when the token is invalid, expired, or JWT is not configured.
   * Its roles are read from `rolesClaim` (the scheme's `x-roles-claim`) unless JWT_ROLES_CLAIM names another.
   */
  verify(token: string, rolesClaim?: string): Promise<VerifiedIdentity | null>;
  readonly configured: boolean;
}

/**
 * JWTs are verified with a JWKS URL when one is set (any asymmetric algorithm), else with the HS256 secret.
 * A token must expire (`exp`) unless JWT_REQUIRE_EXP=false: a stolen one that never expires is valid forever.
 */
export function createJwtVerifier(config: Config['jwt']): JwtVerifier {
  const key: Uint8Array | JWTVerifyGetKey | undefined = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : config.secret
      ? new TextEncoder().encode(config.secret)
      : undefined;
  const options = {
    ...(config.issuer !== undefined && { issuer: config.issuer }),
    ...(config.audience !== undefined && { audience: config.audience }),
    ...(!config.jwksUrl && { algorithms: ['HS256'] }),
    requiredClaims: config.requireExpiry ? ['exp'] : [],
    clockTolerance: config.clockToleranceSeconds,
  };

  return {
    configured: key !== undefined,
    async verify(token, rolesClaim) {
      if (key === undefined) return null;
      try {
        const { payload } =
          key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
        const scopes = names(payload.scope ?? payload.scp);
        return {
          subject: payload.sub,
          scopes,
          roles: rolesOf(payload, config.rolesClaim ?? rolesClaim, scopes),
          claims: payload,
        };
      } catch {
        return null;
      }
    },
  };
}

/**
 * Scopes travel as a space-separated `scope` claim (RFC 8693) or as `scp`; roles in a claim of their
 * own. Either may be a string, a space-separated string or a list.
 */
function names(raw: unknown): string[] {
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * The roles in the claim named, else in `roles`, else in `role`; a token with neither has its scopes
 * as roles, as specs that list scopes on a bearer scheme (`bearerAuth: [projects:write]`) mean them.
 */
function rolesOf(payload: JWTPayload, claim: string | undefined, scopes: string[]): string[] {
  if (claim !== undefined) return names(claimAt(payload, claim));
  if (payload.roles !== undefined || payload.role !== undefined) return names(payload.roles ?? payload.role);
  return scopes;
}

/** A claim by its name (which may hold dots, as URI claim names do), else by its dotted path: `realm_access.roles`. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
