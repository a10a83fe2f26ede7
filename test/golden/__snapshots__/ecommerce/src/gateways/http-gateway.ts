/**
 * Calls of an external service over HTTP, shared by the adapters in src/gateways/*.http.ts. Each call is
 * a POST of JSON answered with `{ "outcome": ..., "reason": ... }`; a call that cannot get an answer in
 * time answers `unavailable` instead of failing the request that made it.
 *
 * - Every attempt has a timeout (<NAME>_TIMEOUT_MS).
 * - Network errors, timeouts, 429 and 5xx are retried twice, with exponential backoff and jitter.
 * - After five failed attempts in a row (two calls' worth) the circuit opens: for 30 s calls answer
 *   `unavailable` at once, rather than making every request wait on a service that is down; then one
 *   call tries again.
 * - `unavailable` after a timeout or a 5xx does not prove the service did nothing: it may complete the
 *   call later. Reconcile such records by their reference from the service's side.
 * - Retries of one call carry the same Idempotency-Key, so the service performs it once.
 */
import { createHash } from 'node:crypto';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewaySettings } from '../config/env.js';

/** How long the circuit stays open after it broke, before one call may try the service again. */
const HALF_OPEN_AFTER_MS = 30_000;
const FAILURES_TO_BREAK = 5;
const RETRIES = 2;

/** A failure that may pass: the network, a timeout, or the service saying it is busy or broken. */
class TransientError extends Error {}

export interface GatewayAnswer<Outcome extends string> {
  readonly outcome: Outcome | 'unavailable';
  readonly reason?: string;
}

export class HttpGatewayClient {
  private readonly policy: IPolicy;

  constructor(
    private readonly name: string,
    private readonly settings: GatewaySettings & { readonly url: string },
    private readonly log: FastifyBaseLogger,
    /** What an unreachable service answers as the reason (`payment_gateway_unavailable`). */
    private readonly unavailableReason: string,
  ) {
    const transient = handleWhen((error) => error instanceof TransientError || error instanceof TaskCancelledError);
    const retries = retry(transient, {
      maxAttempts: RETRIES,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
    });
    const breaker = circuitBreaker(transient, {
      halfOpenAfter: HALF_OPEN_AFTER_MS,
      breaker: new ConsecutiveBreaker(FAILURES_TO_BREAK),
    });
    breaker.onBreak(() =>
      log.warn({ gateway: name }, `${name}: circuit open, calls answer unavailable for ${HALF_OPEN_AFTER_MS / 1000} s`),
    );
    breaker.onReset(() => log.info({ gateway: name }, `${name}: circuit closed again`));
    this.policy = wrap(retries, breaker, timeout(settings.timeoutMs, TimeoutStrategy.Aggressive));
  }

  /** POSTs the input to `<url>/<path>` and returns the service's outcome, or `unavailable`. */
  async post<Outcome extends string>(
    path: string,
    input: object,
    outcomes: readonly Outcome[],
  ): Promise<GatewayAnswer<Outcome>> {
    const body = JSON.stringify(input);
    const url = new URL(path, this.settings.url.endsWith('/') ? this.settings.url : `${this.settings.url}/`);
    const idempotencyKey = createHash('sha256').update(`${path}\n${body}`).digest('hex');
    try {
      return await this.policy.execute(async ({ signal }) => {
        const response = await fetch(url, {
          method: 'POST',
          body,
          signal,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': idempotencyKey,
            ...(this.settings.apiKey === undefined ? {} : { authorization: `Bearer ${this.settings.apiKey}` }),
          },
        }).catch((error: unknown) => {
          if (signal.aborted) throw error;
          throw new TransientError(`network error: ${error instanceof Error ? error.message : String(error)}`);
        });
        if (!response.ok) {
          // The body of a failure is not read: let its connection go back to the pool.
          await response.body?.cancel();
          if (response.status === 429 || response.status >= 500) throw new TransientError(`HTTP ${response.status}`);
          throw new Error(`HTTP ${response.status}: the service refused the request`);
        }
        return answerOf(await response.json(), outcomes);
      });
    } catch (error) {
      const cause =
        error instanceof BrokenCircuitError
          ? 'circuit open'
          : error instanceof TaskCancelledError
            ? `no answer within ${this.settings.timeoutMs} ms`
            : error instanceof Error
              ? error.message
              : String(error);
      this.log.warn({ gateway: this.name, path }, `${this.name}: ${cause}; answering unavailable`);
      return { outcome: 'unavailable', reason: this.unavailableReason };
    }
  }
}

/** The service's answer, checked: an outcome the operation has, and a reason only if it is text. */
function answerOf<Outcome extends string>(body: unknown, outcomes: readonly Outcome[]): GatewayAnswer<Outcome> {
  const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const outcome = outcomes.find((o) => o === answer['outcome']);
  if (outcome === undefined) throw new Error(`the service answered no known outcome (${outcomes.join(', ')})`);
  const reason = answer['reason'];
  return typeof reason === 'string' && reason !== '' ? { outcome, reason: reason.slice(0, 500) } : { outcome };
}
