import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { OperationRoute } from '../controllers/operation-route.js';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError, ValidationError } from '../errors/index.js';
import type { Database } from '../repositories/database.js';
import { idempotencyKeys } from '../repositories/schema.gen.js';

/**
 * Idempotency keys for the operations that declare an `Idempotency-Key` header. The first request with
 * a key claims it atomically, runs, and its response (status, the headers that describe its result,
 * body) is kept for the operation's time to live: a retry with the same body gets that response again,
 * marked `Idempotent-Replayed: true`; the same key with another request answers 409
 * IDEMPOTENCY_KEY_REUSED; a request while the first one still runs answers 409 IDEMPOTENCY_KEY_IN_USE
 * with Retry-After, so two requests with one key never both run.
 *
 * A key belongs to one caller (the authenticated subject, or every anonymous caller together) and one
 * operation. A 5xx answer releases the key, so that a retry runs again; any other answer, a 4xx
 * included, is kept and replayed. Keys live in the database, or in Redis when REDIS_URL is set.
 */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'reused' }
  | { outcome: 'in-use' };

export interface IdempotencyStore {
  /** Claims `scope` for one request, held for `pendingSeconds` without an answer; or says who holds it. */
  claim(scope: string, requestHash: string, pendingSeconds: number): Promise<Claim>;
  /** Keeps the request's answer for `ttlSeconds`. */
  complete(scope: string, requestHash: string, response: StoredResponse, ttlSeconds: number): Promise<void>;
  /** Lets the key go: the request failed on the server's side, a retry may run it again. */
  release(scope: string): Promise<void>;
}

export interface IdempotencyOptions {
  /** How long a key and its response are kept when the operation's `x-idempotency-ttl` says nothing. */
  ttlSeconds: number;
  /** How long a claim holds while its request runs: a request that never answers (a crash) frees it then. */
  pendingSeconds: number;
}

/** 1 to 255 printable ASCII characters. */
const KEY = /^[\x20-\x7e]{1,255}$/;

/** Headers of the first response that a replay repeats (the request id is the replay's own). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'last-modified', 'content-location'];

/** How soon a client may retry while the first request with its key still runs. */
const IN_USE_RETRY_AFTER_SECONDS = 1;

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by registerIdempotencyKeys: the routes' declared keys are enforced. */
    idempotencyKeys: IdempotencyOptions;
  }
  interface FastifyRequest {
    /** The key this request claimed, until its response is kept (or the key released). */
    idempotencyClaim?: { scope: string; requestHash: string; ttlSeconds: number };
  }
}

/** Enforces the keys of every route whose operation declares them; register before the routes. */
export function registerIdempotencyKeys(
  app: FastifyInstance,
  store: IdempotencyStore,
  options: IdempotencyOptions,
): void {
  app.decorate('idempotencyKeys', options);
  app.addHook('preHandler', async (request, reply) => {
    const operation = request.routeOptions.config.operation as OperationRoute<unknown> | undefined;
    const key = request.headers['idempotency-key'];
    if (operation?.idempotency === undefined || key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      const message = 'must be 1 to 255 printable ASCII characters';
      throw new ValidationError(`The Idempotency-Key header ${message}`, [
        { location: '/headers/idempotency-key', message },
      ]);
    }
    const scope = sha256([operation.operationId, callerOf(request), key]);
    const requestHash = sha256([request.method, request.url, canonical(request.body)]);
    const claim = await store.claim(scope, requestHash, options.pendingSeconds);
    switch (claim.outcome) {
      case 'claimed':
        request.idempotencyClaim = {
          scope,
          requestHash,
          ttlSeconds: operation.idempotency.ttlSeconds ?? options.ttlSeconds,
        };
        return;
      case 'replay':
        return replay(reply, claim.response);
      case 'reused':
        throw new IdempotencyKeyReusedError(
          'This Idempotency-Key was used with another request; send a new key for a new request',
        );
      case 'in-use':
        throw new IdempotencyKeyInUseError(
          'A request with this Idempotency-Key is still running; retry later',
          IN_USE_RETRY_AFTER_SECONDS,
        );
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (claim === undefined) return payload;
    request.idempotencyClaim = undefined;
    // No body (a 204) is kept as an empty one.
    const body: unknown = payload ?? '';
    try {
      // A failure on the server's side is not the request's answer: a retry runs again. So is a body that cannot be kept (a stream).
      if (reply.statusCode >= 500 || typeof body !== 'string') await store.release(claim.scope);
      else
        await store.complete(
          claim.scope,
          claim.requestHash,
          { status: reply.statusCode, headers: replayedHeaders(reply), body },
          claim.ttlSeconds,
        );
    } catch (error) {
      // The request has run: its answer is sent all the same. The key stays claimed until pendingSeconds pass.
      request.log.error({ err: error }, 'could not keep the response of an idempotency key');
    }
    return payload;
  });
}

function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  return reply
    .status(response.status)
    .headers({ ...response.headers, 'idempotent-replayed': 'true' })
    .serializer((payload) => String(payload))
    .send(response.body);
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function callerOf(request: FastifyRequest): string {
  return request.auth ? `${request.auth.scheme}:${request.auth.subject ?? ''}` : 'anonymous';
}

function sha256(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The body with object keys in one order, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request. */
function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => [name, canonical(member)]),
  );
}

