/**
 * All settings come from the environment, are checked once at startup and then frozen.
 * A missing or malformed variable stops the process with a message that names it.
 */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly databaseUrl: string | undefined;
  /** Where the embedded database keeps its data when DATABASE_URL is unset (`memory://` keeps it in memory). */
  readonly dataDir: string;
  /** Whether error logs quote a failed query's values (request data, personal data): for debugging only. */
  readonly logQueryValues: boolean;
  readonly redisUrl: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly jwt: {
    readonly secret: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    /** Whether a token without an `exp` claim (one that never expires) is refused. */
    readonly requireExpiry: boolean;
    /** How far `exp` and `nbf` may be off, for clocks that differ between the issuer and this server. */
    readonly clockToleranceSeconds: number;
    /**
     * The claim that holds the caller's roles (`groups`, a nested `realm_access.roles`), for every
     * scheme; unset: each scheme's `x-roles-claim` in the spec, else `roles`, else `role`, else the scopes.
     */
    readonly rolesClaim: string | undefined;
  };
  readonly apiKeys: readonly string[];
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly bodyLimitBytes: number;
  /** How many proxies (load balancers) sit in front; their X-Forwarded-For names the client. */
  readonly trustedProxies: number;
  readonly requestTimeoutMs: number;
  /** How long an Idempotency-Key and its response are kept where the operation's `x-idempotency-ttl` says nothing. */
  readonly idempotencyTtlSeconds: number;
  /** The external services of the domain model (src/gateways/). */
  readonly gateways: {
    readonly paymentGateway: GatewaySettings;
  };
}

/** Where an external service is and how long a call may wait for it. */
export interface GatewaySettings {
  /** Unset: the development fake answers (refused in production). */
  readonly url: string | undefined;
  /** Sent as a bearer token, when set. */
  readonly apiKey: string | undefined;
  /** How long one attempt may take before it counts as failed. */
  readonly timeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The spec's security schemes whose tokens are JWTs: without a key to verify them, they refuse everyone. */
const JWT_SECURITY_SCHEMES = 'bearerAuth';

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const config: Config = {
    nodeEnv,
    host: read.string('HOST', '0.0.0.0'),
    port: read.integer('PORT', 3000, { min: 0, max: 65535 }),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    databaseUrl: read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: read.string('DATA_DIR', '.data/pglite'),
    logQueryValues: read.boolean('LOG_QUERY_VALUES', false),
    redisUrl: read.optionalUrl('REDIS_URL', ['redis:', 'rediss:']),
    corsOrigins: read.list('CORS_ORIGINS'),
    jwt: {
      secret: read.optionalString('JWT_SECRET'),
      jwksUrl: read.optionalUrl('JWT_JWKS_URL', ['https:', 'http:']),
      issuer: read.optionalString('JWT_ISSUER'),
      audience: read.optionalString('JWT_AUDIENCE'),
      requireExpiry: read.boolean('JWT_REQUIRE_EXP', true),
      clockToleranceSeconds: read.integer('JWT_CLOCK_TOLERANCE_SECONDS', 30, { min: 0, max: 3600 }),
      rolesClaim: read.claimPath('JWT_ROLES_CLAIM'),
    },
    apiKeys: read.list('API_KEYS'),
    rateLimit: {
      max: read.integer('RATE_LIMIT_MAX', 100, { min: 1 }),
      windowMs: read.integer('RATE_LIMIT_WINDOW_MS', 60_000, { min: 1 }),
    },
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1_048_576, { min: 1 }),
    trustedProxies: read.integer('TRUSTED_PROXIES', 0, { min: 0, max: 10 }),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 30_000, { min: 0 }),
    idempotencyTtlSeconds: read.integer('IDEMPOTENCY_TTL_SECONDS', 86_400, { min: 1 }),
    gateways: {
      paymentGateway: {
        url: read.optionalUrl('PAYMENT_GATEWAY_URL', ['https:', 'http:']),
        apiKey: read.optionalString('PAYMENT_GATEWAY_API_KEY'),
        // At most 10 s an attempt: three attempts stay well inside the time an idempotency key is held for a request.
        timeoutMs: read.integer('PAYMENT_GATEWAY_TIMEOUT_MS', 3_000, { min: 1, max: 10_000 }),
      },
    },
  };
  if (config.jwt.secret !== undefined && config.jwt.secret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key)');
  }
  if (nodeEnv === 'production' && config.jwt.secret === undefined && config.jwt.jwksUrl === undefined) {
    // Without a key every token is refused: a server that answers 401 to everyone, silently.
    problems.push(
      `JWT_SECRET or JWT_JWKS_URL must be set in production: the spec's security schemes ${JWT_SECURITY_SCHEMES} take JWTs, and without a key to verify them every secured request is refused`,
    );
  }
  if (nodeEnv === 'production' && config.gateways.paymentGateway.url === undefined) {
    // The fake would answer in the service's place: in production that is never what anyone wants.
    problems.push(
      'PAYMENT_GATEWAY_URL must be set in production: without it the development fake answers for PaymentGateway',
    );
  } else if (nodeEnv === 'production' && !securedOrLocal(config.gateways.paymentGateway.url)) {
    // Its key would travel in clear text (a sidecar on this host may take plain HTTP).
    problems.push('PAYMENT_GATEWAY_URL must use https: in production, unless it is on this host');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    const { min = -Infinity, max = Infinity } = range;
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }

  /** A claim name, or a dotted path to a nested claim (`realm_access.roles`). */
  claimPath(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^[^\s.]+(\.[^\s.]+)*$/.test(value) || value.length > 200) {
      this.problems.push(`${name} must be a claim name or a dotted path to one (realm_access.roles), got "${value}"`);
      return undefined;
    }
    return value;
  }

  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }
}

/** An https URL, or one on this host (a sidecar or egress proxy), whose traffic does not leave it. */
function securedOrLocal(url: string | undefined): boolean {
  if (url === undefined) return true;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
