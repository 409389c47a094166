import { remaining, waitAsync } from './async-wait.ts';
import { checkTimeout } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
import { SharedPrimitive, type SharedOptions } from './primitive.ts';
import { block, now, point, seam, wake } from './seam.ts';

/*
 * FLAG is the event's state. GENERATION counts calls to set(): a waiter remembers it
 * before it looks at FLAG, and blocks on it, so a set() that lands after the look
 * changes the word and the waiter returns true, even if clear() followed at once.
 */
const FLAG = 0;
const GENERATION = 1;

/**
 * An event, as Python's `threading.Event`: a flag that threads wait for. `set()` wakes
 * every waiter; `clear()` lowers it again.
 *
 * @example
 * ```ts
 * const go = new Event();
 * // in each worker:  go.wait();   // parks until ...
 * go.set();                        // ... this releases all of them at once
 * ```
 */
export class Event extends SharedPrimitive {
  constructor(options?: SharedOptions, from?: PackedHandle) {
    super('Event', 2, options, from);
  }

  /** True if the flag is set. */
  isSet(): boolean {
    if (seam.strategy !== null) point('isSet', this);
    return Atomics.load(this.words, FLAG) !== 0;
  }

  /** Sets the flag and wakes every thread waiting for it. */
  set(): void {
    if (seam.strategy !== null) point('set', this);
    Atomics.store(this.words, FLAG, 1);
    Atomics.add(this.words, GENERATION, 1);
    wake(this.target(GENERATION), Infinity);
  }

  /** Lowers the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    if (seam.strategy !== null) point('clear', this);
    Atomics.store(this.words, FLAG, 0);
  }

  /**
   * Blocks until the flag is set, or until `timeout` seconds pass.
   * @returns true if the flag was set (or set while waiting, even if cleared since), false on timeout.
   */
  wait(timeout?: number | null): boolean {
    const timeoutMs = checkTimeout('timeout', timeout, false);
    if (seam.strategy !== null) point('wait', this);
    const w = this.words;
    const generation = Atomics.load(w, GENERATION);
    if (Atomics.load(w, FLAG) !== 0) return true;
    const deadline = now() + timeoutMs;
    const target = this.target(GENERATION);
    for (;;) {
      const left = remaining(deadline, now());
      if (left === 0) return false;
      block(target, generation, left, { op: 'wait', object: this, holder: 0 });
      if (Atomics.load(w, GENERATION) !== generation) return true;
    }
  }

  /** Waits without blocking the calling thread (for the supervising thread). */
  async waitAsync(timeout?: number | null): Promise<boolean> {
    const deadline = performance.now() + checkTimeout('timeout', timeout, false);
    const w = this.words;
    const generation = Atomics.load(w, GENERATION);
    if (Atomics.load(w, FLAG) !== 0) return true;
    for (;;) {
      const left = remaining(deadline, performance.now());
      if (left === 0) return false;
      await waitAsync(w, GENERATION, generation, left);
      if (Atomics.load(w, GENERATION) !== generation) return true;
    }
  }
}

registerHandleKind('Event', (p) => new Event(undefined, p));
