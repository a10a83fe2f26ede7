import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/env.js';
import type { VerifiedIdentity } from './authenticate.js';

export interface JwtVerifier {
  /** The token's identity, or null when the token is invalid, expired, or JWT is not configured. */
  verify(token: string): Promise<VerifiedIdentity | null>;
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
    async verify(token) {
      if (key === undefined) return null;
      try {
        const { payload } =
          key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
        return { subject: payload.sub, scopes: scopesOf(payload), roles: rolesOf(payload), claims: payload };
      } catch {
        return null;
      }
    },
  };
}

/** Scopes travel as a space-separated `scope` claim (RFC 8693) or as `scp` (string or list). */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Roles travel as a `roles` claim (a list or a space-separated string) or a single `role`. */
function rolesOf(payload: JWTPayload): string[] {
  const raw = payload.roles ?? payload.role;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((r): r is string => typeof r === 'string');
  return [];
}
