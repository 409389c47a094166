/**
 * Stress: real parallel threads, released together from a barrier so that their work
 * overlaps (worker start-up alone would often keep them apart).
 */
import { describe, expect, test } from 'vitest';
import { Barrier, Lock, RLock, Semaphore, SharedInt } from '../src/index.ts';
import { fixture, joinAll, startThread } from './helpers.ts';

const STRESS = fixture('stress');
const THREADS = 4;

describe('stress', () => {
  test.each([
    ['Lock', () => new Lock()],
    ['RLock', () => new RLock()],
    ['Semaphore(1)', () => new Semaphore(1)],
  ])('4 threads x 100,000 increments under a %s lose nothing', async (_kind, make) => {
    const N = 100_000;
    const lock = make();
    const cell = new SharedInt(0);
    const start = new Barrier(THREADS);
    const threads = Array.from({ length: THREADS }, () => startThread(STRESS, 'lockedIncrements', [start, lock, cell, N]));
    await joinAll(threads);
    for (const t of threads) expect(t.error).toBeUndefined();
    expect(cell.value).toBe(THREADS * N);
  });

  test('4 threads of unlocked `cell.value += 1` lose updates', async () => {
    // Each `+= 1` is an atomic read and a separate atomic write: a thread that reads, is
    // overtaken, and writes back erases the other threads' increments. This is a genuine
    // race on every run, not a rare one (measured: 25-45 % lost with 2 threads).
    const N = 1_000_000;
    const cell = new SharedInt(0);
    const start = new Barrier(THREADS);
    const threads = Array.from({ length: THREADS }, () => startThread(STRESS, 'racyIncrements', [start, cell, N]));
    await joinAll(threads);
    for (const t of threads) expect(t.error).toBeUndefined();
    expect(cell.value).toBeGreaterThan(0);
    expect(cell.value, `${THREADS * N - cell.value} of ${THREADS * N} updates lost`).toBeLessThan(THREADS * N);
  });
});
