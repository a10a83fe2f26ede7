import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.gen.ts'],
    exclude: ['test/support/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    // Against a shared PostgreSQL (TEST_DATABASE_URL) test files take turns; in memory they run in parallel.
    fileParallelism: !process.env.TEST_DATABASE_URL,
  },
});
