import { SharedInt32Array, Thread } from '@threadlings/core';

/*
 * TODO(instructor): replace this placeholder task with the exercise's own. As scaffolded,
 * two threads add to one shared counter, and the read and the write of each addition are
 * apart: exploration finds the interleaving that loses an update.
 */

/** One thread's work: add 1 to `counter[0]`, `times` times. */
export function addMany(counter: SharedInt32Array, times: number): void {
  for (let i = 0; i < times; i++) {
    // TODO: another thread may write between this read and this write: make them one step.
    const seen = counter.get(0);
    counter.set(0, seen + 1);
  }
}

/** Two threads each add `times`; returns the count. */
export function countTogether(times: number): number {
  const counter = new SharedInt32Array(1, { name: 'counter' });
  const threads = [1, 2].map((n) => new Thread({ target: addMany, args: [counter, times], name: `adder-${n}` }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  return counter.get(0);
}

export function main(): void {
  console.log(`two threads added 10000 each: the counter says ${countTogether(10_000)}`);
}
