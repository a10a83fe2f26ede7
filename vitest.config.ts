import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/sequencer.ts';

/**
 * The unit test files that replace a module (vi.mock, or @inquirer/testing/vitest, which mocks the
 * prompts): they need modules of their own, where the other unit files share their worker's (see the
 * unit project below); a module another file loaded first would stay unmocked.
 */
const MOCKING_UNIT_FILES = readdirSync('test/unit', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && /\bvi\.(mock|doMock)\(|@inquirer\/testing\/vitest/.test(readFileSync(join('test/unit', file), 'utf8')))
  .map((file) => join('test/unit', file));

/**
 * Four suites: unit tests per pipeline stage, golden files per example, end-to-end runs of generated
 * projects, and the robustness suite over real-world specs from npm. Their files share the workers,
 * the longest first (test/support/sequencer.ts).
 */
export default defineConfig({
  test: {
    // One test file per core: vitest's default (cores - 1) ran the suite one file at a time on 2 cores.
    maxWorkers: availableParallelism(),
    // The default reporter details failures; the progress lines count files done and time taken.
    reporters: ['default', './test/support/progress-reporter.ts'],
    // The longest files first (a clean clone has no timings of a previous run to order them by).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      // A unit file in a fresh worker spent most of its time loading the generator (TypeScript, ts-morph,
      // prettier...) again: unit files share their worker's modules instead (`isolate: false`), except
      // those that mock one, which run isolated as `unit-mocking` (`--project 'unit*'` runs both).
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: MOCKING_UNIT_FILES, isolate: false, testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'unit-mocking', include: MOCKING_UNIT_FILES, testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'golden', include: ['test/golden/*.test.ts'], testTimeout: 120_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/build-cli.ts'], testTimeout: 900_000, hookTimeout: 900_000 } },
      { test: { name: 'robustness', include: ['test/robustness/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000 } },
    ],
  },
});
