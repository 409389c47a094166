import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test file's process is a supervisor: its main thread owns the workers.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
  },
});
