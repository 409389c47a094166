import { remaining, waitAsync } from './async-wait.ts';
import { checkTimeout } from './errors.ts';
import { registerHandleKind, type PackedHandle } from './handles.ts';
import { SharedPrimitive, type SharedOptions } from './primitive.ts';
import { block, now, point, seam, wake } from './seam.ts';

/*
 * One word holds the event: bit 0 is the flag, the bits above it count calls to set().
 * set() raises the flag and bumps the count in one atomic step, so no waiter can see one
 * without the other. A waiter blocks on the whole word as it read it: a set() that lands
 * after the read changes the count, and the waiter returns true even if clear() came
 * at once after (as Python's Event does). clear() changes only the flag bit.
 */
const STATE = 0;
const FLAG = 1;
const ONE_SET = 2;

function generation(word: number): number {
  return word >>> 1;
}

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
    super('Event', 1, options, from);
  }

  /** True if the flag is set. */
  isSet(): boolean {
    if (seam.strategy !== null) point('isSet', this);
    return (Atomics.load(this.words, STATE) & FLAG) !== 0;
  }

  /** Sets the flag and wakes every thread waiting for it. */
  set(): void {
    if (seam.strategy !== null) point('set', this);
    const w = this.words;
    for (;;) {
      const word = Atomics.load(w, STATE);
      if (Atomics.compareExchange(w, STATE, word, ((word & ~FLAG) + ONE_SET) | FLAG) === word) break;
    }
    wake(this.target(STATE), Infinity);
  }

  /** Lowers the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    if (seam.strategy !== null) point('clear', this);
    Atomics.and(this.words, STATE, ~FLAG);
  }

  /**
   * Blocks until the flag is set, or until `timeout` seconds pass.
   * @returns true if the flag was set (or set while waiting, even if cleared since), false on timeout.
   */
  wait(timeout?: number | null): boolean {
    const timeoutMs = checkTimeout('timeout', timeout, false);
    if (seam.strategy !== null) point('wait', this);
    const w = this.words;
    const seen = Atomics.load(w, STATE);
    if ((seen & FLAG) !== 0) return true;
    const deadline = now() + timeoutMs;
    const target = this.target(STATE);
    for (let word = seen; ; word = Atomics.load(w, STATE)) {
      if (generation(word) !== generation(seen)) return true;
      const left = remaining(deadline, now());
      if (left === 0) return false;
      block(target, word, left, { op: 'wait', object: this, holder: 0 });
    }
  }

  /** Waits without blocking the calling thread (for the supervising thread). */
  async waitAsync(timeout?: number | null): Promise<boolean> {
    const deadline = performance.now() + checkTimeout('timeout', timeout, false);
    const w = this.words;
    const seen = Atomics.load(w, STATE);
    if ((seen & FLAG) !== 0) return true;
    for (let word = seen; ; word = Atomics.load(w, STATE)) {
      if (generation(word) !== generation(seen)) return true;
      const left = remaining(deadline, performance.now());
      if (left === 0) return false;
      await waitAsync(w, STATE, word, left);
    }
  }
}

registerHandleKind('Event', (p) => new Event(undefined, p));