function decide(stored: { requestHash: string; response: StoredResponse | undefined }, requestHash: string): Claim {
  if (stored.requestHash !== requestHash) return { outcome: 'reused' };
  return stored.response === undefined ? { outcome: 'in-use' } : { outcome: 'replay', response: stored.response };
}

/** How many expired keys of other callers a claim deletes at most. */
const SWEPT_PER_CLAIM = 100;

/**
 * Keys in the `idempotency_keys` table. Each claim deletes its own key once expired and a batch of
 * other expired keys, skipping rows another claim is deleting: no sweeper has to run, and no two
 * claims wait for each other.
 */
export function databaseIdempotencyStore(db: Database): IdempotencyStore {
  return {
    async claim(scope, requestHash, pendingSeconds) {
      const now = new Date();
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), lt(idempotencyKeys.expiresAt, now)));
      await db.execute(
        sql`delete from ${idempotencyKeys} where ${idempotencyKeys.scope} in (select ${idempotencyKeys.scope} from ${idempotencyKeys} where ${idempotencyKeys.expiresAt} < now() limit ${SWEPT_PER_CLAIM} for update skip locked)`,
      );
      // One statement claims or finds the key taken: of two concurrent requests, exactly one inserts.
      const claimed = await db
        .insert(idempotencyKeys)
        .values({ scope, requestHash, expiresAt: new Date(now.getTime() + pendingSeconds * 1000) })
        .onConflictDoNothing()
        .returning({ scope: idempotencyKeys.scope });
      if (claimed.length > 0) return { outcome: 'claimed' };
      const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.scope, scope));
      // Deleted since the insert (its request failed on the server's side): the next retry claims it.
      if (row === undefined) return { outcome: 'in-use' };
      const response =
        row.status === null
          ? undefined
          : { status: row.status, headers: (row.headers ?? {}) as Record<string, string>, body: row.body ?? '' };
      return decide({ requestHash: row.requestHash, response }, requestHash);
    },
    async complete(scope, _requestHash, response, ttlSeconds) {
      await db
        .update(idempotencyKeys)
        .set({
          status: response.status,
          headers: response.headers,
          body: response.body,
          expiresAt: new Date(Date.now() + ttlSeconds * 1000),
        })
        .where(eq(idempotencyKeys.scope, scope));
    },
    async release(scope) {
      await db.delete(idempotencyKeys).where(eq(idempotencyKeys.scope, scope));
    },
  };
}

/** Keys in Redis (REDIS_URL), shared by every instance; Redis expires them itself. */
export function redisIdempotencyStore(redis: Redis, prefix = 'idempotency:'): IdempotencyStore {
  return {
    async claim(scope, requestHash, pendingSeconds) {
      const claimed = await redis.set(prefix + scope, JSON.stringify({ requestHash }), 'EX', pendingSeconds, 'NX');
      if (claimed === 'OK') return { outcome: 'claimed' };
      const raw = await redis.get(prefix + scope);
      if (raw === null) return { outcome: 'in-use' };
      const stored = JSON.parse(raw) as { requestHash: string; response?: StoredResponse };
      return decide({ requestHash: stored.requestHash, response: stored.response }, requestHash);
    },
    async complete(scope, requestHash, response, ttlSeconds) {
      await redis.set(prefix + scope, JSON.stringify({ requestHash, response }), 'EX', ttlSeconds);
    },
    async release(scope) {
      await redis.del(prefix + scope);
    },
  };
}
