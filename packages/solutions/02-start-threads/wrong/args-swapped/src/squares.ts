import { SharedInt32Array, Thread } from '@threadlings/core';
import { splitInto, squareAll } from './lib/squares.ts';

/** A thread's work: the squares of one part, written to the part's slot of the shared `results`. */
export function squarePart(part: readonly number[], results: SharedInt32Array, slot: number): void {
  results.set(slot, squareAll(part));
}

/**
 * The sum of the squares of `numbers`, computed by `workers` threads, one per part: each
 * thread is started on `squarePart` with its part, where to put its result, and its slot.
 */
export function sumOfSquares(numbers: readonly number[], workers: number): number {
  const parts = splitInto(numbers, workers);
  const results = new SharedInt32Array(parts.length, { name: 'results' });
  const threads = parts.map((part, i) => new Thread({ target: squarePart, args: [results, part, i], name: `part-${i + 1}` }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  return results.toArray().reduce((a, b) => a + b, 0);
}

export function main(): number {
  const numbers = Array.from({ length: 100 }, (_, i) => i + 1);
  const total = sumOfSquares(numbers, 4);
  console.log(`the sum of the squares of 1..100 is ${total} (expected 338350)`);
  return total;
}
