#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci`).
// In a clone, a dist/ built from other sources (a pull without a build) is refused before it runs.
import { launcherCheck } from './build-stamp.js';

const stale = launcherCheck(import.meta.dirname);
if (stale) {
  console.error(stale);
  process.exitCode = 1;
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
