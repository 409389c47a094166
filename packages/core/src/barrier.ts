import { createRequire } from 'node:module';
import { BrokenBarrierError, ValueError, argumentError, checkTimeout } from './errors.ts';
import { registerHandleKind, unpack, type PackedHandle } from './handles.ts';
import { Condition } from './condition.ts';
import { Lock } from './lock.ts';
import { SharedPrimitive, type SharedOptions } from './primitive.ts';
import { point, seam } from './seam.ts';
import type { TargetRef } from './task.ts';
import { locateTarget } from './thread.ts';

const requireHere = createRequire(import.meta.url);

/*
 * Barrier states, as in CPython's threading.Barrier:
 *   FILLING    threads arrive and wait for the last party
 *   DRAINING   the last party arrived; waiters are leaving
 *   RESETTING  reset() was called while threads waited; they leave with BrokenBarrierError
 *   BROKEN     abort(), or a wait timed out; every wait raises until reset()
 * STATE and COUNT are read and written only under the barrier's own condition.
 */
const STATE = 0;
const COUNT = 1;
const PARTIES = 2;
const TIMEOUT_MS = 3;
const FILLING = 0;
const DRAINING = 1;
const RESETTING = 2;
const BROKEN = 3;
const NO_TIMEOUT = -1;

export interface BarrierOptions extends SharedOptions {
  /** Default timeout of wait(), in seconds. */
  readonly timeout?: number;
  /**
   * Called once each time the barrier trips, by the last thread to arrive, before any
   * thread is released (Python's `action`). Like a thread's target, it must be an exported
   * function: each thread imports it afresh. If it raises, the barrier breaks and the
   * exception goes to the thread that called it. A string names an export of `module`.
   */
  readonly action?: (() => unknown) | string | undefined;
  /** The module that exports `action`, on the supervising thread when it is imported from elsewhere. */
  readonly module?: string | undefined;
}

/**
 * A barrier, as Python's `threading.Barrier`: `parties` threads each call `wait()`, and
 * all of them go on together once the last one arrives.
 *
 * @example
 * ```ts
 * const start = new Barrier(4);
 * // in each of four workers:
 * start.wait();    // returns 0..3, a distinct index per thread
 * ```
 * @throws ValueError when `parties` is not an integer >= 1.
 */
export class Barrier extends SharedPrimitive {
  private readonly cond: Condition;
  private readonly action: TargetRef | undefined;

  constructor(parties: number, options?: BarrierOptions, from?: PackedHandle) {
    super('Barrier', 4, options, from);
    if (from !== undefined) {
      this.cond = unpack(from['cond']) as Condition;
      this.action = from['action'] as TargetRef | undefined;
      return;
    }
    const action = options?.action;
    if (action !== undefined && typeof action !== 'function' && typeof action !== 'string') throw argumentError('options.action', 'an exported function, or the name of an export of `options.module`', action);
    this.action = action === undefined ? undefined : locateTarget(action, options?.module);
    if (typeof parties !== 'number' || !Number.isInteger(parties) || parties < 1) {
      throw argumentError('parties', 'an integer >= 1', parties);
    }
    const timeout = options?.timeout;
    const timeoutMs = timeout === undefined ? NO_TIMEOUT : checkTimeout('options.timeout', timeout, false);
    this.words[PARTIES] = parties;
    this.words[TIMEOUT_MS] = timeoutMs === Infinity ? NO_TIMEOUT : Math.ceil(timeoutMs);
    const name = this.name === undefined ? `Barrier#${this.id}` : this.name;
    this.cond = new Condition(new Lock({ name: `${name}.lock` }), { name: `${name}.cond` });
  }

  protected override packExtra(): Record<string, unknown> {
    return this.action === undefined ? { cond: this.cond.pack() } : { cond: this.cond.pack(), action: this.action };
  }

