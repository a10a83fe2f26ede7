/** Messages between the robustness test and its check workers (check-worker.ts), over the fork IPC channel. */

export interface CheckTask {
  id: string;
  /** The OpenAPI document. */
  spec: string;
  /** Where the project is generated. */
  out: string;
}

/**
 * - `passed`: generated, type-checked without errors, and the app built and became ready (every
 *   route and schema compiled in Fastify).
 * - `rejected`: the engine refused the document with documented diagnostic codes that name the
 *   construct (a ScaffoldError); counts as not passing.
 * - `failed`: anything else: a crash, an undocumented code, a code about the harness or a generator
 *   bug (a template or the formatter failing), type errors, or Fastify refusing a route or schema.
 */
export type Outcome = 'passed' | 'rejected' | 'failed';

export type Stage = 'generate' | 'typecheck' | 'start' | 'worker';

export interface CheckResult {
  id: string;
  outcome: Outcome;
  /** The first stage that did not succeed. */
  stage?: Stage;
  /** Why it did not pass: diagnostics, type errors or the start error, already shortened. */
  reason?: string;
  /** Diagnostic codes of a rejection. */
  codes?: string[];
  operations?: number;
  ms: { generate?: number; typecheck?: number; start?: number };
}

export type ToWorker = { type: 'task'; task: CheckTask };
export type FromWorker = { type: 'ready' } | { type: 'result'; result: CheckResult };
