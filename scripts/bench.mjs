#!/usr/bin/env node
// `npm run bench`: figures, never assertions. Every figure is printed next to a baseline measured in
// the same run, as a ratio, so that results from different machines can be compared.
//
// 1. Generation on GitHub's REST API description (@octokit/openapi, pinned, installed once into
//    test/.cache/bench): `scaffold generate` against the openapi-typescript CLI on the same document.
//    Each job runs in its own child process (scripts/bench-child.mjs) so that its peak RSS is its
//    own; wall time is measured from spawn to exit (Node's startup included, for both). The two
//    jobs alternate, BENCH_REPEAT times each (default 3), and the median of each figure is shown.
// 2. Regeneration, on the ecommerce example (with its domain model) and on the GitHub spec: a full
//    generation into a fresh directory (the baseline), then in that project a no-op regeneration and a
//    regeneration after a one-operation change (an optional query parameter added to one operation of a
//    copy of the spec), each printed with its ratio to the full generation (medians of BENCH_REPEAT). The
//    first round also generates the changed spec into a fresh directory and checks that the regenerated
//    project's generator-owned files are byte for byte that fresh generation's.
// 3. Runtime throughput of the generated petstore example on 127.0.0.1, loaded by autocannon
//    (in this process) for a fixed duration per scenario: /health/live as the baseline, and an
//    authenticated, validated operation (answers 501), each with LOG_LEVEL=info and silent.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE_DIR = join(ROOT, 'test', '.cache');
const GITHUB_SPEC_PACKAGE = { name: '@octokit/openapi', version: '23.0.2' };
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const LOAD = { connections: 50, durationS: 3, rounds: 3, warmupS: 1 };
const API_KEY = 'bench-api-key-0123456789';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// BENCH_ONLY=generation,regeneration,runtime (any subset) runs only those sections.
const ONLY = new Set((process.env.BENCH_ONLY ?? 'generation,regeneration,runtime').split(',').map((s) => s.trim()));

const tmp = mkdtempSync(join(os.tmpdir(), 'scaffold-bench-'));
const log = (text) => console.log(`  · ${text}`);

try {
  printHeader();
  buildIfStale();
  const generation = ONLY.has('generation') ? await benchGeneration() : undefined;
  const regeneration = ONLY.has('regeneration') ? await benchRegeneration().catch((error) => error) : undefined;
  const runtime = ONLY.has('runtime') ? await benchRuntime().catch((error) => error) : undefined;
  if (generation) printGeneration(generation);
  if (regeneration instanceof Error) {
    console.log(`\nRegeneration bench FAILED: ${regeneration.message}`);
    process.exitCode = 1;
  } else if (regeneration) {
    printRegeneration(regeneration);
  }
  if (runtime instanceof Error) {
    console.log(`\nRuntime bench FAILED: ${runtime.message}`);
    process.exitCode = 1;
  } else if (runtime) {
    printRuntime(runtime);
  }
  console.log(`\n  load average at the end: ${loadAverage()}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// 1. Generation

async function benchGeneration() {
  console.log(`\n1. Generation: GitHub's REST API description`);
  const spec = findGithubSpec(installGithubSpec());
  log(`spec: ${spec.replace(`${ROOT}/`, '')} (${(readFileSync(spec).length / 1e6).toFixed(1)} MB)`);
  const openapiTs = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  const runs = { scaffold: [], 'openapi-typescript': [] };
  for (let i = 1; i <= REPEAT; i++) {
    const scaffold = measure(['scaffold', spec, join(tmp, `github-${i}`)]);
    runs.scaffold.push(scaffold);
    log(`run ${i}/${REPEAT} scaffold: ${describe(scaffold)}`);
    rmSync(join(tmp, `github-${i}`), { recursive: true, force: true });
    if (!scaffold.ok) return { spec, runs, failure: { label: 'scaffold', ...scaffold } };
    const types = measure(['cli', openapiTs, spec, '--output', join(tmp, `github-${i}.ts`)]);
    runs['openapi-typescript'].push(types);
    log(`run ${i}/${REPEAT} openapi-typescript: ${describe(types)}`);
    if (!types.ok) return { spec, runs, failure: { label: 'openapi-typescript', ...types } };
  }
  return { spec, runs };
}

/** Installs the pinned package once; a marker holding its name@version makes later runs free. */
function installGithubSpec() {
  const dir = join(CACHE_DIR, 'bench');
  const key = `${GITHUB_SPEC_PACKAGE.name}@${GITHUB_SPEC_PACKAGE.version}`;
  const marker = join(dir, '.installed');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== key) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const manifest = { name: 'scaffold-bench-specs', private: true, dependencies: { [GITHUB_SPEC_PACKAGE.name]: GITHUB_SPEC_PACKAGE.version } };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    run(`install ${key} into test/.cache/bench (~385 MB, once)`, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], dir);
    writeFileSync(marker, key);
  }
  return join(dir, 'node_modules', ...GITHUB_SPEC_PACKAGE.name.split('/'));
}

