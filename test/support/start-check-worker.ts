/**
 * Starts generated projects one after another in one process, forked by start-checks.ts and run under
 * tsx (the loader generated projects use themselves). For each task it builds the app as the project's
 * own tests do (an in-memory database), waits until Fastify is ready, asks it for its spec and for each
 * path of `served` checks that the page holds none of the given texts.
 *
 * One process for every project rather than one per project: node, tsx, Fastify and the other shared
 * dependencies load once (a project's own sources are its own modules, as its path is its own), which
 * makes a start several times cheaper. Runs until its parent disconnects.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StartCheckResult, StartCheckTask } from './start-checks.js';

interface StartedApp {
  ready(): Promise<unknown>;
  inject(options: { method: string; url: string }): Promise<{ statusCode: number; body: string }>;
  close(): Promise<unknown>;
}

process.on('message', (task: StartCheckTask) => {
  void check(task).then((problem) => process.send?.({ id: task.id, problem } satisfies StartCheckResult));
});
process.on('disconnect', () => process.exit(0));
process.send?.('ready');

async function check(task: StartCheckTask): Promise<string | undefined> {
  let app: StartedApp | undefined;
  try {
    // The project's working directory, as when its own tests run.
    process.chdir(task.dir);
    const src = (path: string): string => pathToFileURL(join(task.dir, 'src', path)).href;
    const { buildApp } = (await import(src('app.ts'))) as { buildApp(config: unknown): Promise<StartedApp> };
    const { loadConfig } = (await import(src('config/env.ts'))) as { loadConfig(env: Record<string, string>): unknown };
    app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }));
    await app.ready();
    const problems: string[] = [];
    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (spec.statusCode !== 200) problems.push(`GET /openapi.json answered ${spec.statusCode}`);
    for (const [url, texts] of Object.entries(task.served)) {
      const page = await app.inject({ method: 'GET', url });
      for (const text of texts) if (page.body.includes(text)) problems.push(`GET ${url} holds ${JSON.stringify(text)}`);
    }
    const closing = app;
    app = undefined;
    await closing.close();
    return problems.length > 0 ? problems.join('\n') : undefined;
  } catch (error) {
    await app?.close().catch(() => undefined);
    return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  }
}
