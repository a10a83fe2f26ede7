import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR, sharedRuntimeModules } from '../support/runtime-deps.js';
import { corpusDocuments, documentPath, type CorpusDocument } from './corpus.js';
import { installCorpus } from './install-corpus.js';
import type { CheckResult, CheckTask, FromWorker, Outcome, ToWorker } from './protocol.js';

/**
 * The robustness suite: every document of the corpus (corpus.ts) must generate a project that
 * type-checks and starts, or be rejected with documented diagnostic codes that name the construct.
 * The suite fails below 95% fully passing (rejections do not pass); the target is 100%.
 *
 * ROBUSTNESS_ONLY=<regex> narrows the corpus to matching ids (for working on one failure);
 * ROBUSTNESS_WORKERS sets the number of check workers (default: the number of cores, at most 4).
 */
const PASS_THRESHOLD = 0.95;
const TASK_TIMEOUT_MS = 300_000;
const OUT_ROOT = join(CACHE_DIR, 'robustness-out');
const WORKER = resolve(import.meta.dirname, 'check-worker.ts');

describe('robustness over real-world specs', () => {
  it(`generates, type-checks and starts at least ${PASS_THRESHOLD * 100}% of the corpus`, async () => {
    const began = performance.now();
    const [corpusRoot, runtimeModules] = await Promise.all([installCorpus(), sharedRuntimeModules()]);
    const only = process.env.ROBUSTNESS_ONLY === undefined ? undefined : new RegExp(process.env.ROBUSTNESS_ONLY);
    const documents = corpusDocuments(corpusRoot).filter((d) => only === undefined || only.test(d.id));
    expect(documents.length).toBeGreaterThan(0);

    await rm(OUT_ROOT, { recursive: true, force: true });
    await mkdir(OUT_ROOT, { recursive: true });
    const tasks: CheckTask[] = documents.map((d) => ({ id: d.id, spec: documentPath(corpusRoot, d), out: join(OUT_ROOT, d.id) }));
    // Largest documents first, so that the workers finish at about the same time.
    tasks.sort((a, b) => statSync(b.spec).size - statSync(a.spec).size);

    const workers = Number(process.env.ROBUSTNESS_WORKERS ?? Math.min(4, availableParallelism()));
    // Workers run under tsx, the TypeScript loader generated projects use, from the shared runtime install.
    const tsxLoader = createRequire(join(runtimeModules, '..', 'package.json')).resolve('tsx');
    const results = await runChecks(tasks, workers, tsxLoader);

    const report = formatReport(documents, results, performance.now() - began);
    console.log(report);
    const passed = results.filter((r) => r.outcome === 'passed').length;
    expect(passed / documents.length, 'share of the corpus that generates, type-checks and starts (report above)').toBeGreaterThanOrEqual(PASS_THRESHOLD);
  });
});

/** Runs the tasks on `count` forked workers; a worker that dies or hangs fails its task and is replaced. */
async function runChecks(tasks: readonly CheckTask[], count: number, tsxLoader: string): Promise<CheckResult[]> {
  if (!existsSync(tsxLoader)) throw new Error(`tsx is missing from the runtime dependencies: ${tsxLoader}`);
  const queue = [...tasks];
  const results: CheckResult[] = [];

  const runWorker = (): Promise<void> =>
    new Promise((done) => {
      let current: CheckTask | undefined;
      let timer: NodeJS.Timeout | undefined;
      let output = '';
      const child: ChildProcess = fork(WORKER, [], {
        execArgv: ['--import', pathToFileURL(tsxLoader).href, '--max-old-space-size=6144'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, NODE_ENV: 'test' },
      });
      const keepTail = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-2_000);
      };
      child.stdout?.on('data', keepTail);
      child.stderr?.on('data', keepTail);

      const next = (): void => {
        clearTimeout(timer);
        current = queue.shift();
        if (current === undefined) {
          child.disconnect();
          return;
        }
        output = '';
        timer = setTimeout(() => child.kill('SIGKILL'), TASK_TIMEOUT_MS);
        child.send({ type: 'task', task: current } satisfies ToWorker);
      };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'ready') next();
        else if (message.type === 'result') {
          results.push(message.result);
          next();
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current !== undefined) {
          const why = signal === 'SIGKILL' ? `timed out after ${TASK_TIMEOUT_MS / 1000}s` : `worker exited (${signal ?? `code ${String(code)}`})`;
          results.push({ id: current.id, outcome: 'failed', stage: 'worker', reason: `${why}: ${output.replace(/\s+/g, ' ').slice(-1_000)}`, ms: {} });
          current = undefined;
          if (queue.length > 0) {
            void runWorker().then(done);
            return;
          }
        }
        done();
      });
    });

  await Promise.all(Array.from({ length: Math.max(1, Math.min(count, tasks.length)) }, runWorker));
  return results;
}

function formatReport(documents: readonly CorpusDocument[], results: readonly CheckResult[], totalMs: number): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const outcomeOf = (d: CorpusDocument): Outcome => byId.get(d.id)?.outcome ?? 'failed';
  const count = (list: readonly CorpusDocument[], outcome: Outcome): number => list.filter((d) => outcomeOf(d) === outcome).length;
  const lines = ['', 'Robustness corpus: generate + type-check + start', ''];
  const row = (label: string, list: readonly CorpusDocument[]): string =>
    `${label.padEnd(24)}${String(list.length).padStart(6)}${String(count(list, 'passed')).padStart(8)}${String(count(list, 'rejected')).padStart(10)}${String(count(list, 'failed')).padStart(8)}`;
  lines.push(`${'source'.padEnd(24)}${'docs'.padStart(6)}${'passed'.padStart(8)}${'rejected'.padStart(10)}${'failed'.padStart(8)}`);
  for (const source of [...new Set(documents.map((d) => d.packageName))]) lines.push(row(source, documents.filter((d) => d.packageName === source)));
  lines.push(row('total', documents));
  const passed = count(documents, 'passed');
  lines.push('', `passed ${passed}/${documents.length} (${((100 * passed) / documents.length).toFixed(1)}%; threshold ${PASS_THRESHOLD * 100}%, target 100%) in ${(totalMs / 1000).toFixed(0)}s`);

  const notPassing = documents.filter((d) => outcomeOf(d) !== 'passed');
  if (notPassing.length > 0) {
    lines.push('', 'Not passing:');
    for (const d of notPassing) {
      const r = byId.get(d.id);
      lines.push(`  ${outcomeOf(d).toUpperCase()} ${d.id} (${d.packageName}/${d.path}) at ${r?.stage ?? 'worker'}${r?.codes ? ` [${r.codes.join(', ')}]` : ''}: ${r?.reason ?? 'no result'}`);
    }
  }
  const slowest = [...results]
    .map((r) => ({ id: r.id, total: (r.ms.generate ?? 0) + (r.ms.typecheck ?? 0) + (r.ms.start ?? 0), ms: r.ms }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 5);
  lines.push('', `Slowest: ${slowest.map((s) => `${s.id} ${(s.total / 1000).toFixed(1)}s (gen ${s.ms.generate ?? 0}, tsc ${s.ms.typecheck ?? 0}, start ${s.ms.start ?? 0} ms)`).join('; ')}`);
  return lines.join('\n');
}
