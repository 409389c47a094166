import { remaining, waitAsync } from './async-wait.ts';
import { ValueError, argumentError, checkTimeout } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
import { checkAcquireArgs as importedCheckAcquireArgs } from './lock.ts';
import { AcquirablePrimitive, type SharedOptions } from './primitive.ts';
import { block, now, point, seam as importedSeam, wake } from './seam.ts';

/*
 * Threads load the core through tsx's CommonJS transform, which turns every use of an
 * imported binding into two getter calls: a few ns each time, as much as an atomic
 * operation. The fast paths use these module-local references, bound once at import.
 */
const seam = importedSeam;
const checkAcquireArgs = importedCheckAcquireArgs;

/*
 * VALUE is the counter. WAITERS counts threads that may be blocked on VALUE: a release
 * that finds it zero skips the wake-up. A waiter increments WAITERS before it re-reads
 * VALUE and blocks expecting 0, so a release that lands in between changes VALUE and
 * the block returns at once: no wake-up is lost. INITIAL is the bound of a BoundedSemaphore.
 */
const VALUE = 0;
const WAITERS = 1;
const INITIAL = 2;
const SPINS = 100;

/**
 * A semaphore, as Python's `threading.Semaphore`: a counter that `acquire` decrements,
 * blocking while it is zero, and `release` increments.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(3);       // at most three threads at once
 * slots.with(() => useConnection());
 * ```
 * @throws ValueError "semaphore initial value must be >= 0" for a negative value.
 */
export class Semaphore extends AcquirablePrimitive {
  constructor(value = 1, options?: SharedOptions, from?: PackedHandle) {
    super(new.target === BoundedSemaphore ? 'BoundedSemaphore' : 'Semaphore', 3, options, from);
    if (from !== undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw argumentError('value', 'an integer >= 0', value);
    if (value < 0) throw new ValueError(`semaphore initial value must be >= 0, got ${value}`);
    this.words[VALUE] = value;
    this.words[INITIAL] = value;
  }

  /**
   * Decrements the counter, first waiting while it is zero (unless `blocking` is false,
   * or until `timeout` seconds pass).
   * @returns true if decremented, false on a non-blocking miss or a timeout.
   */
  acquire(blocking = true, timeout = -1): boolean {
    const timeoutMs = checkAcquireArgs(blocking, timeout);
    if (seam.strategy !== null) point('acquire', this);
    if (this.tryTake()) return true;
    if (!blocking || timeoutMs === 0) return false;
    const w = this.words;
    if (seam.strategy === null) {
      for (let i = 0; i < SPINS; i++) if (Atomics.load(w, VALUE) > 0 && this.tryTake()) return true;
    }
    const deadline = now() + timeoutMs;
    const target = this.target(VALUE);
    Atomics.add(w, WAITERS, 1);
    try {
      for (;;) {
        if (this.tryTake()) return true;
        const left = remaining(deadline, now());
        if (left === 0) return false;
        block(target, 0, left, { op: 'acquire', object: this, holder: 0 });
      }
    } finally {
      Atomics.sub(w, WAITERS, 1);
    }
  }

  private tryTake(): boolean {
    const w = this.words;
    for (let v = Atomics.load(w, VALUE); v > 0; v = Atomics.load(w, VALUE)) {
      if (Atomics.compareExchange(w, VALUE, v, v - 1) === v) return true;
    }
    return false;
  }

  /**
   * Increments the counter by `n` and wakes up to `n` waiting threads.
   * @throws ValueError "n must be one or more" for n < 1.
   */
  release(n = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw argumentError('n', 'an integer >= 1', n);
    if (n < 1) throw new ValueError('n must be one or more');
    if (seam.strategy !== null) point('release', this);
    this.add(n);
    if (Atomics.load(this.words, WAITERS) > 0) wake(this.target(VALUE), n);
  }

  protected add(n: number): void {
    Atomics.add(this.words, VALUE, n);
  }

  /** Decrements without blocking the calling thread (for the supervising thread). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = performance.now() + checkTimeout('timeout', timeout, true);
    const w = this.words;
    Atomics.add(w, WAITERS, 1);
    try {
      for (;;) {
        if (this.tryTake()) return true;
        const left = remaining(deadline, performance.now());
        if (left === 0) return false;
        await waitAsync(w, VALUE, 0, left);
      }
    } finally {
      Atomics.sub(w, WAITERS, 1);
    }
  }

  /** The counter's current value (for reports; it may change at once). */
  get value(): number {
    return Atomics.load(this.words, VALUE);
  }

  /** How many threads are waiting in acquire() right now. */
  get waiting(): number {
    return Atomics.load(this.words, WAITERS);
  }

  /** The value it was created with. */
  get initialValue(): number {
    return this.words[INITIAL]!;
  }
}

/**
 * A semaphore that cannot be released above its initial value, as Python's
 * `threading.BoundedSemaphore`: an extra release is a bug, and it fails loudly.
 *
 * @throws ValueError "Semaphore released too many times" from `release` when the value would exceed the initial value.
 */
export class BoundedSemaphore extends Semaphore {
  constructor(value = 1, options?: SharedOptions, from?: PackedHandle) {
    super(value, options, from);
  }

  protected override add(n: number): void {
    const w = this.words;
    const bound = w[INITIAL]!;
    for (;;) {
      const v = Atomics.load(w, VALUE);
      if (v + n > bound) throw new ValueError('Semaphore released too many times');
      if (Atomics.compareExchange(w, VALUE, v, v + n) === v) return;
    }
  }
}

registerHandleKind('Semaphore', (p) => new Semaphore(0, undefined, p));
registerHandleKind('BoundedSemaphore', (p) => new BoundedSemaphore(0, undefined, p));

