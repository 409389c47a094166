import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test file's process is a supervisor: its main thread owns the workers.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    include: ['test/**/*.test.ts'],
    // Every test ends with no worker left and no unexpected thread exception.
    setupFiles: ['test/setup.ts'],
  },
});
