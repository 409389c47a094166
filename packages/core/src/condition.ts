import { remaining } from './async-wait.ts';
import { RuntimeError, argumentError, checkTimeout } from './errors.ts';
import { registerHandleKind, unpack, type PackedHandle } from './handles.ts';
import { MAX_THREADS, T_PARK, slotBase } from './layout.ts';
import type { ConditionLock } from './lock.ts';
import { SharedPrimitive, type SharedOptions } from './primitive.ts';
import { RLock } from './rlock.ts';
import { runtime } from './runtime.ts';
import { block, now, point, seam, wake, type WaitTarget } from './seam.ts';

/*
 * The waiters form a FIFO queue of (thread slot, ticket) entries in the condition's own
 * memory. The queue is only touched by a thread that holds the condition's lock, which
 * wait() and notify() both require, so it needs no lock of its own.
 *
 * A waiter parks on its own word in the thread table (T_PARK), set to 0 before it joins
 * the queue. notify() pops an entry and writes the entry's ticket into that thread's
 * word, then wakes it: each notify wakes exactly the thread it chose. A waiter whose
 * timeout ends first takes its entry out of the queue once it holds the lock again.
 */
const HEAD = 0;
const LENGTH = 1;
const TICKET = 2;
const QUEUE = 3;
const CAPACITY = MAX_THREADS;
/** Rounds of spinning before wait() parks: in a hand-off between two threads the notify often lands within them. */
const SPINS = 500;

function parkTarget(slot: number): WaitTarget {
  const index = slotBase(slot) + T_PARK;
  return { i32: runtime().i32, index, key: -1 - index };
}

/**
 * A condition variable, as Python's `threading.Condition`: threads holding its lock wait
 * for a change that another thread announces with `notify()`.
 *
 * @example
 * ```ts
 * const ready = new Condition();               // over a new RLock
 * ready.with(() => {
 *   while (queue.length === 0) ready.wait();   // `while`, not `if`: re-check after waking
 *   take(queue);
 * });
 * ```
 */
export class Condition extends SharedPrimitive {
  readonly lock: ConditionLock & { with<T>(fn: () => T): T; hold(): Disposable };

  /** @param lock the lock to use; a new RLock by default. */
  constructor(lock?: ConditionLock & { with<T>(fn: () => T): T; hold(): Disposable }, options?: SharedOptions, from?: PackedHandle) {
    super('Condition', QUEUE + CAPACITY * 2, options, from);
    if (from !== undefined) {
      this.lock = unpack(from['lock']) as Condition['lock'];
      return;
    }
    if (lock !== undefined && (typeof lock !== 'object' || typeof (lock as ConditionLock).releaseSave !== 'function')) {
      throw argumentError('lock', 'a Lock or RLock', lock);
    }
    if (lock !== undefined) {
      this.lock = lock;
      return;
    }
    const own = new RLock();
    SharedPrimitive.markPartOf(own, this);
    this.lock = own;
  }

  protected override packExtra(): Record<string, unknown> {
    return { lock: (this.lock as unknown as SharedPrimitive).pack() };
  }

  acquire(blocking = true, timeout = -1): boolean {
    return this.lock.acquire(blocking, timeout);
  }

  release(): void {
    this.lock.release();
  }

  /** Runs `fn` holding the condition's lock (Python's `with cond:`). */
  with<T>(fn: () => T): T {
    return this.lock.with(fn);
  }

  /** Acquires the lock and returns a disposable that releases it. */
  hold(): Disposable {
    return this.lock.hold();
  }

