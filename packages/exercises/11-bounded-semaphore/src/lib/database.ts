/*
 * The database: helpers you call and do not edit. The database accepts at most
 * POOL_SIZE connections at once; `query` counts, in shared memory, how many are in use
 * and the most there ever were, and marks its work for the grader's work gauge.
 */
import { SharedInt32Array } from '@threadlings/core';
import { gauge } from '@threadlings/grader/gauge';

/** How many connections the database accepts at once. */
export const POOL_SIZE = 3;

const IN_USE = 0;
const PEAK = 1;
const SERVED = 2;

/** The database's counters: [connections in use, the most in use at once, queries served]. */
export function newStats(): SharedInt32Array {
  return new SharedInt32Array(3, { name: 'database stats' });
}

/** Thrown by a query that fails (here: a query of a negative id). */
export class QueryFailed extends Error {
  constructor(id: number) {
    super(`query ${id} failed`);
    this.name = 'QueryFailed';
  }
}

/** Runs query `id` on a connection of the database. Call it only while you hold one of the pool's connections. */
export function query(stats: SharedInt32Array, id: number): number {
  const inUse = stats.add(IN_USE, 1);
  let peak = stats.get(PEAK);
  while (inUse > peak && !stats.compareAndSet(PEAK, peak, inUse)) peak = stats.get(PEAK);
  try {
    if (id < 0) throw new QueryFailed(id);
    return gauge.measure(() => {
      let h = id | 0;
      for (let i = 0; i < 1_000_000; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ i;
      stats.add(SERVED, 1);
      return h;
    });
  } finally {
    stats.add(IN_USE, -1);
  }
}

/** What the counters say. */
export function readStats(stats: SharedInt32Array): { inUse: number; peak: number; served: number } {
  return { inUse: stats.get(IN_USE), peak: stats.get(PEAK), served: stats.get(SERVED) };
}
