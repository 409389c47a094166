import type { SharedInt } from '@threadlings/core';

/**
 * Adds one to the counter, the way `counter += 1` does: two steps, a read and a write.
 * Steps of a schedule: 1. read `counter.value`, 2. write it back plus one.
 */
export function increment(counter: SharedInt): void {
  const current = counter.value; // step 1: read
  counter.value = current + 1; // step 2: write
}
