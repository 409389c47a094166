import type { SharedInt } from '@threadlings/core';

/** `n` atomic additions: each one scheduling point. */
export function addTimes(counter: SharedInt, n: number): void {
  for (let i = 0; i < n; i++) counter.add(1);
}
