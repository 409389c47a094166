/*
 * The arithmetic: a helper you call and do not edit. It marks its work for the grader's
 * work gauge, which sees how many threads are inside at once.
 */
import { gauge } from '@threadlings/grader/gauge';

/** The sum of the squares of `part`. */
export function squareAll(part: readonly number[]): number {
  return gauge.measure(() => {
    let sum = 0;
    for (const n of part) {
      // A moment of work per number, so that the parts take a while.
      let spin = n | 0;
      for (let i = 0; i < 40_000; i++) spin = Math.imul(spin ^ (spin >>> 7), 0x45d9f3b) ^ i;
      sum += n * n + (spin & 0);
    }
    return sum;
  });
}

/** `numbers` cut into `count` parts of about the same size. */
export function splitInto<T>(numbers: readonly T[], count: number): T[][] {
  const size = Math.ceil(numbers.length / count);
  return Array.from({ length: count }, (_, i) => numbers.slice(i * size, (i + 1) * size));
}
