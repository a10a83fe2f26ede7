import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/sequencer.ts';

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
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'golden', include: ['test/golden/*.test.ts'], testTimeout: 120_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/build-cli.ts'], testTimeout: 900_000, hookTimeout: 900_000 } },
      { test: { name: 'robustness', include: ['test/robustness/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000 } },
    ],
  },
});
