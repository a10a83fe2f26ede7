import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order test files start in: the longest first, so that the workers end together instead of one
 * starting a five-minute file when the others are done. A clean clone has no timings of a previous
 * run (vitest's own cache, which the default order reads, lives in node_modules/.vite): the weights
 * below are the CPU seconds each long file took on the 2-core CI machine (the progress lines print a
 * file's time; update a weight when a file's time changes much). Files without a weight follow, the
 * largest first, as vitest orders them.
 */
const CPU_SECONDS: Record<string, number> = {
  // Checks the corpus on workers of its own (two on 2 cores); its CPU time was not measured: the longest file.
  'test/robustness/robustness.test.ts': 1_000,
  // 338 CPU s when it passes (commit 37dc457); the run measured here timed out before its workers ended.
  'test/e2e/hostile-corpus.test.ts': 338,
  'test/e2e/killed-regeneration.test.ts': 68,
  'test/e2e/regeneration-story.test.ts': 60,
  'test/e2e/guidelines.test.ts': 51,
  // examples.test.ts took 126 s for the three; each file's share estimated from the wall time of its tests.
  'test/e2e/examples-user-management.test.ts': 50,
  'test/e2e/cross-cutting.test.ts': 50,
  'test/e2e/examples-ecommerce.test.ts': 45,
  'test/e2e/first-hour-runtime.test.ts': 40,
  'test/e2e/generated-api-tests.test.ts': 37,
  'test/e2e/pattern-samples.test.ts': 36,
  'test/e2e/examples-petstore.test.ts': 35,
  'test/e2e/implemented-service.test.ts': 35,
  'test/e2e/storage-bounds.test.ts': 34,
  'test/robustness/hostile-mutations.test.ts': 32,
  'test/e2e/packaged.test.ts': 30,
  'test/golden/regeneration-cache.test.ts': 29,
  'test/e2e/regeneration-property.test.ts': 28,
  'test/e2e/crud-scenario.test.ts': 27,
  'test/e2e/idempotency.test.ts': 25,
  'test/e2e/sign-in.test.ts': 21,
  'test/e2e/lint-import-cycles.test.ts': 20,
  'test/e2e/guidelines-error-envelope.test.ts': 20,
  'test/golden/examples.test.ts': 20,
  'test/e2e/inherited-names-odd-paths.test.ts': 19,
};

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const weight = (spec: TestSpecification): number => CPU_SECONDS[spec.moduleId.slice(root.length + 1)] ?? 0;
    // vitest's order (projects by name, then by a previous run's time or size), made stable by index.
    const base = await super.sort(files);
    const index = new Map(base.map((spec, i) => [spec, i]));
    return [...base].sort((a, b) => weight(b) - weight(a) || index.get(a)! - index.get(b)!);
  }
}
