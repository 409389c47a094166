import type { Lock, SharedInt } from '@threadlings/core';

/**
 * Moves one unit from one account to the next, holding both accounts' locks: first the
 * lock of the account it takes from, then the lock of the account it gives to.
 * Steps of a schedule: 1. acquire `fromLock`, 2. acquire `toLock`, 3-4. read and write
 * `from`, 5-6. read and write `to`, 7. release `toLock`, 8. release `fromLock`.
 */
export function transfer(from: SharedInt, fromLock: Lock, to: SharedInt, toLock: Lock): void {
  fromLock.acquire();
  toLock.acquire();
  from.value = from.value - 1;
  to.value = to.value + 1;
  toLock.release();
  fromLock.release();
}
