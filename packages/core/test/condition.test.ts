import { describe, expect, test } from 'vitest';
import { Condition, Event, Lock, RLock, SharedInt, SupervisorBlockError, ValueError } from '../src/index.ts';
import { fixture, joinAll, startThread, until, untilBlocked } from './helpers.ts';

const CONDITIONS = fixture('conditions');
const LOCKS = fixture('locks');

type AnyLock = Lock | RLock;

/** Takes a condition's lock on the supervisor (waiters hold it only for moments). */
async function lockOnSupervisor(cond: Condition): Promise<void> {
  expect(await (cond.lock as AnyLock).acquireAsync(10)).toBe(true);
}

async function notifyOnSupervisor(cond: Condition, n: number): Promise<void> {
  await lockOnSupervisor(cond);
  try {
    cond.notify(n);
  } finally {
    cond.release();
  }
}

/** The queue length, read holding the lock. */
async function waitingCount(cond: Condition): Promise<number> {
  await lockOnSupervisor(cond);
  try {
    return cond.waiting;
  } finally {
    cond.release();
  }
}

const LOCK_KINDS: Array<{ kind: string; make: () => Condition }> = [
  { kind: 'the default RLock', make: () => new Condition() },
  { kind: 'a Lock', make: () => new Condition(new Lock()) },
];

describe.each(LOCK_KINDS)('Condition over $kind', ({ make }) => {
  test('wait() and notify() without holding the lock throw RuntimeError', async () => {
    const cond = make();
    expect(() => cond.wait()).toThrow(expect.objectContaining({ name: 'RuntimeError', message: 'cannot wait on un-acquired lock' }));
    expect(() => cond.notify()).toThrow(expect.objectContaining({ name: 'RuntimeError', message: 'cannot notify on un-acquired lock' }));
    const t = startThread(CONDITIONS, 'useUnheld', [cond]);
    await t.joinAsync();
    expect((t.result as Array<{ message: string } | null>).map((e) => e?.message)).toEqual([
      'cannot wait on un-acquired lock',
      'cannot wait on un-acquired lock',
      'cannot notify on un-acquired lock',
      'cannot notify on un-acquired lock',
    ]);
  });

  test('wait() and notify() while another thread holds the lock throw RuntimeError', async () => {
    const cond = make();
    const held = new Event();
    const letGo = new Event();
    const h = startThread(LOCKS, 'holdUntil', [cond, held, letGo]);
    await held.waitAsync();
    const t = startThread(CONDITIONS, 'useUnheld', [cond]);
    await t.joinAsync();
    expect((t.result as Array<{ name: string } | null>).map((e) => e?.name)).toEqual(['RuntimeError', 'RuntimeError', 'RuntimeError', 'RuntimeError']);
    letGo.set();
    await h.joinAsync();
  });

  test('notify(n) wakes exactly n of the waiting threads, and notifyAll() the rest', async () => {
    const cond = make();
    const woke = new SharedInt(0);
    const waiters = [0, 1, 2, 3, 4].map((i) => startThread(CONDITIONS, 'waitOnce', [cond, woke], { name: `waiter-${i}` }));
    for (const t of waiters) await untilBlocked(t, 'Condition');
    expect(await waitingCount(cond)).toBe(5);

    await notifyOnSupervisor(cond, 2);
    // Hand-shake: the two woken threads count themselves and end.
    await until(() => woke.value === 2 && waiters.filter((t) => !t.isAlive()).length === 2, 'two waiters woke and ended');
    // The other three were not chosen: they are still in the queue, still blocked.
    expect(await waitingCount(cond)).toBe(3);
    const rest = waiters.filter((t) => t.isAlive());
    expect(rest).toHaveLength(3);
    for (const t of rest) await untilBlocked(t, 'Condition');
    expect(woke.value).toBe(2);

    await lockOnSupervisor(cond);
    cond.notifyAll();
    expect(cond.waiting).toBe(0);
    cond.release();
    await joinAll(waiters);
    expect(woke.value).toBe(5);
    for (const t of waiters) expect(t.result).toMatchObject({ notified: true, ownedAfter: true });
  });

  test('notify() wakes the longest-waiting thread first', async () => {
    const cond = make();
    const woke = new SharedInt(0);
    const order = new SharedInt(0);
    const waiters = [];
    // Each waiter is in the queue before the next one starts.
    for (const i of [1, 2, 3]) {
      const t = startThread(CONDITIONS, 'waitAndRecordOrder', [cond, woke, order], { name: `waiter-${i}` });
      await untilBlocked(t, 'Condition');
      waiters.push(t);
    }
    for (const n of [1, 2, 3]) {
      await notifyOnSupervisor(cond, 1);
      await until(() => woke.value === n, `waiter ${n} woke`);
    }
    await joinAll(waiters);
    expect(order.value).toBe(123);
  });

  test('notify() with nobody waiting does nothing', () => {
    const cond = make();
    cond.acquire();
    cond.notify();
    cond.notify(3);
    cond.notifyAll();
    expect(cond.waiting).toBe(0);
    cond.release();
    expect(() => {
      cond.acquire();
      try {
        cond.notify(-1);
      } finally {
        cond.release();
      }
    }).toThrow(ValueError);
  });

  test('wait(timeout) returns false once the timeout has passed, holding the lock again', async () => {
    const cond = make();
    const woke = new SharedInt(0);
    const t = startThread(CONDITIONS, 'waitOnce', [cond, woke, 0.05]);
    await t.joinAsync();
    const r = t.result as { notified: boolean; elapsedMs: number; ownedAfter: boolean };
    expect(r.notified).toBe(false);
    expect(r.ownedAfter).toBe(true);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
    // It left the queue: nobody is waiting.
    expect(await waitingCount(cond)).toBe(0);
  });

  test('a notify() after a waiter timed out goes to a thread still waiting', async () => {
    const cond = make();
    const woke = new SharedInt(0);
    const patient = startThread(CONDITIONS, 'waitOnce', [cond, woke], { name: 'patient' });
    await untilBlocked(patient, 'Condition');
    const hasty = startThread(CONDITIONS, 'waitOnce', [cond, woke, 0.05], { name: 'hasty' });
    await hasty.joinAsync();
    expect(hasty.result).toMatchObject({ notified: false });
    await notifyOnSupervisor(cond, 1);
    await patient.joinAsync();
    expect(patient.result).toMatchObject({ notified: true, ownedAfter: true });
    expect(woke.value).toBe(2);
  });

  test('waitFor(predicate) re-checks after every wake-up and returns once the predicate holds', async () => {
    const cond = make();
    const cell = new SharedInt(0);
    const t = startThread(CONDITIONS, 'waitForValue', [cond, cell, 3]);
    for (let round = 1; round <= 3; round++) {
      // Hand-shake: the waiter is back in the queue (blocked, and counted by the condition).
      await until(() => t.waitingFor?.objectKind === 'Condition' && cond.waiting === 1, `the waiter waits (round ${round})`);
      await lockOnSupervisor(cond);
      cell.add(1);
      cond.notifyAll();
      cond.release();
    }
    await t.joinAsync();
    expect(t.result).toMatchObject({ result: true, seen: 3, ownedAfter: true });
  });

  test('waitFor(predicate) returns at once when the predicate already holds', async () => {
    const cond = make();
    const cell = new SharedInt(5);
    const t = startThread(CONDITIONS, 'waitForValue', [cond, cell, 3]);
    await t.joinAsync();
    expect(t.result).toMatchObject({ result: true, seen: 5 });
  });

  test('waitFor(predicate, timeout) returns the false predicate once the timeout has passed', async () => {
    const cond = make();
    const cell = new SharedInt(0);
    const t = startThread(CONDITIONS, 'waitForValue', [cond, cell, 1, 0.05]);
    await t.joinAsync();
    const r = t.result as { result: boolean; elapsedMs: number; ownedAfter: boolean };
    expect(r.result).toBe(false);
    expect(r.ownedAfter).toBe(true);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(45);
  });

  test('wait() on the supervising thread throws SupervisorBlockError and leaves the lock held, the queue empty', () => {
    const cond = make();
    cond.acquire();
    expect(() => cond.wait()).toThrow(SupervisorBlockError);
    expect(cond.lock.isOwned()).toBe(true);
    expect(cond.waiting).toBe(0);
    cond.release();
  });
});

