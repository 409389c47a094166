/**
 * The counting contract of Semaphore and BoundedSemaphore, written once and run against
 * both (after CPython's Lib/test/lock_tests.py BaseSemaphoreTests).
 */
import { describe, expect, test } from 'vitest';
import { Event, SharedInt, ValueError, type Semaphore } from '../../src/index.ts';
import { fixture, joinAll, startThread, until, untilBlocked } from '../helpers.ts';

const LOCKS = fixture('locks');

export interface SemaphoreContract {
  readonly kind: 'Semaphore' | 'BoundedSemaphore';
  make(value?: number): Semaphore;
}

/** A semaphore made with `initial` and taken down to zero (a BoundedSemaphore's bound stays `initial`). */
function drained(c: SemaphoreContract, initial: number): Semaphore {
  const sem = c.make(initial);
  for (let i = 0; i < initial; i++) expect(sem.acquire(false)).toBe(true);
  expect(sem.value).toBe(0);
  return sem;
}

export function semaphoreSuite(c: SemaphoreContract): void {
  describe(`${c.kind}: counting contract`, () => {
    test('a negative initial value throws ValueError', () => {
      expect(() => c.make(-1)).toThrow(ValueError);
      expect(() => c.make(-1)).toThrow('semaphore initial value must be >= 0, got -1');
      expect(() => c.make(1.5)).toThrow('Expected `value` to be an integer >= 0, got `1.5` (number)');
    });

    test('the default initial value is 1', () => {
      const sem = c.make();
      expect(sem.value).toBe(1);
      expect(sem.acquire(false)).toBe(true);
      expect(sem.acquire(false)).toBe(false);
      sem.release();
    });

    test('acquire() decrements the value while it is above zero, without blocking', async () => {
      const sem = c.make(3);
      const passed = new SharedInt(0);
      const threads = [0, 1, 2].map(() => startThread(LOCKS, 'acquireAndCount', [sem, passed]));
      await joinAll(threads);
      expect(passed.value).toBe(3);
      expect(sem.value).toBe(0);
    });

    test('acquire() blocks at zero until another thread releases', async () => {
      const sem = drained(c, 1);
      const passed = new SharedInt(0);
      const t = startThread(LOCKS, 'acquireAndCount', [sem, passed], { name: 'taker' });
      await untilBlocked(t, c.kind);
      expect(t.waitingFor).toMatchObject({ op: 'acquire', objectId: sem.id, holder: 0 });
      expect(passed.value).toBe(0);
      expect(sem.waiting).toBe(1);
      sem.release();
      await t.joinAsync();
      expect(passed.value).toBe(1);
      expect(sem.value).toBe(0);
      expect(sem.waiting).toBe(0);
    });

    test('release(n) lets exactly n of the blocked threads through', async () => {
      const sem = drained(c, 2);
      const passed = new SharedInt(0);
      const threads = [0, 1, 2].map((i) => startThread(LOCKS, 'acquireAndCount', [sem, passed], { name: `taker-${i}` }));
      for (const t of threads) await untilBlocked(t, c.kind);
      sem.release(2);
      await until(() => threads.filter((t) => !t.isAlive()).length === 2, 'two takers passed and ended');
      // Both units were taken, so the third taker cannot pass: it is still waiting.
      expect(passed.value).toBe(2);
      expect(sem.value).toBe(0);
      const waiting = threads.filter((t) => t.isAlive());
      expect(waiting).toHaveLength(1);
      await untilBlocked(waiting[0]!, c.kind);
      expect(passed.value).toBe(2);
      sem.release();
      await joinAll(threads);
      expect(passed.value).toBe(3);
    });

    test('at most `value` threads are inside at once, and that many do get in', async () => {
      const sem = c.make(3);
      const inside = new SharedInt(0);
      const maxInside = new SharedInt(0);
      const gate = new Event();
      const threads = [0, 1, 2, 3, 4, 5].map((i) => startThread(LOCKS, 'occupy', [sem, inside, maxInside, gate], { name: `user-${i}` }));
      await until(() => inside.value === 3 && threads.filter((t) => t.waitingFor?.objectKind === c.kind).length === 3, 'three users inside, three waiting');
      expect(maxInside.value).toBe(3);
      gate.set();
      await joinAll(threads);
      expect(maxInside.value).toBe(3);
      expect(inside.value).toBe(0);
      expect(sem.value).toBe(3);
    });

    test('acquire(false) at zero returns false at once', async () => {
      const sem = drained(c, 1);
      expect(sem.acquire(false)).toBe(false);
      const t = startThread(LOCKS, 'tryAcquire', [sem]);
      await t.joinAsync();
      expect(t.result).toBe(false);
      expect(sem.value).toBe(0);
    });

    test('acquire(true, timeout) at zero returns false once the timeout has passed, and the count is intact', async () => {
      const sem = drained(c, 1);
      const t = startThread(LOCKS, 'timedAcquire', [sem, 0.05]);
      await t.joinAsync();
      const r = t.result as { acquired: boolean; elapsedMs: number };
      expect(r.acquired).toBe(false);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
      expect(sem.value).toBe(0);
      expect(sem.waiting).toBe(0);
      sem.release();
      const again = startThread(LOCKS, 'timedAcquire', [sem, 5]);
      await again.joinAsync();
      expect((again.result as { acquired: boolean }).acquired).toBe(true);
      expect(sem.value).toBe(1);
    });

    test('a timeout with a non-blocking acquire throws ValueError', () => {
      const sem = c.make(1);
      expect(() => sem.acquire(false, 1)).toThrow("can't specify a timeout for a non-blocking call");
      expect(() => sem.acquire(true, -2)).toThrow(ValueError);
      expect(sem.value).toBe(1);
    });

    test('release(n) with n < 1 throws ValueError and changes nothing', () => {
      const sem = drained(c, 2);
      expect(() => sem.release(0)).toThrow('n must be one or more');
      expect(() => sem.release(1.5)).toThrow('Expected `n` to be an integer >= 1, got `1.5` (number)');
      expect(sem.value).toBe(0);
    });

    test('with() releases the semaphore when fn throws', () => {
      const sem = c.make(1);
      expect(() =>
        sem.with(() => {
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(sem.value).toBe(1);
    });

    test('acquireAsync() waits on the supervisor until a thread releases', async () => {
      const sem = drained(c, 1);
      let got = false;
      const pending = sem.acquireAsync().then((ok) => (got = ok));
      await until(() => sem.waiting === 1, 'the supervisor waits');
      expect(got).toBe(false);
      const t = startThread(LOCKS, 'releaseCatching', [sem]);
      await t.joinAsync();
      expect(t.result).toBeNull();
      await pending;
      expect(got).toBe(true);
      expect(sem.value).toBe(0);
    });
  });
}
