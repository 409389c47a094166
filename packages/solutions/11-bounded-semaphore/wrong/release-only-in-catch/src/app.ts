import { BoundedSemaphore, type Semaphore, Thread, type SharedInt32Array } from '@threadlings/core';
import { POOL_SIZE, QueryFailed, newStats, query, readStats } from './lib/database.ts';

/** The pool of the database's connections: one permit per connection. */
type Pool = Semaphore; // a BoundedSemaphore is a Semaphore too

/** The pool the application shares between its clients. */
export function openPool(): Pool {
  // Bounded: a release() past POOL_SIZE raises ValueError instead of growing the pool.
  return new BoundedSemaphore(POOL_SIZE, { name: 'pool' });
}

/**
 * A client runs its queries one after another, each on a connection taken from the pool.
 * A query that fails is reported (counted in the result) and the client goes on.
 */
export function client(stats: SharedInt32Array, pool: Pool, ids: readonly number[]): number {
  let failed = 0;
  for (const id of ids) {
    pool.acquire();
    try {
      query(stats, id);
    } catch (e) {
      if (!(e instanceof QueryFailed)) throw e;
      failed++;
      // The connection of a failed query is given back, as it must be.
      pool.release();
    }
  }
  return failed;
}

/**
 * The application: one client thread per list of query ids, sharing one pool. Returns how
 * many queries failed.
 */
export function serve(stats: SharedInt32Array, queries: readonly (readonly number[])[], pool: Pool = openPool()): number {
  const clients = queries.map((ids, i) => new Thread({ target: client, args: [stats, pool, ids], name: `client-${i + 1}` }));
  for (const c of clients) c.start();
  for (const c of clients) c.join();
  // A client that raised is a bug of the application: serve fails with its error, where it was raised.
  const crashed = clients.find((c) => c.error !== undefined);
  if (crashed?.error !== undefined) throw new Error(`${crashed.name} raised ${crashed.error.stack}`);
  return clients.reduce((sum, c) => sum + (c.result as number), 0);
}

export function main(): void {
  const stats = newStats();
  const pool = openPool();
  // Six clients, each with a first query that fails and five that succeed.
  const failed = serve(stats, Array.from({ length: 6 }, (_, i) => [-(i + 1), ...[1, 2, 3, 4, 5].map((j) => i * 10 + j)]), pool);
  const { peak, served } = readStats(stats);
  console.log(`${served} queries served, ${failed} failed; at most ${peak} of ${POOL_SIZE} connections in use at once`);
  console.log(`The pool has ${pool.value} permits left, with every client gone: it was opened with ${POOL_SIZE}.`);
}
