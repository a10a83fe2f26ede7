import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.gen.ts'],
    exclude: ['test/support/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    // Test files share their worker's modules and database (emptied for each file: see
    // test/support/database.ts), instead of loading both afresh, which is most of a file's time.
    isolate: false,
    // Against a shared PostgreSQL (TEST_DATABASE_URL) test files take turns; in memory they run in parallel.
    fileParallelism: !process.env.TEST_DATABASE_URL,
  },
});
