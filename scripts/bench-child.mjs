#!/usr/bin/env node
// One measured job of `npm run bench`, alone in its process so that its peak memory is its own.
// On exit it writes { code, maxRssKb, marks } as JSON to $BENCH_REPORT; marks are [label, ms since
// this process started] pairs (performance.now()), so they include Node's startup.
//
//   node scripts/bench-child.mjs scaffold <spec> <outDir> [models]   the engine's generate(), timestamping each stage
//   node scripts/bench-child.mjs cli <script.js> [args...]   any Node CLI, run in this process
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [mode, ...args] = process.argv.slice(2);
const marks = [];

process.on('exit', (code) => {
  const report = { code, maxRssKb: process.resourceUsage().maxRSS, marks };
  if (process.env.BENCH_REPORT) writeFileSync(process.env.BENCH_REPORT, JSON.stringify(report));
});

if (mode === 'scaffold') {
  const [spec, out, models] = args;
  const { generate } = await import(new URL('../dist/engine.js', import.meta.url));
  const options = { spec, out, name: undefined, models, dryRun: false, force: false };
  try {
    const result = await generate(options, (stage) => marks.push([stage, performance.now()]));
    marks.push(['done', performance.now()]);
    const written = result.files.filter((file) => file.action === 'create' || file.action === 'update').length;
    console.log(`${result.operationCount} operations, ${result.files.length} files (${written} written), ${result.diagnostics.length} warnings`);
  } catch (error) {
    // Which stage failed, its diagnostics (a ScaffoldError carries them) and the stack.
    const { formatDiagnostic } = await import(new URL('../dist/diagnostics/diagnostic.js', import.meta.url));
    console.error(`failed in stage "${marks.at(-1)?.[0] ?? 'startup'}"`);
    for (const diagnostic of error?.diagnostics ?? []) console.error(formatDiagnostic(diagnostic));
    console.error(error?.stack ?? error);
    process.exitCode = 1;
  }
} else if (mode === 'cli') {
  const [script, ...rest] = args;
  process.argv = [process.argv[0], resolve(script), ...rest];
  await import(pathToFileURL(resolve(script)).href);
} else {
  console.error('usage: bench-child.mjs scaffold <spec> <outDir> | cli <script.js> [args...]');
  process.exitCode = 2;
}
