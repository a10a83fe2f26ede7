import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

/**
 * One line per finished test file, with how many are done of how many and how long the run has
 * taken, so a long run without a terminal (CI, a log) never looks stuck.
 * Failures are still detailed by the default reporter beside it.
 */
export default class ProgressReporter implements Reporter {
  private total = 0;
  private done = 0;
  private failed = 0;
  private started = performance.now();

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.total = specifications.length;
    this.done = 0;
    this.failed = 0;
    this.started = performance.now();
    process.stdout.write(`progress: ${this.total} test files to run\n`);
  }

  onTestModuleEnd(module: TestModule): void {
    this.done += 1;
    const state = module.state();
    if (state === 'failed') this.failed += 1;
    const elapsed = (performance.now() - this.started) / 1000;
    const tests = [...module.children.allTests()].length;
    const took = (module.diagnostic().duration / 1000).toFixed(1);
    const mark = state === 'failed' ? 'FAIL' : state === 'skipped' ? 'skip' : 'ok  ';
    const failures = this.failed > 0 ? `, ${this.failed} failed` : '';
    process.stdout.write(
      `progress: [${this.done}/${this.total}${failures}] ${clock(elapsed)} ${mark} ${module.project.name} ${module.relativeModuleId} (${tests} tests, ${took} s)\n`,
    );
  }
}

function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}
