/** Every grading test ends with no worker left alive: runChecks must clean up after itself. */
import { afterEach, expect } from 'vitest';
import { liveWorkerCount, terminateAllThreads } from '@threadlings/core';

afterEach(async () => {
  const left = liveWorkerCount();
  await terminateAllThreads();
  expect(left, 'workers left alive after grading').toBe(0);
});
