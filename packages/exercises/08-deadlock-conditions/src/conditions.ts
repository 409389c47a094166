import type { Clerk, Condition, LockName } from './lib/conditions.ts';

// The deadlock your schedule (schedules/deadlock.txt) ends in: once every clerk is stuck,
// which lock does each one hold, and which clerk is each one waiting for?
// TODO: fill both in from the interleaving the grader shows you.
export const holds: Partial<Record<Clerk, LockName>> = {};
export const waitsFor: Partial<Record<Clerk, Clerk>> = {};

// Two ways to make the transfers deadlock-free, each breaking one of the four conditions:
//  - lock order: every clerk takes the lock of the account that comes first
//    alphabetically first, whichever way the money goes;
//  - timeout: a clerk that cannot get its second lock within 10 ms releases the first,
//    waits a moment, and starts again.
// TODO: name the condition each one breaks.
export const brokenByLockOrder: Condition | undefined = undefined;
export const brokenByTimeout: Condition | undefined = undefined;