describe('Condition', () => {
  test('uses a new RLock when given no lock', () => {
    const cond = new Condition();
    expect(cond.lock).toBeInstanceOf(RLock);
  });

  test("the lock a Condition makes itself is named after it in reports, in every thread; a lock passed in keeps its own name", async () => {
    const cond = new Condition(undefined, { name: 'items' });
    expect(cond.lock.toString()).toBe("<Condition 'items' (its lock)>");
    expect(new Condition(new Lock({ name: 'queue' }), { name: 'items' }).lock.toString()).toBe("<Lock 'queue'>");
    expect(String(new Condition().lock)).toMatch(/^<Condition#\d+ \(its lock\)>$/);
    const held = new Event();
    const letGo = new Event();
    const holder = startThread(LOCKS, 'holdUntil', [cond, held, letGo], { name: 'holder' });
    await held.waitAsync(10);
    const waiter = startThread(LOCKS, 'acquireAndMark', [cond.lock, new SharedInt(0)], { name: 'waiter' });
    await untilBlocked(waiter);
    expect(waiter.waitingFor?.objectLabel).toBe("Condition 'items' (its lock)");
    letGo.set();
    await joinAll([holder, waiter]);
  });

  test('a lock argument that is not a Lock or RLock throws ValueError naming it', () => {
    expect(() => new Condition(42 as unknown as Lock)).toThrow('Expected `lock` to be a Lock or RLock, got `42` (number)');
  });

  test('wait() releases an RLock held recursively and restores its level afterwards', async () => {
    const cond = new Condition(new RLock());
    const t = startThread(CONDITIONS, 'waitHoldingTwice', [cond]);
    await untilBlocked(t, 'Condition');
    // The waiter holds the RLock twice, yet while it waits the lock is free.
    expect(cond.acquire(false)).toBe(true);
    cond.notify();
    cond.release();
    await t.joinAsync();
    expect(t.result).toEqual({ notified: true, thirdRelease: { name: 'RuntimeError', code: 'RUNTIME_ERROR', message: 'cannot release un-acquired lock' } });
  });
});
