import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedRuntimeModules } from './runtime-deps.js';

export interface StartCheckTask {
  id: string;
  /** The generated project (its node_modules linked to the shared install). */
  dir: string;
  /** Per path the started app answers GET on, texts its body must not contain. */
  served: Record<string, string[]>;
}

export interface StartCheckResult {
  id: string;
  /** Why the project did not start or served what it must not; undefined: it started and served its spec. */
  problem: string | undefined;
}

const WORKER = resolve(import.meta.dirname, 'start-check-worker.ts');

/**
 * Starts each project (start-check-worker.ts) in one worker process, one project after another. A
 * project that takes longer than `timeoutMs`, or takes the worker down, fails; a new worker goes on
 * with the rest.
 */
export async function startChecks(tasks: readonly StartCheckTask[], timeoutMs = 60_000): Promise<StartCheckResult[]> {
  const runtimeModules = await sharedRuntimeModules();
  const tsx = pathToFileURL(createRequire(join(runtimeModules, '..', 'package.json')).resolve('tsx')).href;
  const queue = [...tasks];
  const results: StartCheckResult[] = [];
  while (queue.length > 0) {
    await new Promise<void>((done) => {
      let current: StartCheckTask | undefined;
      let ready = false;
      let timer: NodeJS.Timeout | undefined;
      let output = '';
      const child = fork(WORKER, [], { execArgv: ['--import', tsx], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-4_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const next = (): void => {
        clearTimeout(timer);
        current = queue.shift();
        if (current === undefined) return void child.disconnect();
        output = '';
        timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.send(current);
      };
      child.on('message', (message: 'ready' | StartCheckResult) => {
        if (message === 'ready') ready = true;
        else results.push(message);
        next();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current !== undefined) {
          const why = signal === 'SIGKILL' ? `did not start in ${timeoutMs / 1000} s` : `took its process down (${signal ?? `code ${String(code)}`})`;
          results.push({ id: current.id, problem: `${why}:\n${output}` });
        } else if (!ready) {
          // The worker itself does not start: every project left fails with its output.
          for (const task of queue.splice(0)) results.push({ id: task.id, problem: `the start worker exited (${signal ?? `code ${String(code)}`}):\n${output}` });
        }
        done();
      });
    });
  }
  return results;
}
