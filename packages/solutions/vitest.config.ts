import { defineConfig } from 'vitest/config';

// Each grading starts its own grading child, which keeps both cores busy: one at a time.
export default defineConfig({
  test: { pool: 'forks', include: ['test/**/*.test.ts'], fileParallelism: false, testTimeout: 180_000 },
});