/** The api.github.com description (JSON preferred, then YAML), not the dereferenced variant. */
function findGithubSpec(packageDir) {
  const files = readdirSync(packageDir, { recursive: true }).map(String);
  const rank = (file) => ['api.github.com.json', 'api.github.com.yaml', 'api.github.com.yml'].indexOf(file.split('/').pop());
  const spec = files.filter((file) => rank(file) >= 0).sort((a, b) => rank(a) - rank(b))[0];
  if (!spec) throw new Error(`no api.github.com description in ${packageDir}: ${files.slice(0, 20).join(', ')}`);
  const head = readFileSync(join(packageDir, spec), 'utf8').slice(0, 500);
  if (!/"?openapi"?\s*:\s*["']?3\./.test(head)) throw new Error(`${spec} is not an OpenAPI 3.x document`);
  return join(packageDir, spec);
}

/** Runs one bench-child job under /usr/bin/time (when present); wall time from spawn to exit. */
function measure(childArgs) {
  const report = join(tmp, 'report.json');
  const timeReport = join(tmp, 'time.txt');
  rmSync(report, { force: true });
  rmSync(timeReport, { force: true });
  const node = [process.execPath, join(ROOT, 'scripts', 'bench-child.mjs'), ...childArgs];
  const [command, ...args] = TIME ? [TIME, '-v', '-o', timeReport, ...node] : node;
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, BENCH_REPORT: report }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const self = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : { marks: [] };
  const timed = existsSync(timeReport) ? /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeReport, 'utf8')) : null;
  const stages = {};
  self.marks.forEach(([stage, at], i) => {
    stages[i === 0 ? 'startup' : self.marks[i - 1][0]] = i === 0 ? at : at - self.marks[i - 1][1];
  });
  return {
    ok: child.status === 0,
    status: child.status ?? child.signal,
    wallMs,
    rssMb: (timed ? Number(timed[1]) : self.maxRssKb) / 1024,
    rssSource: timed ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS',
    stages,
    stdout: child.stdout,
    stderr: child.stderr,
  };
}

function describe(m) {
  if (!m.ok) return `FAILED (exit ${m.status})`;
  return `${(m.wallMs / 1000).toFixed(2)} s, ${m.rssMb.toFixed(0)} MB peak RSS`;
}

function printGeneration({ spec, runs, failure }) {
  console.log(`\nGeneration on ${spec.split('/').slice(-1)[0]} (${GITHUB_SPEC_PACKAGE.name}@${GITHUB_SPEC_PACKAGE.version}); median of ${REPEAT} runs each, in separate processes`);
  if (failure) {
    console.log(`\n  ${failure.label} FAILED on the GitHub spec (exit ${failure.status}); its stderr:\n`);
    console.log(indent(failure.stderr.trim().split('\n').slice(-60).join('\n')));
    process.exitCode = 1;
    return;
  }
  const s = summarize(runs.scaffold);
  const t = summarize(runs['openapi-typescript']);
  table(
    ['', 'wall time', 'peak RSS'],
    [
      ['scaffold generate', `${(s.wallMs / 1000).toFixed(2)} s`, `${s.rssMb.toFixed(0)} MB`],
      ['openapi-typescript (baseline)', `${(t.wallMs / 1000).toFixed(2)} s`, `${t.rssMb.toFixed(0)} MB`],
      ['ratio scaffold / baseline', `${(s.wallMs / t.wallMs).toFixed(2)}x`, `${(s.rssMb / t.rssMb).toFixed(2)}x`],
    ],
  );
  console.log(`  peak RSS from ${runs.scaffold[0].rssSource}; scaffold: ${runs.scaffold[0].stdout.trim()}`);
  console.log(`\n  scaffold per stage (median ms; "startup" is Node start + module loading):`);
  const stageNames = Object.keys(runs.scaffold[0].stages);
  table(
    ['stage', 'ms', 'share'],
    stageNames.map((stage) => {
      const ms = median(runs.scaffold.map((r) => r.stages[stage]));
      return [stage, ms.toFixed(0), `${((ms / s.wallMs) * 100).toFixed(0)}%`];
    }),
  );
}

