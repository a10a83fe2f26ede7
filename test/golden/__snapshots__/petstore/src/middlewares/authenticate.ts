import type { FastifyRequest } from 'fastify';
import type { SecurityRequirement } from '../controllers/operation-route.js';
import type { AuthContext } from '../dto/operation-types.js';
import { AuthenticationError, AuthorizationError } from '../errors/index.js';
import type { JwtVerifier } from './jwt.js';

/** How each security scheme of the spec presents its credentials (src/middlewares/security-schemes.gen.ts). */
export interface SecuritySchemeSpec {
  kind: 'bearer' | 'basic' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'custom';
  in?: 'header' | 'query' | 'cookie';
  parameterName?: string;
  /** The JWT claim holding the caller's roles (`x-roles-claim` in the spec); JWT_ROLES_CLAIM overrides it. */
  rolesClaim?: string;
}

/** Who a credential belongs to, as a verifier sees it; null rejects the credential. */
export interface VerifiedIdentity {
  subject: string | undefined;
  scopes?: readonly string[];
  /** The caller's roles, which requirements of schemes other than OAuth2 and OpenID Connect name (`bearerAuth: [admin]`). */
  roles?: readonly string[];
  claims?: Record<string, unknown>;
}

/** The checks the spec leaves to the application (src/middlewares/credential-verifiers.ts). */
export interface CredentialVerifiers {
  apiKey(key: string, scheme: string): Promise<VerifiedIdentity | null>;
  basic(username: string, password: string, scheme: string): Promise<VerifiedIdentity | null>;
  custom(request: FastifyRequest, scheme: string): Promise<VerifiedIdentity | null>;
}

export interface Authenticator {
  authenticate(request: FastifyRequest, requirements: readonly SecurityRequirement[]): Promise<AuthContext | undefined>;
}

type Outcome =
  | { ok: true; context: AuthContext }
  | { ok: false; reason: 'missing' | 'invalid'; challenge?: string }
  | { ok: false; reason: 'scope' | 'role'; lacking: readonly string[] };

/**
 * OpenAPI semantics: the requirement list is OR, the schemes inside one requirement are AND, an empty
 * list opens the operation and an empty requirement makes authentication optional. The names in a
 * requirement are scopes for OAuth2 and OpenID Connect schemes and roles for every other scheme
 * (`bearerAuth: [admin]`). A valid credential without the required scopes or roles is a 403; anything
 * else that fails is a 401 with its challenges.
 */
export function createAuthenticator(
  schemes: Readonly<Record<string, SecuritySchemeSpec>>,
  jwt: JwtVerifier,
  verifiers: CredentialVerifiers,
): Authenticator {
  async function check(request: FastifyRequest, key: string, required: readonly string[]): Promise<Outcome> {
    const scheme = schemes[key];
    if (!scheme) return { ok: false, reason: 'invalid' };
    let identity: VerifiedIdentity | null;
    let challenge: string | undefined;
    switch (scheme.kind) {
      case 'bearer':
      case 'oauth2':
      case 'openIdConnect': {
        challenge = 'Bearer';
        const token = authorizationValue(request, 'bearer');
        if (token === undefined) return { ok: false, reason: 'missing', challenge };
        identity = await jwt.verify(token, scheme.rolesClaim);
        break;
      }
      case 'basic': {
        challenge = 'Basic';
        const encoded = authorizationValue(request, 'basic');
        if (encoded === undefined) return { ok: false, reason: 'missing', challenge };
        const [username, password] = splitOnce(Buffer.from(encoded, 'base64').toString('utf8'), ':');
        identity = await verifiers.basic(username, password, key);
        break;
      }
      case 'apiKey': {
        const value = apiKeyValue(request, scheme);
        if (value === undefined) return { ok: false, reason: 'missing' };
        identity = await verifiers.apiKey(value, key);
        break;
      }
      case 'custom':
        identity = await verifiers.custom(request, key);
        break;
    }
    if (identity === null) return { ok: false, reason: 'invalid', ...(challenge !== undefined && { challenge }) };
    const scopes = identity.scopes ?? [];
    const roles = identity.roles ?? [];
    const namesScopes = scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect';
    const lacking = required.filter((name) => !(namesScopes ? scopes : roles).includes(name));
    if (lacking.length > 0) return { ok: false, reason: namesScopes ? 'scope' : 'role', lacking };
    return {
      ok: true,
      context: { scheme: key, subject: identity.subject, scopes, roles, claims: identity.claims ?? {} },
    };
  }

  return {
    async authenticate(request, requirements) {
      if (requirements.length === 0) return undefined;
      const failures: Outcome[] = [];
      let optional = false;
      for (const requirement of requirements) {
        if (requirement.schemes.length === 0) {
          optional = true;
          continue;
        }
        const outcomes = await Promise.all(requirement.schemes.map(({ key, scopes }) => check(request, key, scopes)));
        const failed = outcomes.filter((o) => !o.ok);
        const first = outcomes[0];
        if (failed.length === 0 && first?.ok) return first.context;
        failures.push(...failed);
      }
      const presented = failures.some((f) => !f.ok && f.reason !== 'missing');
      if (optional && !presented) return undefined;
      const denied = failures.flatMap((f) => (!f.ok && (f.reason === 'scope' || f.reason === 'role') ? [f] : []));
      if (denied.length > 0) throw new AuthorizationError(deniedMessage(denied));
      const challenges = [
        ...new Set(failures.flatMap((f) => (!f.ok && 'challenge' in f && f.challenge ? [f.challenge] : []))),
      ];
      const invalid = failures.some((f) => !f.ok && f.reason === 'invalid');
      throw new AuthenticationError(
        invalid ? 'The credentials are invalid or expired' : 'Authentication is required',
        challenges,
      );
    },
  };
}

/** `This operation requires the role admin`, `... the scopes orders:read, orders:write`, alternatives joined by "or". */
function deniedMessage(denied: ReadonlyArray<{ reason: 'scope' | 'role'; lacking: readonly string[] }>): string {
  const wanted = denied.map(
    ({ reason, lacking }) => `the ${reason}${lacking.length === 1 ? '' : 's'} ${lacking.join(', ')}`,
  );
  return `This operation requires ${[...new Set(wanted)].join(' or ')}`;
}

function authorizationValue(request: FastifyRequest, scheme: 'bearer' | 'basic'): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const [type, value] = splitOnce(header.trim(), ' ');
  return type.toLowerCase() === scheme && value.trim() !== '' ? value.trim() : undefined;
}

function apiKeyValue(request: FastifyRequest, scheme: SecuritySchemeSpec): string | undefined {
  const name = scheme.parameterName ?? '';
  if (scheme.in === 'query') {
    const value = (request.query as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  if (scheme.in === 'cookie') {
    const cookie = request.headers.cookie ?? '';
    const entry = cookie
      .split(';')
      .map((part) => splitOnce(part.trim(), '='))
      .find(([key]) => key === name);
    if (!entry || entry[1] === '') return undefined;
    try {
      return decodeURIComponent(entry[1]);
    } catch {
      return entry[1]; // not percent-encoded after all: compared as sent, and rejected unless it matches
    }
  }
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
