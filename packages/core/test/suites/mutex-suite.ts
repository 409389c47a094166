/**
 * The contract every mutual-exclusion lock of the core keeps (Lock and RLock), written
 * once and run against each, after CPython's Lib/test/lock_tests.py BaseLockTests.
 */
import { describe, expect, test } from 'vitest';
import { Barrier, Event, SharedInt, SupervisorBlockError, ValueError, type Lock, type RLock } from '../../src/index.ts';
import { fixture, joinAll, startThread, untilBlocked } from '../helpers.ts';

const LOCKS = fixture('locks');
const STRESS = fixture('stress');

export interface MutexContract {
  readonly kind: 'Lock' | 'RLock';
  make(name?: string): Lock | RLock;
  /** What release() of a lock the caller does not hold says. */
  readonly releaseUnheldMessage: string;
}

/** A thread that holds `lock` until the returned `letGo` is set. */
async function holder(lock: Lock | RLock): Promise<{ thread: ReturnType<typeof startThread>; letGo: Event }> {
  const held = new Event();
  const letGo = new Event();
  const thread = startThread(LOCKS, 'holdUntil', [lock, held, letGo], { name: 'holder' });
  await held.waitAsync();
  return { thread, letGo };
}

export function mutexSuite(c: MutexContract): void {
  describe(`${c.kind}: mutual exclusion contract`, () => {
    test('acquire() blocks while another thread holds the lock, and returns once it is released', async () => {
      const lock = c.make();
      const mark = new SharedInt(0);
      const { thread: h, letGo } = await holder(lock);
      const waiter = startThread(LOCKS, 'acquireAndMark', [lock, mark], { name: 'waiter' });
      await untilBlocked(waiter, c.kind);
      expect(mark.value).toBe(0);
      letGo.set();
      await joinAll([h, waiter]);
      expect(mark.value).toBe(1);
      expect(lock.owner).toBe(0);
    });

    test('acquire(false) returns false while another thread holds the lock, true once it is free', async () => {
      const lock = c.make();
      const { thread: h, letGo } = await holder(lock);
      expect(lock.acquire(false)).toBe(false);
      const probe = startThread(LOCKS, 'tryAcquire', [lock]);
      await probe.joinAsync();
      expect(probe.result).toBe(false);
      letGo.set();
      await h.joinAsync();
      const again = startThread(LOCKS, 'tryAcquire', [lock]);
      await again.joinAsync();
      expect(again.result).toBe(true);
    });

    test('acquire(true, timeout) returns false once the timeout has passed, and the lock still works after it', async () => {
      const lock = c.make();
      const { thread: h, letGo } = await holder(lock);
      const timed = startThread(LOCKS, 'timedAcquire', [lock, 0.05]);
      await timed.joinAsync();
      const r = timed.result as { acquired: boolean; elapsedMs: number };
      expect(r.acquired).toBe(false);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
      // The timed-out waiter left no trace: the holder releases normally and others acquire.
      letGo.set();
      await h.joinAsync();
      expect(lock.owner).toBe(0);
      const after = startThread(LOCKS, 'timedAcquire', [lock, 5]);
      await after.joinAsync();
      expect((after.result as { acquired: boolean }).acquired).toBe(true);
    });

    test('a thread blocked on the held lock is "blocked", waiting for the lock, held by the holder', async () => {
      const lock = c.make('accountA');
      const mark = new SharedInt(0);
      const { thread: h, letGo } = await holder(lock);
      const waiter = startThread(LOCKS, 'acquireAndMark', [lock, mark], { name: 'waiter' });
      await untilBlocked(waiter, c.kind);
      expect(waiter.state).toBe('blocked');
      expect(waiter.isAlive()).toBe(true);
      expect(waiter.waitingFor).toMatchObject({
        op: 'acquire',
        objectKind: c.kind,
        objectId: lock.id,
        objectLabel: `${c.kind} 'accountA'`,
        holder: h.ident,
      });
      expect(lock.owner).toBe(h.ident);
      letGo.set();
      await joinAll([h, waiter]);
      expect(waiter.state).toBe('done');
      expect(waiter.waitingFor).toBeNull();
    });

    test('acquire() on the supervising thread throws SupervisorBlockError instead of blocking it', async () => {
      const lock = c.make();
      const { thread: h, letGo } = await holder(lock);
      expect(() => lock.acquire()).toThrow(SupervisorBlockError);
      expect(() => lock.acquire()).toThrow(/would block the supervising thread/);
      letGo.set();
      await h.joinAsync();
      expect(lock.acquire(false)).toBe(true);
      lock.release();
    });

    test('acquireAsync() waits on the supervisor until the holder releases', async () => {
      const lock = c.make();
      const { thread: h, letGo } = await holder(lock);
      let got = false;
      const pending = lock.acquireAsync().then((ok) => (got = ok));
      await new Promise((resolve) => setImmediate(resolve));
      expect(got).toBe(false);
      letGo.set();
      await pending;
      expect(got).toBe(true);
      expect(lock.owner).toBe(1);
      lock.release();
      await h.joinAsync();
    });

    test('release() of a lock nobody holds throws RuntimeError', () => {
      const lock = c.make();
      expect(() => lock.release()).toThrow(expect.objectContaining({ name: 'RuntimeError', code: 'RUNTIME_ERROR', message: c.releaseUnheldMessage }));
      // The failed release changed nothing.
      expect(lock.acquire(false)).toBe(true);
      lock.release();
      expect(lock.owner).toBe(0);
    });

    test('a timeout with a non-blocking acquire throws ValueError', () => {
      const lock = c.make();
      expect(() => lock.acquire(false, 1)).toThrow(ValueError);
      expect(() => lock.acquire(false, 1)).toThrow("can't specify a timeout for a non-blocking call");
      expect(lock.owner).toBe(0);
    });

    test('a negative timeout other than -1 throws ValueError naming the timeout; -1 means no timeout', () => {
      const lock = c.make();
      expect(() => lock.acquire(true, -2)).toThrow(ValueError);
      expect(() => lock.acquire(true, -0.5)).toThrow('Expected `timeout` to be a number of seconds >= 0, or -1 for no timeout, got `-0.5` (number)');
      expect(() => lock.acquire(true, Number.NaN)).toThrow(ValueError);
      expect(lock.acquire(true, -1)).toBe(true);
      lock.release();
    });

    test('a non-boolean blocking argument throws ValueError naming it', () => {
      const lock = c.make();
      expect(() => lock.acquire(1 as unknown as boolean)).toThrow('Expected `blocking` to be a boolean, got `1` (number)');
    });

    test('with() returns what fn returns and releases the lock', () => {
      const lock = c.make();
      expect(lock.with(() => lock.owner)).toBe(1);
      expect(lock.owner).toBe(0);
    });

    test('with() releases the lock when fn throws, and rethrows', () => {
      const lock = c.make();
      expect(() =>
        lock.with(() => {
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(lock.owner).toBe(0);
      expect(lock.acquire(false)).toBe(true);
      lock.release();
    });

    test('hold() in a `using` block releases the lock when the block ends, normally or by a throw', async () => {
      const lock = c.make();
      for (const throwInside of [false, true]) {
        const t = startThread(LOCKS, 'holdWithUsing', [lock, throwInside]);
        await t.joinAsync();
        expect(t.result).toEqual(throwInside ? { name: 'Error', code: undefined, message: 'thrown while holding' } : null);
        expect(lock.owner).toBe(0);
      }
      {
        using _held = lock.hold();
        expect(lock.owner).toBe(1);
      }
      expect(lock.owner).toBe(0);
    });

    test('4 threads x 20,000 locked read-modify-write increments lose no update', async () => {
      const lock = c.make();
      const cell = new SharedInt(0);
      const start = new Barrier(4);
      const threads = [0, 1, 2, 3].map(() => startThread(STRESS, 'lockedIncrements', [start, lock, cell, 20_000]));
      await joinAll(threads);
      expect(cell.value).toBe(80_000);
    });
  });
}
