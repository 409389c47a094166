import { supervisor, threadTable, type ThreadRecord } from '@threadlings/core/internal';

/**
 * Ending a run's threads. A run is over when every thread started in it has ended, the
 * ones the submission started itself included (as a Python program waits for its
 * non-daemon threads); daemon threads still running then are stopped. When the watchdog
 * found trouble, everything is stopped.
 */

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Live threads other than the supervisor. */
export function liveThreads(): ThreadRecord[] {
  return threadTable().filter((r) => r.slot !== 0);
}

/**
 * Waits until no non-daemon thread is alive, then stops the daemon threads.
 * Resolves at once in the usual case (the run's threads were joined, nothing else runs).
 * Runs under the watchdog, which stops everything if this takes too long.
 */
export async function awaitOtherThreads(): Promise<void> {
  for (;;) {
    const live = liveThreads();
    if (live.every((r) => r.daemon)) {
      if (live.length > 0) await supervisor().terminate(new Set(live.map((r) => r.ident)));
      return;
    }
    await pause(2);
  }
}

/**
 * Stops every thread but the supervisor, including threads started while it stops them
 * (a start() on its way when its starter was stopped), and frees slots that no worker
 * will ever run.
 */
export async function stopAllThreads(): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const live = liveThreads();
    if (live.length === 0) return;
    await supervisor().terminate(new Set(live.map((r) => r.ident)));
    // A thread stopped just after asking for a child's worker: the request may still arrive.
    await pause(round < 3 ? 5 : 20);
    if (round >= 3) supervisor().reapOrphans();
  }
}

/**
 * Waits (briefly) until every worker whose thread has ended is back in the pool, so that
 * the next run reuses them instead of starting new ones: a worker reports that it is
 * idle just after its thread ends, and starting a worker costs 50-100 ms.
 */
export async function settlePool(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([supervisor().settle(), new Promise((resolve) => (timer = setTimeout(resolve, 100)))]);
  clearTimeout(timer);
}
