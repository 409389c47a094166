import { Lock, Semaphore, Thread, type SharedInt32Array } from '@threadlings/core';
import { POOL_SIZE, QueryFailed, newStats, query, readStats } from './lib/database.ts';

/** What `acquire()`/`release()` the pool needs: a Lock and a Semaphore both have them. */
type Pool = Lock | Semaphore;

/**
 * A client runs its queries one after another, each on a connection taken from the pool.
 * A query that fails is reported (counted in the result) and the client goes on.
 */
export function client(stats: SharedInt32Array, _shared: Pool, ids: readonly number[]): number {
  // Each client makes its own pool: none of them ever waits for another.
  const pool = new Semaphore(POOL_SIZE);
  let failed = 0;
  for (const id of ids) {
    pool.acquire();
    try {
      query(stats, id);
    } catch (e) {
      if (!(e instanceof QueryFailed)) throw e;
      failed++;
    } finally {
      // Every path gives the connection back, so the pool never runs out of permits.
      pool.release();
    }
  }
  return failed;
}

/**
 * The application: a pool of the database's POOL_SIZE connections, shared by one client
 * thread per list of query ids. Returns how many queries failed.
 */
export function serve(stats: SharedInt32Array, queries: readonly (readonly number[])[]): number {
  const pool: Pool = new Lock({ name: 'unused' });
  const clients = queries.map((ids, i) => new Thread({ target: client, args: [stats, pool, ids], name: `client-${i + 1}` }));
  for (const c of clients) c.start();
  for (const c of clients) c.join();
  return clients.reduce((sum, c) => sum + (c.result as number), 0);
}

export function main(): void {
  const stats = newStats();
  const failed = serve(stats, Array.from({ length: 6 }, (_, i) => [i * 10 + 1, i * 10 + 2, -(i + 1)]));
  const { peak, served } = readStats(stats);
  console.log(`${served} queries served, ${failed} failed; at most ${peak} of ${POOL_SIZE} connections in use at once`);
}
