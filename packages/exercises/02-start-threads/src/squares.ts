import { Thread } from '@threadlings/core';
import { splitInto, squareAll } from './lib/squares.ts';

/** A thread's work: the squares of one part, written to the part's place in `results`. */
export function squarePart(part: readonly number[], results: number[], slot: number): void {
  results[slot] = squareAll(part);
}

/**
 * The sum of the squares of `numbers`, computed by `workers` threads, one per part: each
 * thread is started on `squarePart` with its part, where to put its result, and its slot.
 */
export function sumOfSquares(numbers: readonly number[], workers: number): number {
  const parts = splitInto(numbers, workers);
  // TODO: each thread gets its own copy of a plain array: what a thread writes into it is
  // never seen here. Share the results through a shared object (a SharedInt32Array with
  // one slot per part, written with set()), or return each part's sum from the target and
  // read it from the thread's `result` after join().
  const results: number[] = parts.map(() => 0);
  const threads = parts.map((part, i) => new Thread({ target: squarePart, args: [part, results, i], name: `part-${i + 1}` }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  return results.reduce((a, b) => a + b, 0);
}

export function main(): number {
  const numbers = Array.from({ length: 100 }, (_, i) => i + 1);
  const total = sumOfSquares(numbers, 4);
  console.log(`the sum of the squares of 1..100 is ${total} (expected 338350)`);
  return total;
}