function summarize(measurements) {
  return { wallMs: median(measurements.map((m) => m.wallMs)), rssMb: median(measurements.map((m) => m.rssMb)) };
}

// ---------------------------------------------------------------------------------------------
// 2. Regeneration

async function benchRegeneration() {
  console.log(`\n2. Regeneration: full, no-op and one-operation change`);
  const projects = [
    { name: 'ecommerce', spec: join(ROOT, 'examples', 'ecommerce', 'openapi.yaml'), models: join(ROOT, 'examples', 'ecommerce', 'domain.yaml') },
    { name: 'GitHub', spec: findGithubSpec(installGithubSpec()) },
  ];
  const results = [];
  for (const project of projects) {
    const { parse, stringify } = await import('yaml');
    const json = project.spec.endsWith('.json');
    const original = (json ? JSON.parse : parse)(readFileSync(project.spec, 'utf8'));
    const write = (document) => writeFileSync(spec, json ? `${JSON.stringify(document, null, 2)}\n` : stringify(document));
    const changed = structuredClone(original);
    const operation = addQueryParameter(changed);
    // Both versions at the same path (the project records it), written by the same serializer.
    const dir = join(tmp, `regen-${project.name}`);
    mkdirSync(dir, { recursive: true });
    const spec = join(dir, json ? 'openapi.json' : 'openapi.yaml');
    log(`${project.name}: the one-operation change adds an optional query parameter to ${operation}`);
    const runs = { full: [], noop: [], oneOp: [] };
    for (let i = 1; i <= REPEAT; i++) {
      const out = join(dir, `project-${i}`);
      const job = (label, target = out) => {
        const m = measure(['scaffold', spec, target, ...(project.models ? [project.models] : [])]);
        log(`${project.name} run ${i}/${REPEAT} ${label}: ${describe(m)}; ${m.stdout.trim()}`);
        if (!m.ok) throw new Error(`${project.name} ${label} failed (exit ${m.status}):\n${m.stderr.trim().split('\n').slice(-30).join('\n')}`);
        return m;
      };
      write(original);
      runs.full.push(job('full generation'));
      runs.noop.push(job('no-op regeneration'));
      write(changed);
      runs.oneOp.push(job('one-operation change'));
      if (i === 1) {
        const fresh = join(dir, 'fresh');
        job('fresh generation of the changed spec (for the comparison)', fresh);
        assertSameGeneratedFiles(out, fresh);
        log(`${project.name}: the regenerated project's generator-owned files are identical to a fresh generation of the changed spec`);
        rmSync(fresh, { recursive: true, force: true });
      }
      rmSync(out, { recursive: true, force: true });
    }
    results.push({ name: project.name, operation, runs });
  }
  return results;
}

/** Adds an optional query parameter to the GET operation of the path in the middle of the spec; returns its name. */
function addQueryParameter(document) {
  const paths = Object.entries(document.paths ?? {}).filter(([, item]) => item && typeof item === 'object' && item.get);
  if (paths.length === 0) throw new Error('the spec has no GET operation to change');
  const [path, item] = paths[Math.floor(paths.length / 2)];
  item.get.parameters = [...(item.get.parameters ?? []), { name: 'bench_probe', in: 'query', required: false, description: 'Added by npm run bench.', schema: { type: 'string' } }];
  return `GET ${path}`;
}

/**
 * The regenerated project's generator-owned files (by the fresh project's manifest) are byte for byte the
 * fresh project's, and both manifests list the same files. User and template files are left out: a
 * regeneration keeps the ones generated before the change.
 */
function assertSameGeneratedFiles(regenerated, fresh) {
  const manifest = (dir) => JSON.parse(readFileSync(join(dir, '.scaffold', 'manifest.json'), 'utf8'));
  const expected = manifest(fresh).files;
  const actual = manifest(regenerated).files;
  const list = (files) => files.map((f) => `${f.owner} ${f.path}`).sort().join('\n');
  if (list(actual) !== list(expected)) throw new Error('the regenerated project and the fresh one list different files in their manifests');
  // The API snapshot and the report record what changed since the last run, which a fresh generation has not had.
  const history = new Set(['.scaffold/api-snapshot.json', '.scaffold/report.md']);
  const differing = expected.filter((f) => f.owner === 'generator' && !history.has(f.path) && readFileSync(join(regenerated, f.path), 'utf8') !== readFileSync(join(fresh, f.path), 'utf8'));
  if (differing.length > 0) throw new Error(`regeneration differs from a fresh generation in: ${differing.map((f) => f.path).join(', ')}`);
}

