/**
 * Runs around every test of the core: each test must end with no thread and no worker
 * left, and with no thread exception it did not expect.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { liveWorkerCount, terminateAllThreads } from '../src/index.ts';
import { startExceptionLog, stopExceptionLog } from './helpers.ts';

beforeEach(() => {
  startExceptionLog();
});

afterEach(async () => {
  await terminateAllThreads();
  expect(liveWorkerCount(), 'workers left alive after the test').toBe(0);
  const unexpected = stopExceptionLog().map((e) => `Exception in thread ${e.name}: ${e.error.stack || e.error.message}`);
  expect(unexpected, 'threads raised exceptions the test did not expect').toEqual([]);
});
