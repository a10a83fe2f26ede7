import type { Readable } from 'node:stream';

/**
 * Shapes shared by every operation. The per-resource `*.dto.gen.ts` files build each operation's
 * Input and Result from the spec's types (src/dto/openapi.gen.ts) with these.
 */

/** An operation part the spec does not declare (no path parameters, say). */
export type Empty = Record<string, never>;

/** Who made the request, once the operation's security requirements are met. */
export interface AuthContext {
  /** The security scheme (key under components.securitySchemes) that admitted the request. */
  scheme: string;
  /** The token's `sub`, the API key's owner, the basic-auth user name. */
  subject: string | undefined;
  /** OAuth2 scopes the credential grants (a JWT's `scope` or `scp`). */
  scopes: readonly string[];
  /** The caller's roles: a JWT's JWT_ROLES_CLAIM, else its scheme's `x-roles-claim`, else `roles`, `role` or the scopes; or what a verifier says. */
  roles: readonly string[];
  claims: Readonly<Record<string, unknown>>;
}

/** Per-request facilities a controller or service may need besides its input. */
export interface RequestContext {
  requestId: string;
  /** The request's path and query string as received (`/api/v1/products?page=2`), for links. */
  url: string;
  /** The client's IP address (forwarded by at most TRUSTED_PROXIES proxies), e.g. for throttling. */
  clientAddress: string;
  /** Undefined for open operations and anonymous calls where authentication is optional. */
  auth: AuthContext | undefined;
  log: {
    info(object: object, message?: string): void;
    warn(object: object, message?: string): void;
    error(object: object, message?: string): void;
  };
  /** Sets a response header, e.g. `Location` after a create. */
  setHeader(name: string, value: string): void;
}

/**
 * A success body in the house envelope, as a service builds it: `data`, optional `meta` (merged with
 * the server's own, such as the request id) and whatever else the spec's envelope holds (`links`).
 */
export class EnvelopeParts<Parts> {
  constructor(readonly parts: Parts) {}
}

export function envelope<Parts>(parts: Parts): EnvelopeParts<Parts> {
  return new EnvelopeParts(parts);
}

export type EnvelopeData<Body> = Body extends { data: infer Data } ? Data : never;
export type EnvelopeMeta<Body> = Body extends { meta?: infer Meta } ? Partial<NonNullable<Meta>> : Empty;

/** The envelope's members besides `success`, `data` and `meta` (`links`, say). */
type EnvelopeExtras<Body> = Omit<Body, 'success' | 'data' | 'meta' | 'error'>;
type RequiredKeys<T> = { [K in keyof T]-?: Record<string, never> extends Pick<T, K> ? never : K }[keyof T];

export type EnvelopeInput<Body> = { data: EnvelopeData<Body>; meta?: EnvelopeMeta<Body> } & EnvelopeExtras<Body>;

/**
 * What a service returns for an envelope response: the data alone when that is all the envelope
 * needs, else `envelope({ data, meta, ...extras })` (the compiler asks for the required extras).
 */
export type Enveloped<Body> = [RequiredKeys<EnvelopeExtras<Body>>] extends [never]
  ? EnvelopeData<Body> | EnvelopeParts<EnvelopeInput<Body>>
  : EnvelopeParts<EnvelopeInput<Body>>;

/** A binary response body. */
export type BinaryBody = Buffer | Readable;