function printRegeneration(results) {
  console.log(`\nRegeneration; median of ${REPEAT} rounds, each job in its own process (wall time from spawn to exit)`);
  table(
    ['project', 'full generation', 'no-op regeneration', 'ratio', 'one-operation change', 'ratio'],
    results.map(({ name, runs }) => {
      const [full, noop, oneOp] = [runs.full, runs.noop, runs.oneOp].map((r) => median(r.map((m) => m.wallMs)));
      const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
      return [name, s(full), s(noop), `${((noop / full) * 100).toFixed(1)}%`, s(oneOp), `${((oneOp / full) * 100).toFixed(1)}%`];
    }),
  );
  for (const { name, operation, runs } of results) {
    console.log(`\n  ${name}, ${operation} changed: ${runs.oneOp[0].stdout.trim()}; per stage (median ms):`);
    const stageNames = Object.keys(runs.full[0].stages);
    table(
      ['stage', 'full', 'no-op', 'one-op'],
      stageNames.map((stage) => [stage, ...[runs.full, runs.noop, runs.oneOp].map((r) => median(r.map((m) => m.stages[stage] ?? 0)).toFixed(0))]),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Runtime

async function benchRuntime() {
  console.log(`\n3. Runtime: the generated petstore example under load`);
  const project = join(tmp, 'petstore');
  run('generate examples/petstore', process.execPath, [join(ROOT, 'bin', 'scaffold.js'), 'generate', '--spec', join(ROOT, 'examples', 'petstore', 'openapi.yaml'), '--out', project], ROOT);
  await linkRuntimeModules(project);
  run('build it (tsc -p tsconfig.build.json)', process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], project);

  const scenarios = [
    { name: 'GET /health/live', path: '/health/live', headers: {}, expect: 200 },
    { name: 'GET /v2/pet/1 (api_key)', path: '/v2/pet/1', headers: { api_key: API_KEY }, expect: 501 },
  ];
  // Both servers run at once (an idle one costs nothing) so that the scenarios can alternate:
  // the machine's drift then spreads over all of them instead of biasing whichever ran last.
  const servers = {};
  try {
    for (const logLevel of ['info', 'silent']) servers[logLevel] = await startServer(project, logLevel);
    const cases = ['info', 'silent'].flatMap((logLevel) => scenarios.map((scenario) => ({ ...scenario, logLevel, url: `${servers[logLevel].url}${scenario.path}`, rounds: [] })));
    for (const c of cases) {
      const probe = await fetch(c.url, { headers: c.headers });
      if (probe.status !== c.expect) log(`warning: ${c.name} answered ${probe.status}, expected ${c.expect}: ${await probe.text()}`);
      await load(c.url, c.headers, LOAD.warmupS); // JIT and caches warm, not measured
    }
    for (let round = 1; round <= LOAD.rounds; round++) {
      for (const c of cases) c.rounds.push(await load(c.url, c.headers, LOAD.durationS));
      log(`round ${round}/${LOAD.rounds}: ${cases.map((c) => `${c.path} ${c.logLevel} ${c.rounds.at(-1).rps.toFixed(0)}/s`).join(', ')}`);
    }
    return cases.map((c) => ({
      ...c,
      rps: median(c.rounds.map((r) => r.rps)),
      rpsMin: Math.min(...c.rounds.map((r) => r.rps)),
      rpsMax: Math.max(...c.rounds.map((r) => r.rps)),
      p50: median(c.rounds.map((r) => r.p50)),
      p95: median(c.rounds.map((r) => r.p95)),
      errors: c.rounds.reduce((sum, r) => sum + r.errors, 0),
      statuses: [...new Set(c.rounds.flatMap((r) => Object.keys(r.statuses)))].join(','),
    }));
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}

/** As test/support/runtime-deps.ts: the generated projects' dependencies, installed once (same cache key) and linked. */
async function linkRuntimeModules(projectDir) {
  const { PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES } = await import(pathToFileURL(join(ROOT, 'dist', 'plan', 'project-dependencies.js')).href);
  const manifest = { name: 'scaffold-runtime-cache', private: true, dependencies: PROJECT_DEPENDENCIES, devDependencies: PROJECT_DEV_DEPENDENCIES };
  const key = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const dir = join(CACHE_DIR, `runtime-${key}`);
  if (!existsSync(join(dir, '.installed'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    run('install the generated project dependencies (once)', 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    writeFileSync(join(dir, '.installed'), new Date().toISOString());
  }
  if (!existsSync(join(projectDir, 'node_modules'))) symlinkSync(join(dir, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
}

/** `node dist/server.js` on 127.0.0.1 with its logs sent to /dev/null; resolves once /health/live answers. */
async function startServer(project, logLevel) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: logLevel,
    API_KEYS: API_KEY,
    // Petstore's operations take JWTs: in production the server refuses to start without a key.
    JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789',
    RATE_LIMIT_MAX: '1000000000', // the default (100/min) would turn the load into 429s
  };
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: project, env, stdio: 'ignore' });
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the generated server exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the generated server did not answer /health/live within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, stop };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** One fixed-duration autocannon run; p95 comes from its latency histogram (which includes non-2xx responses). */
async function load(url, headers, durationS) {
  const result = await autocannon({ url, headers, connections: LOAD.connections, duration: durationS, skipAggregateResult: true });
  const hdr = createRequire(createRequire(import.meta.url).resolve('autocannon'))('hdr-histogram-js');
  const latencies = hdr.decodeFromCompressedBase64(result.latencies);
  const figures = {
    rps: result.totalCompletedRequests / result.duration,
    p50: latencies.getValueAtPercentile(50),
    p95: latencies.getValueAtPercentile(95),
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
  latencies.destroy();
  return figures;
}

function printRuntime(results) {
  console.log(
    `\nRuntime on 127.0.0.1: autocannon, ${LOAD.connections} connections; ${LOAD.rounds} rounds of ${LOAD.durationS} s per scenario, alternating,` +
      `\nafter a ${LOAD.warmupS} s warm-up each; median of the rounds (req/s range in brackets). The load generator shares the` +
      `\nmachine's ${os.availableParallelism()} cores with the server. Baseline: GET /health/live at LOG_LEVEL=info.`,
  );
  const baseline = results.find((r) => r.path === '/health/live' && r.logLevel === 'info');
  table(
    ['scenario', 'LOG_LEVEL', 'req/s', '(min-max)', 'p50 ms', 'p95 ms', 'req/s vs baseline', 'status', 'errors'],
    results.map((r) => [
      r.name,
      r.logLevel,
      r.rps.toFixed(0),
      `(${r.rpsMin.toFixed(0)}-${r.rpsMax.toFixed(0)})`,
      String(r.p50),
      String(r.p95),
      `${(r.rps / baseline.rps).toFixed(2)}x`,
      r.statuses,
      String(r.errors),
    ]),
  );
  console.log('\n  What logging costs (req/s at LOG_LEVEL=info / req/s at silent, same route):');
  for (const route of new Set(results.map((r) => r.name))) {
    const info = results.find((r) => r.name === route && r.logLevel === 'info');
    const silent = results.find((r) => r.name === route && r.logLevel === 'silent');
    console.log(`    ${route.padEnd(26)} ${(info.rps / silent.rps).toFixed(2)}x`);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function printHeader() {
  const cpus = os.cpus();
  console.log('scaffold bench');
  console.log(`  machine: ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()} ${os.arch()}`);
  console.log(`  node ${process.version}; peak RSS via ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}; ${new Date().toISOString()}`);
  console.log(`  load average at the start: ${loadAverage()} (other work on the machine makes every figure noisier)`);
}

function loadAverage() {
  return os.loadavg().map((n) => n.toFixed(2)).join(' ');
}

/** The bench runs the compiled CLI: rebuild dist/ when a source file is newer than it. */
function buildIfStale() {
  const newest = (dir) => Math.max(0, ...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));
  const built = existsSync(join(ROOT, 'dist', 'engine.js')) ? statSync(join(ROOT, 'dist', 'engine.js')).mtimeMs : 0;
  if (newest(join(ROOT, 'src')) > built) run('build scaffold (npm run build): src/ is newer than dist/', 'npm', ['run', 'build'], ROOT);
}

/** Runs a setup step; its output is shown only when it fails. */
function run(title, command, args, cwd) {
  log(title);
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${title} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `  | ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(head));
  console.log(`  |${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function indent(text) {
  return text.replace(/^/gm, '    ');
}