  /**
   * Waits until all parties have called wait(). `timeout` (seconds) overrides the
   * barrier's default; if it ends, the barrier breaks.
   * @returns an index from 0 to parties-1, distinct for each thread of a round (arrival order).
   * @throws BrokenBarrierError if the barrier is broken or reset while waiting, or the wait times out.
   */
  wait(timeout?: number | null): number {
    if (seam.strategy !== null) point('wait', this);
    const w = this.words;
    let timeoutS: number | null;
    if (timeout === undefined || timeout === null) timeoutS = w[TIMEOUT_MS] === NO_TIMEOUT ? null : w[TIMEOUT_MS]! / 1000;
    else {
      checkTimeout('timeout', timeout, false);
      timeoutS = timeout;
    }
    return this.cond.with(() => {
      // Threads of the previous round may still be leaving: wait for them.
      while (w[STATE] === DRAINING || w[STATE] === RESETTING) this.cond.wait();
      if (w[STATE] === BROKEN) throw new BrokenBarrierError();
      const index = w[COUNT]!;
      w[COUNT] = index + 1;
      try {
        if (index + 1 === w[PARTIES]) {
          this.runAction();
          w[STATE] = DRAINING;
          this.cond.notifyAll();
        } else {
          if (!this.cond.waitFor(() => w[STATE] !== FILLING, timeoutS)) {
            this.breakBarrier();
            throw new BrokenBarrierError();
          }
          if (w[STATE] === BROKEN || w[STATE] === RESETTING) throw new BrokenBarrierError();
        }
        return index;
      } finally {
        w[COUNT]!--;
        if (w[COUNT] === 0 && (w[STATE] === DRAINING || w[STATE] === RESETTING)) {
          w[STATE] = FILLING;
          this.cond.notifyAll();
        }
      }
    });
  }

  /**
   * Returns the barrier to its empty state; threads waiting now get BrokenBarrierError.
   * Threads the barrier already released (it tripped, and they are leaving) return their
   * index, as in Python: the barrier is empty once they are gone.
   */
  reset(): void {
    if (seam.strategy !== null) point('reset', this);
    const w = this.words;
    this.cond.with(() => {
      if (w[COUNT]! > 0) {
        // DRAINING ends by itself when the last released thread leaves.
        if (w[STATE] === FILLING || w[STATE] === BROKEN) w[STATE] = RESETTING;
      } else w[STATE] = FILLING;
      this.cond.notifyAll();
    });
  }

  /** Breaks the barrier: current and future wait() calls raise BrokenBarrierError until reset(). */
  abort(): void {
    if (seam.strategy !== null) point('abort', this);
    this.cond.with(() => this.breakBarrier());
  }

  /** The action, in the last thread to arrive; one that raises breaks the barrier (the raise goes on to that thread). */
  private runAction(): void {
    if (this.action === undefined) return;
    try {
      const fn = (requireHere(this.action.module) as Record<string, unknown>)[this.action.export];
      if (typeof fn !== 'function') throw new ValueError(`the barrier's action ${this.action.export} is not an exported function of ${this.action.module}`);
      (fn as () => unknown)();
    } catch (e) {
      this.breakBarrier();
      throw e;
    }
  }

  private breakBarrier(): void {
    this.words[STATE] = BROKEN;
    this.cond.notifyAll();
  }

  /** The number of threads needed to pass the barrier. */
  get parties(): number {
    return this.words[PARTIES]!;
  }

  /** The number of threads waiting now (a snapshot for reports: it may change at once). */
  get nWaiting(): number {
    // Read without the barrier's lock, as CPython's n_waiting is: taking the lock could
    // block, and on the supervising thread (a report, a test) it threw SupervisorBlockError
    // whenever a thread was passing the barrier at that moment.
    return Atomics.load(this.words, STATE) === FILLING ? Atomics.load(this.words, COUNT) : 0;
  }

  /** True if the barrier is broken. */
  get broken(): boolean {
    return Atomics.load(this.words, STATE) === BROKEN;
  }
}

registerHandleKind('Barrier', (p) => new Barrier(1, undefined, p));