  /**
   * Releases the lock, waits until notified or until `timeout` seconds pass, then takes
   * the lock back before returning. Wake-ups can come from a notify meant for a state
   * that has changed again since: check the state in a `while` loop (or use `waitFor`).
   * @returns true if notified, false if the timeout ended first.
   * @throws RuntimeError "cannot wait on un-acquired lock" when the caller does not hold the lock.
   */
  wait(timeout?: number | null): boolean {
    const timeoutMs = checkTimeout('timeout', timeout, false);
    if (!this.lock.isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    if (seam.strategy !== null) point('wait', this);
    const rt = runtime();
    const w = this.words;
    const ticket = (w[TICKET] = (w[TICKET]! % 0x3fffffff) + 1);
    const park = parkTarget(rt.slot);
    Atomics.store(park.i32, park.index, 0);
    this.enqueue(rt.slot, ticket);
    const saved = this.lock.releaseSave();
    let notified = false;
    try {
      const deadline = now() + timeoutMs;
      if (seam.strategy === null && timeoutMs > 0) {
        // Watch the word before parking on it: the loop below sees the ticket either way.
        for (let i = 0; i < SPINS && Atomics.load(park.i32, park.index) !== ticket; i++);
      }
      for (;;) {
        if (Atomics.load(park.i32, park.index) === ticket) {
          notified = true;
          break;
        }
        const left = remaining(deadline, now());
        if (left === 0) break;
        block(park, 0, left, { op: 'wait', object: this, holder: 0 });
      }
    } finally {
      this.lock.acquireRestore(saved);
      // A notify may have chosen us after the timeout ended: then it counts.
      if (!notified && Atomics.load(park.i32, park.index) === ticket) notified = true;
      if (!notified) this.remove(ticket);
    }
    return notified;
  }

  /**
   * Waits until `predicate()` is true, re-checking after every wake-up; `timeout` bounds
   * the total wait. @returns the last value of the predicate.
   */
  waitFor<T>(predicate: () => T, timeout?: number | null): T {
    const timeoutMs = checkTimeout('timeout', timeout, false);
    const deadline = now() + timeoutMs;
    let result = predicate();
    while (!result) {
      const left = remaining(deadline, now());
      if (left === 0) break;
      this.wait(left === Infinity ? null : left / 1000);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` threads waiting on this condition (the longest-waiting first).
   * @throws RuntimeError "cannot notify on un-acquired lock" when the caller does not hold the lock.
   */
  notify(n = 1): void {
    if (typeof n !== 'number' || !(n >= 0)) throw argumentError('n', 'a number >= 0', n);
    if (!this.lock.isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    if (seam.strategy !== null) point('notify', this);
    const w = this.words;
    for (let left = n; left > 0 && w[LENGTH]! > 0; left--) {
      const at = QUEUE + w[HEAD]! * 2;
      const slot = w[at]!;
      const ticket = w[at + 1]!;
      w[HEAD] = (w[HEAD]! + 1) % CAPACITY;
      w[LENGTH]!--;
      const park = parkTarget(slot);
      Atomics.store(park.i32, park.index, ticket);
      wake(park, 1);
    }
  }

  /** Wakes every thread waiting on this condition. */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** How many threads wait on this condition now (read it holding the lock). */
  get waiting(): number {
    return this.words[LENGTH]!;
  }

  private enqueue(slot: number, ticket: number): void {
    const w = this.words;
    const at = QUEUE + ((w[HEAD]! + w[LENGTH]!) % CAPACITY) * 2;
    w[at] = slot;
    w[at + 1] = ticket;
    w[LENGTH]!++;
  }

  private remove(ticket: number): void {
    const w = this.words;
    const n = w[LENGTH]!;
    for (let i = 0; i < n; i++) {
      const at = QUEUE + ((w[HEAD]! + i) % CAPACITY) * 2;
      if (w[at + 1] !== ticket) continue;
      for (let j = i; j < n - 1; j++) {
        const to = QUEUE + ((w[HEAD]! + j) % CAPACITY) * 2;
        const from = QUEUE + ((w[HEAD]! + j + 1) % CAPACITY) * 2;
        w[to] = w[from]!;
        w[to + 1] = w[from + 1]!;
      }
      w[LENGTH]!--;
      return;
    }
  }
}

registerHandleKind('Condition', (p) => new Condition(undefined, undefined, p));
