import { checkTimeout } from './errors.ts';
import { block, now, seam, type SharedObject } from './seam.ts';
import { registerObject, runtime } from './runtime.ts';
import { SupervisorBlockError } from './errors.ts';

let clock: { object: SharedObject; word: Int32Array } | undefined;

function ownClock(): { object: SharedObject; word: Int32Array } {
  clock ??= { object: { id: registerObject('clock', 'sleep'), kind: 'clock', label: 'sleep' }, word: new Int32Array(new SharedArrayBuffer(4)) };
  return clock;
}

/**
 * Suspends the calling thread for `seconds` (as Python's `time.sleep`). Under the
 * controlled scheduler the time is virtual: the sleep ends when nothing else can run.
 * @throws ValueError for a negative or non-numeric duration.
 */
export function sleep(seconds: number): void {
  const ms = checkTimeout('seconds', seconds, false);
  if (runtime().supervisor) {
    if (ms === 0) return;
    throw new SupervisorBlockError('sleep', 'the clock');
  }
  const s = seam.strategy;
  if (s !== null && s.sleep !== undefined) {
    s.sleep(ms);
    return;
  }
  const c = ownClock();
  const deadline = now() + ms;
  const target = { i32: c.word, index: 0, key: c.object.id * 8 };
  for (let left = ms; left > 0; left = deadline - now()) {
    block(target, 0, left, { op: 'sleep', object: c.object, holder: 0 });
  }
}

/** Waits `seconds` without blocking the calling thread. */
export function sleepAsync(seconds: number): Promise<void> {
  const ms = checkTimeout('seconds', seconds, false);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
