import { remaining, waitAsync } from './async-wait.ts';
import { RuntimeError, checkTimeout } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
import { checkAcquireArgs as importedCheckAcquireArgs, type ConditionLock } from './lock.ts';
import { AcquirablePrimitive, type SharedOptions } from './primitive.ts';
import { runtime as importedRuntime } from './runtime.ts';
import { block, now, point, seam as importedSeam, wake } from './seam.ts';

/*
 * Threads load the core through tsx's CommonJS transform, which turns every use of an
 * imported binding into two getter calls: a few ns each time, as much as an atomic
 * operation. The fast paths use these module-local references, bound once at import.
 */
const seam = importedSeam;
const runtime = importedRuntime;
const checkAcquireArgs = importedCheckAcquireArgs;

/*
 * STATE is a lock word as in Lock (UNLOCKED / LOCKED / CONTENDED). OWNER and COUNT are
 * written only by the thread that holds STATE, so the owner reading its own ident
 * there is never stale.
 */
const STATE = 0;
const OWNER = 1;
const COUNT = 2;
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
const SPINS = 200;

/**
 * A reentrant lock, as Python's `threading.RLock`: the thread that holds it may acquire
 * it again; it is free once released as many times as it was acquired. Only the owner
 * may release it.
 *
 * @example
 * ```ts
 * const lock = new RLock();
 * lock.with(() => lock.with(() => transfer()));
 * ```
 */
export class RLock extends AcquirablePrimitive implements ConditionLock {
  constructor(options?: SharedOptions, from?: PackedHandle) {
    super('RLock', 3, options, from);
  }

  /**
   * Acquires the lock, or increments the recursion level if this thread already holds it.
   * `blocking` and `timeout` as for {@link Lock.acquire}.
   * @returns true if acquired, false on a non-blocking miss or a timeout.
   */
  acquire(blocking = true, timeout = -1): boolean {
    const timeoutMs = checkAcquireArgs(blocking, timeout);
    if (seam.strategy !== null) point('acquire', this);
    const w = this.words;
    const me = runtime().ident;
    if (w[OWNER] === me) {
      w[COUNT]!++;
      return true;
    }
    if (Atomics.compareExchange(w, STATE, UNLOCKED, LOCKED) !== UNLOCKED) {
      if (!blocking || timeoutMs === 0) return false;
      if (!this.acquireSlow(timeoutMs)) return false;
    }
    w[OWNER] = me;
    w[COUNT] = 1;
    return true;
  }

  private acquireSlow(timeoutMs: number): boolean {
    const w = this.words;
    if (seam.strategy === null) {
      for (let i = 0; i < SPINS; i++) {
        if (Atomics.load(w, STATE) === UNLOCKED && Atomics.compareExchange(w, STATE, UNLOCKED, LOCKED) === UNLOCKED) {
          return true;
        }
      }
    }
    const deadline = now() + timeoutMs;
    const target = this.target(STATE);
    while (Atomics.exchange(w, STATE, CONTENDED) !== UNLOCKED) {
      const left = remaining(deadline, now());
      if (left === 0) return false;
      block(target, CONTENDED, left, { op: 'acquire', object: this, holder: Atomics.load(w, OWNER) });
    }
    return true;
  }

  /**
   * Decrements the recursion level; at zero the lock is free and one waiter is woken.
   * @throws RuntimeError "cannot release un-acquired lock" when this thread does not hold it.
   */
  release(): void {
    if (seam.strategy !== null) point('release', this);
    const w = this.words;
    if (w[OWNER] !== runtime().ident) throw new RuntimeError('cannot release un-acquired lock');
    if (--w[COUNT]! > 0) return;
    this.unlock();
  }

  private unlock(): void {
    const w = this.words;
    w[OWNER] = 0; // a plain write: the exchange below publishes it with the lock word
    if (Atomics.exchange(w, STATE, UNLOCKED) === CONTENDED) wake(this.target(STATE), 1);
  }

  /** Acquires without blocking the calling thread (for the supervising thread). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = performance.now() + checkTimeout('timeout', timeout, true);
    const w = this.words;
    const me = runtime().ident;
    if (w[OWNER] === me) {
      w[COUNT]!++;
      return true;
    }
    while (Atomics.exchange(w, STATE, CONTENDED) !== UNLOCKED) {
      const left = remaining(deadline, performance.now());
      if (left === 0) return false;
      await waitAsync(w, STATE, CONTENDED, left);
    }
    w[OWNER] = me;
    w[COUNT] = 1;
    return true;
  }

  /** Ident of the owning thread, or 0. */
  get owner(): number {
    return Atomics.load(this.words, OWNER);
  }

  isOwned(): boolean {
    return this.words[OWNER] === runtime().ident;
  }

  releaseSave(): number {
    if (!this.isOwned()) throw new RuntimeError('cannot release un-acquired lock');
    const count = this.words[COUNT]!;
    this.words[COUNT] = 0;
    this.unlock();
    return count;
  }

  acquireRestore(saved: number): void {
    this.acquire();
    this.words[COUNT] = saved;
  }
}

registerHandleKind('RLock', (p) => new RLock(undefined, p));
