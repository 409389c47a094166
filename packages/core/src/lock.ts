import { waitAsync, remaining } from './async-wait.ts';
import { RuntimeError, ValueError, checkTimeout } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
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

/*
 * The lock word:
 *   UNLOCKED   nobody holds the lock
 *   LOCKED     held, nobody waits
 *   CONTENDED  held, and some thread may be blocked on the word (release must wake one)
 * OWNER records who acquired it, for reports and for Condition's ownership check.
 */
const STATE = 0;
const OWNER = 1;
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
/** Rounds of spinning before a contended acquire blocks: a hand-off often lands within them. */
const SPINS = 200;

/** What a Condition needs from its lock. */
export interface ConditionLock {
  readonly label: string;
  acquire(blocking?: boolean, timeout?: number): boolean;
  release(): void;
  /** True when the calling thread holds the lock. */
  isOwned(): boolean;
  /** Releases the lock fully and returns what `acquireRestore` needs to take it back. */
  releaseSave(): number;
  acquireRestore(saved: number): void;
}

export function checkAcquireArgs(blocking: unknown, timeout: unknown): number {
  if (typeof blocking !== 'boolean') {
    throw new ValueError(`Expected \`blocking\` to be a boolean, got \`${String(blocking)}\` (${typeof blocking})`);
  }
  if (!blocking && timeout !== -1 && timeout !== undefined) {
    throw new ValueError("can't specify a timeout for a non-blocking call");
  }
  return checkTimeout('timeout', timeout as number, true);
}

/**
 * A primitive lock, as Python's `threading.Lock`: once a thread has acquired it,
 * further attempts block until it is released; any thread may release it.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * lock.acquire();
 * try { balance.value += amount; } finally { lock.release(); }
 * // or
 * lock.with(() => { balance.value += amount; });
 * ```
 */
export class Lock extends AcquirablePrimitive implements ConditionLock {
  constructor(options?: SharedOptions, from?: PackedHandle) {
    super('Lock', 2, options, from);
  }

  /**
   * Acquires the lock. With `blocking` true (the default) waits until it is free, or
   * until `timeout` seconds pass when a timeout is given (-1: no timeout). With
   * `blocking` false returns at once.
   *
   * @returns true if the lock was acquired, false if not (non-blocking or timed out).
   * @throws ValueError for a timeout with a non-blocking call, or a negative timeout other than -1.
   */
  acquire(blocking = true, timeout = -1): boolean {
    const timeoutMs = checkAcquireArgs(blocking, timeout);
    if (seam.strategy !== null) point('acquire', this);
    const w = this.words;
    if (Atomics.compareExchange(w, STATE, UNLOCKED, LOCKED) === UNLOCKED) {
      w[OWNER] = runtime().ident;
      return true;
    }
    if (!blocking || timeoutMs === 0) return false;
    return this.acquireSlow(timeoutMs);
  }

  private acquireSlow(timeoutMs: number): boolean {
    const w = this.words;
    if (seam.strategy === null) {
      for (let i = 0; i < SPINS; i++) {
        if (Atomics.load(w, STATE) === UNLOCKED && Atomics.compareExchange(w, STATE, UNLOCKED, LOCKED) === UNLOCKED) {
          w[OWNER] = runtime().ident;
          return true;
        }
      }
    }
    const deadline = now() + timeoutMs;
    const target = this.target(STATE);
    // Marking the word CONTENDED before blocking is what obliges the holder's release to wake us.
    while (Atomics.exchange(w, STATE, CONTENDED) !== UNLOCKED) {
      const left = remaining(deadline, now());
      if (left === 0) return false;
      block(target, CONTENDED, left, { op: 'acquire', object: this, holder: w[OWNER]! });
    }
    w[OWNER] = runtime().ident;
    return true;
  }

  /**
   * Releases the lock. Any thread may release it; one thread blocked in `acquire` is woken.
   * @throws RuntimeError "release unlocked lock" when the lock is not locked.
   */
  release(): void {
    if (seam.strategy !== null) point('release', this);
    const w = this.words;
    const owner = w[OWNER]!;
    w[OWNER] = 0;
    const prev = Atomics.exchange(w, STATE, UNLOCKED);
    if (prev === UNLOCKED) {
      w[OWNER] = owner;
      throw new RuntimeError('release unlocked lock');
    }
    if (prev === CONTENDED) wake(this.target(STATE), 1);
  }

  /** True if the lock is held by some thread. */
  locked(): boolean {
    if (seam.strategy !== null) point('locked', this);
    return Atomics.load(this.words, STATE) !== UNLOCKED;
  }

  /** Acquires the lock without blocking the calling thread (for the supervising thread). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = performance.now() + checkTimeout('timeout', timeout, true);
    const w = this.words;
    if (Atomics.compareExchange(w, STATE, UNLOCKED, LOCKED) === UNLOCKED) {
      w[OWNER] = runtime().ident;
      return true;
    }
    while (Atomics.exchange(w, STATE, CONTENDED) !== UNLOCKED) {
      const left = remaining(deadline, performance.now());
      if (left === 0) return false;
      await waitAsync(w, STATE, CONTENDED, left);
    }
    w[OWNER] = runtime().ident;
    return true;
  }

  /** Ident of the thread that last acquired the lock while it is held, else 0. */
  get owner(): number {
    return Atomics.load(this.words, STATE) === UNLOCKED ? 0 : this.words[OWNER]!;
  }

  isOwned(): boolean {
    return Atomics.load(this.words, STATE) !== UNLOCKED && this.words[OWNER] === runtime().ident;
  }

  releaseSave(): number {
    this.release();
    return 1;
  }

  acquireRestore(): void {
    this.acquire();
  }
}

registerHandleKind('Lock', (p) => new Lock(undefined, p));
