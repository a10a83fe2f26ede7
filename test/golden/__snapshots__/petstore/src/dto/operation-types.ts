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
  scopes: readonly string[];
  claims: Readonly<Record<string, unknown>>;
}

/** Per-request facilities a controller or service may need besides its input. */
export interface RequestContext {
  requestId: string;
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

/** A success body in the house envelope: the service returns `data`, or `data` with extra `meta`. */
export class WithMeta<Data, Meta> {
  constructor(
    readonly data: Data,
    readonly meta: Meta,
  ) {}
}

export function withMeta<Data, Meta>(data: Data, meta: Meta): WithMeta<Data, Meta> {
  return new WithMeta(data, meta);
}

export type EnvelopeData<Body> = Body extends { data: infer Data } ? Data : never;
export type EnvelopeMeta<Body> = Body extends { meta?: infer Meta } ? Partial<NonNullable<Meta>> : Empty;

/** What a service returns for an envelope response: just the data, or the data with meta. */
export type Enveloped<Body> = EnvelopeData<Body> | WithMeta<EnvelopeData<Body>, EnvelopeMeta<Body>>;

/** A binary response body. */
export type BinaryBody = Buffer | Readable;
