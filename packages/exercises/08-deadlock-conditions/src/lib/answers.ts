import { brokenByLockOrder, brokenByTimeout, holds, waitsFor } from '../conditions.ts';

/** Your answers, as the grader reads them. */
export function answers(): unknown {
  return { holds, waitsFor, brokenByLockOrder, brokenByTimeout };
}
