/**
 * A check worker of the robustness suite, forked by robustness.test.ts and run under tsx (the loader
 * generated projects use themselves). For each task it generates the project from source
 * (src/engine.ts), type-checks it, and builds the app until Fastify is ready. Runs until its parent
 * disconnects.
 *
 * Type checking goes through the TypeScript API rather than one `tsc` per project: every project
 * reads the same ~400 declaration files (Node, Fastify, Ajv), and parsing and binding those once per
 * worker instead of once per project makes the check several times faster. Each project still gets a
 * program (and a checker) of its own, so nothing leaks between projects.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { generate } from '../../src/engine.js';
import { linkRuntimeModules } from '../support/runtime-deps.js';
import type { CheckResult, CheckTask, FromWorker, ToWorker } from './protocol.js';

/**
 * Documented codes that say nothing about the document: the harness's input or output (SCF001,
 * SCF020, SCF022, SCF023) or a generator bug (a path escaping the output, a template or the
 * formatter failing). A refusal with one of them is a failure, not a rejection.
 */
const NOT_ABOUT_THE_DOCUMENT = new Set(['SCF001', 'SCF020', 'SCF021', 'SCF022', 'SCF023', 'SCF024', 'SCF025']);
const DOCS = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'diagnostics.md'), 'utf8');
const MAX_REASON = 1_500;

function send(message: FromWorker): void {
  process.send?.(message);
}

process.on('message', (message: ToWorker) => {
  if (message.type !== 'task') return;
  const { id } = message.task;
  void check(message.task)
    .catch((error: unknown): CheckResult => ({ id, outcome: 'failed', stage: 'worker', reason: shorten(`check crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`), ms: {} }))
    .then((result) => send({ type: 'result', result }));
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });

async function check(task: CheckTask): Promise<CheckResult> {
  const ms: CheckResult['ms'] = {};
  const result = (fields: Omit<CheckResult, 'id' | 'ms'>): CheckResult => ({ id: task.id, ms, ...fields });

  let operations: number;
  let started = performance.now();
  try {
    const generated = await generate({ spec: task.spec, out: task.out, name: undefined, models: undefined, dryRun: false, force: false });
    operations = generated.operationCount;
  } catch (error) {
    ms.generate = elapsed(started);
    return result(classifyGenerateError(error));
  }
  ms.generate = elapsed(started);
  await linkRuntimeModules(task.out);

  started = performance.now();
  const typeErrors = typecheck(task.out);
  ms.typecheck = elapsed(started);

  started = performance.now();
  const startError = await start(task.out);
  ms.start = elapsed(started);

  if (typeErrors.length === 0 && startError === undefined) return result({ outcome: 'passed', operations });
  const reasons = [
    ...(typeErrors.length > 0 ? [`${typeErrors.length} type error(s): ${typeErrors.slice(0, 5).join(' | ')}`] : []),
    ...(startError !== undefined ? [`start: ${startError}`] : []),
  ];
  return result({ outcome: 'failed', stage: typeErrors.length > 0 ? 'typecheck' : 'start', reason: shorten(reasons.join(' || ')), operations });
}

function classifyGenerateError(error: unknown): Omit<CheckResult, 'id' | 'ms'> {
  const diagnostics = scaffoldDiagnostics(error);
  if (diagnostics === undefined) {
    return { outcome: 'failed', stage: 'generate', reason: shorten(`crash: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) };
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const codes = [...new Set(errors.map((d) => d.code))];
  const reason = shorten(errors.map((d) => `${d.code} ${d.location?.pointer ?? ''} ${d.message}`).join(' | '));
  const documented = codes.length > 0 && codes.every((code) => code in DIAGNOSTIC_CODES && new RegExp(`^## ${code}\\b`, 'm').test(DOCS));
  const aboutTheDocument = codes.every((code) => !NOT_ABOUT_THE_DOCUMENT.has(code));
  return { outcome: documented && aboutTheDocument ? 'rejected' : 'failed', stage: 'generate', reason, codes };
}

function scaffoldDiagnostics(error: unknown): readonly Diagnostic[] | undefined {
  if (!(error instanceof Error) || error.name !== 'ScaffoldError') return undefined;
  const { diagnostics } = error as Error & { diagnostics?: unknown };
  return Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : undefined;
}

/** Declaration files are shared by every project (and never change during a run): parse them once. */
const sharedSourceFiles = new Map<string, ts.SourceFile>();

function typecheck(projectDir: string): string[] {
  const configErrors: string[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(join(projectDir, 'tsconfig.json'), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(ts.flattenDiagnosticMessageText(d.messageText, ' ')),
  });
  if (!parsed) return configErrors.length > 0 ? configErrors : ['tsconfig.json could not be read'];

  const host = ts.createCompilerHost(parsed.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/')) return readSourceFile(fileName, languageVersion, onError, shouldCreate);
    const mode = typeof languageVersion === 'object' ? `${languageVersion.languageVersion}:${String(languageVersion.impliedNodeFormat)}` : String(languageVersion);
    const key = `${mode}|${fileName}`;
    let sourceFile = sharedSourceFiles.get(key);
    if (sourceFile === undefined) {
      sourceFile = readSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sourceFile !== undefined) sharedSourceFiles.set(key, sourceFile);
    }
    return sourceFile;
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, configFileParsingDiagnostics: parsed.errors });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (d.file === undefined || d.start === undefined) return `TS${d.code}: ${message}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(projectDir, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code}: ${message}`;
    });
}

interface StartedApp {
  ready(): Promise<unknown>;
  inject(options: { method: string; url: string }): Promise<{ statusCode: number }>;
  close(): Promise<unknown>;
}

/** Builds the app as src/server.ts does and waits until Fastify has compiled every route and schema. */
async function start(projectDir: string): Promise<string | undefined> {
  let app: StartedApp | undefined;
  try {
    const { loadConfig } = (await import(pathToFileURL(join(projectDir, 'src', 'config', 'env.ts')).href)) as {
      loadConfig(env: Record<string, string>): unknown;
    };
    const { buildApp } = (await import(pathToFileURL(join(projectDir, 'src', 'app.ts')).href)) as {
      buildApp(config: unknown): Promise<StartedApp>;
    };
    // Each project its own in-memory database: projects share this worker's working directory.
    app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATA_DIR: 'memory://' }));
    await app.ready();
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    if (live.statusCode !== 200) return `GET /health/live answered ${live.statusCode}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    await app?.close().catch(() => undefined);
  }
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON ? `${oneLine.slice(0, MAX_REASON)}…` : oneLine;
}
