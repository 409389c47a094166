import { describe, expect, test } from 'vitest';
import { Barrier, BrokenBarrierError, RuntimeError, ValueError } from '../src/index.ts';
import { fixture, joinAll, startThread, until, untilBlocked } from './helpers.ts';

const BARRIERS = fixture('barriers');

describe('Barrier', () => {
  test('wait() returns distinct indices 0..n-1 in each round, and the barrier is reusable', async () => {
    const barrier = new Barrier(3);
    const threads = [0, 1, 2].map(() => startThread(BARRIERS, 'passRounds', [barrier, 4]));
    await joinAll(threads);
    const perThread = threads.map((t) => t.result as number[]);
    for (let round = 0; round < 4; round++) {
      expect(perThread.map((indices) => indices[round]).sort()).toEqual([0, 1, 2]);
    }
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });

  test('nobody passes until the last party arrives', async () => {
    const barrier = new Barrier(3);
    const first = [0, 1].map(() => startThread(BARRIERS, 'waitOnce', [barrier]));
    for (const t of first) await untilBlocked(t, 'Condition');
    expect(barrier.nWaiting).toBe(2);
    expect(first.every((t) => t.isAlive())).toBe(true);
    const last = startThread(BARRIERS, 'waitOnce', [barrier]);
    await joinAll([...first, last]);
    expect([...first, last].map((t) => (t.result as { index: number }).index).sort()).toEqual([0, 1, 2]);
  });

  test('reset() just after the barrier trips lets the threads it released leave with their index, as in Python', async () => {
    for (let round = 0; round < 10; round++) {
      const barrier = new Barrier(2);
      const first = startThread(BARRIERS, 'waitOnce', [barrier]);
      await untilBlocked(first, 'Condition');
      const last = startThread(BARRIERS, 'passThenReset', [barrier]);
      await joinAll([first, last]);
      expect([first.result, last.result]).toEqual([{ index: 0 }, { index: 1 }]);
      expect(barrier.broken).toBe(false);
      expect(barrier.nWaiting).toBe(0);
    }
  });

  test('BrokenBarrierError is a RuntimeError, as in Python, with its own code', async () => {
    expect(new BrokenBarrierError()).toBeInstanceOf(RuntimeError);
    const t = startThread(BARRIERS, 'brokenIsRuntimeError', [new Barrier(2)]);
    await t.joinAsync();
    expect(t.result).toEqual({ isRuntime: true, code: 'BROKEN_BARRIER' });
  });

  test('an action runs once per trip, in the last thread to arrive, before any thread is released', async () => {
    const barrier = new Barrier(3, { action: 'countTrip', module: BARRIERS });
    const threads = [0, 1, 2].map(() => startThread(BARRIERS, 'waitAndCountTrips', [barrier]));
    await joinAll(threads);
    const results = threads.map((t) => t.result as { index: number; trips: number });
    // The action ran in exactly one thread: the one that arrived last (index 2).
    expect(results.map((r) => [r.index, r.trips]).sort()).toEqual([[0, 0], [1, 0], [2, 1]]);
  });

  test('an action that raises breaks the barrier: the last thread gets its error, the others BrokenBarrierError', async () => {
    const barrier = new Barrier(2, { action: 'failingAction', module: BARRIERS });
    const first = startThread(BARRIERS, 'waitCatching', [barrier]);
    await untilBlocked(first, 'Condition');
    const last = startThread(BARRIERS, 'waitCatching', [barrier]);
    await joinAll([first, last]);
    expect(first.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect(last.result).toEqual({ error: 'Error', message: 'the action failed' });
    expect(barrier.broken).toBe(true);
  });

  test('an action that is not a function is refused, naming the option', () => {
    expect(() => new Barrier(2, { action: 42 as never })).toThrow(/options\.action/);
  });

  test('a single-party barrier passes at once with index 0', () => {
    const barrier = new Barrier(1);
    expect(barrier.wait()).toBe(0);
    expect(barrier.wait()).toBe(0);
  });

  test('abort() makes the waiting threads raise BrokenBarrierError, and later waits too', async () => {
    const barrier = new Barrier(3);
    const waiters = [0, 1].map(() => startThread(BARRIERS, 'waitOnce', [barrier]));
    for (const t of waiters) await untilBlocked(t, 'Condition');
    barrier.abort();
    await joinAll(waiters);
    for (const t of waiters) expect(t.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect(barrier.broken).toBe(true);
    const late = startThread(BARRIERS, 'waitOnce', [barrier]);
    await late.joinAsync();
    expect(late.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect(() => barrier.wait()).toThrow(BrokenBarrierError);
    expect(() => barrier.wait()).toThrow(expect.objectContaining({ code: 'BROKEN_BARRIER' }));
  });

  test('a broken barrier raises BrokenBarrierError even for the party that would complete a round', () => {
    const barrier = new Barrier(1);
    barrier.abort();
    expect(() => barrier.wait()).toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.wait()).toBe(0);
  });

  test('reset() after abort() makes the barrier usable again', async () => {
    const barrier = new Barrier(2);
    barrier.abort();
    expect(barrier.broken).toBe(true);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const threads = [0, 1].map(() => startThread(BARRIERS, 'passRounds', [barrier, 2]));
    await joinAll(threads);
    expect(threads.map((t) => (t.result as number[])[1]).sort()).toEqual([0, 1]);
  });

  test('reset() while threads wait makes them raise BrokenBarrierError, and leaves the barrier usable', async () => {
    const barrier = new Barrier(3);
    const waiters = [0, 1].map(() => startThread(BARRIERS, 'waitOnce', [barrier]));
    for (const t of waiters) await untilBlocked(t, 'Condition');
    barrier.reset();
    await joinAll(waiters);
    for (const t of waiters) expect(t.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect(barrier.broken).toBe(false);
    const round = [0, 1, 2].map(() => startThread(BARRIERS, 'waitOnce', [barrier]));
    await joinAll(round);
    expect(round.map((t) => (t.result as { index: number }).index).sort()).toEqual([0, 1, 2]);
  });

  test('a wait() that times out breaks the barrier for every waiter', async () => {
    const barrier = new Barrier(3);
    const patient = startThread(BARRIERS, 'waitOnce', [barrier]);
    await untilBlocked(patient, 'Condition');
    const hasty = startThread(BARRIERS, 'waitOnce', [barrier, 0.05]);
    await joinAll([hasty, patient]);
    expect(hasty.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect((hasty.result as { elapsedMs: number }).elapsedMs).toBeGreaterThanOrEqual(45);
    expect(patient.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect(barrier.broken).toBe(true);
  });

  test('the timeout option is the default timeout of wait()', async () => {
    const barrier = new Barrier(2, { timeout: 0.05 });
    const t = startThread(BARRIERS, 'waitOnce', [barrier]);
    await t.joinAsync();
    expect(t.result).toMatchObject({ error: 'BrokenBarrierError' });
    expect((t.result as { elapsedMs: number }).elapsedMs).toBeGreaterThanOrEqual(45);
    expect(barrier.broken).toBe(true);
  });

  test('nWaiting counts the threads waiting now', async () => {
    const barrier = new Barrier(4);
    expect(barrier.nWaiting).toBe(0);
    const waiters = [0, 1, 2].map(() => startThread(BARRIERS, 'waitOnce', [barrier]));
    // Polled while the threads arrive: reading nWaiting never blocks the supervisor.
    await until(() => barrier.nWaiting === 3, 'three threads wait');
    expect(barrier.parties).toBe(4);
    // abort() takes the barrier's lock: wait until no thread is passing it.
    for (const t of waiters) await untilBlocked(t, 'Condition');
    barrier.abort();
    await joinAll(waiters);
  });

  test('parties that is not an integer >= 1 throws ValueError naming it', () => {
    expect(() => new Barrier(0)).toThrow(ValueError);
    expect(() => new Barrier(0)).toThrow('Expected `parties` to be an integer >= 1, got `0` (number)');
    expect(() => new Barrier(2.5)).toThrow(ValueError);
    expect(() => new Barrier(2, { timeout: -1 })).toThrow(ValueError);
  });
});
