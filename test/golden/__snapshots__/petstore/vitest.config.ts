import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.gen.ts'],
    exclude: ['test/support/**', 'node_modules/**'],
    environment: 'node',
  },
});
