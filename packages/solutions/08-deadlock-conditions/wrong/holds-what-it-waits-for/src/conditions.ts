import type { Clerk, Condition, LockName } from './lib/conditions.ts';

// In the deadlock each clerk holds the lock of the account it takes from, and waits for
// the lock of the account it gives to: the next clerk round the ring holds that one.
export const holds: Partial<Record<Clerk, LockName>> = { alice: 'lock-b', bob: 'lock-c', carol: 'lock-a' };
export const waitsFor: Partial<Record<Clerk, Clerk>> = { alice: 'bob', bob: 'carol', carol: 'alice' };

// One global order: a clerk only ever waits for a lock later in the order than those it
// holds, so no cycle of waits can close.
export const brokenByLockOrder: Condition | undefined = 'circular wait';
// Giving up the first lock when the second does not come: no clerk holds while it waits.
export const brokenByTimeout: Condition | undefined = 'hold and wait';
