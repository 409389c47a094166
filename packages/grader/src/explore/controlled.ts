import { callSite, operationCode, runtime, type Operation, type SharedObject, type Strategy, type WaitTarget, type WaitResult } from '@threadlings/core/internal';
import { decide } from './decide.ts';
import {
  BLOCKED,
  DONE,
  ESCAPE_CLOCK,
  ESCAPE_TIMER,
  F_CLOCK,
  F_DEADLINES,
  H_ABORT,
  H_BLOCK_SEQ,
  H_ESCAPES,
  H_LOCK,
  H_PARTICIPANTS,
  H_RECORD_SITES,
  H_SEED,
  H_STARTING,
  H_STATUS,
  H_STEP,
  H_TOKEN,
  MAX_PARTICIPANTS,
  NAME_CHARS,
  NO_TOKEN,
  P_BLOCK_SEQ,
  P_CHILDREN,
  P_HAS_VALUE,
  P_IDENT,
  P_KEY,
  P_PARENT,
  P_PARK,
  P_PENDING_OBJ,
  P_PENDING_OP,
  P_PENDING_VALUE,
  P_PRIORITY,
  P_LOADED,
  distinctName,
  P_REPLAY_NAME,
  P_STATE,
  P_TIMED,
  P_WAKE,
  READY,
  RUN_GOING,
  S_FLAGS,
  S_VALUE,
  S_WHO,
  SITE_CHARS,
  SITE_STEPS,
  SITES_BASE_UNITS,
  STARTING,
  WAKE_NONE,
  WAKE_OK,
  WAKE_TIMEOUT,
  WOKEN,
  pBase,
  readText,
  stepBase,
  views,
  writeText,
  type SchedulerViews,
} from './state.ts';
import { lookupReplayName, nextPriority } from './decide.ts';

/*
 * The controlled strategy, as seen from one participating thread. Threads run one at a
 * time: the one holding the token. At each scheduling point the token holder decides,
 * where it stands, who performs the next operation (itself, most often: then nothing is
 * handed over). A thread that blocks or ends decides for the others before it goes.
 *
 * A thread's life under control:
 *   STARTING  registered by whoever started it; runs local code to its first point
 *   READY     parked at a point, its operation pending
 *   RUNNING   holds the token
 *   BLOCKED   waiting on a futex key (and maybe a virtual deadline)
 *   WOKEN     woken or timed out: runnable, resumes inside its wait
 *   DONE
 * No decision is taken while some thread is STARTING: which threads can run must not
 * depend on how fast a worker boots. The last of the first threads to arrive takes the
 * first decision.
 */

const SPINS = 2_000;

/**
 * Thrown in a controlled thread whose run is over without it (a deadlock, a step limit, a
 * schedule that did not fit): it unwinds the thread's code so that its worker can be
 * reused, rather than killed and started again.
 */
export class ControlAborted extends Error {
  constructor() {
    super('the controlled run this thread belonged to is over');
    this.name = 'ControlAborted';
  }
}
const SLEEP_KEY = 0x7fffffff;

export interface ControlledOptions {
  readonly sab: SharedArrayBuffer;
}

class Controlled implements Strategy {
  private readonly v: SchedulerViews;
  private me = -1;
  private site = '';
  private restore: (() => void) | undefined;

  constructor(options: ControlledOptions) {
    this.v = views(options.sab);
  }

  threadStart(): void {
    const { i32 } = this.v;
    const ident = runtime().ident;
    // The starter registers us; the supervisor may be a moment behind our boot.
    for (;;) {
      const n = Atomics.load(i32, H_PARTICIPANTS);
      for (let i = 0; i < n; i++) {
        if (Atomics.load(i32, pBase(i) + P_IDENT) === ident) {
          this.me = i;
          break;
        }
      }
      if (this.me >= 0) break;
      if (Atomics.load(i32, H_ABORT) !== 0) throw new ControlAborted();
      Atomics.wait(i32, H_PARTICIPANTS, n, 50);
    }
    this.restore = seedAndWatch(this.v, this.me);
  }

  threadLoaded(): void {
    if (this.me >= 0) Atomics.add(this.v.i32, pBase(this.me) + P_LOADED, 1);
  }

  threadStarting(ident: number, name: string): void {
    const { i32, u16 } = this.v;
    this.lock();
    try {
      const i = Atomics.load(i32, H_PARTICIPANTS);
      if (i >= MAX_PARTICIPANTS) {
        throw new Error(`a controlled run can hold at most ${MAX_PARTICIPANTS} threads; this check started more`);
      }
      const base = pBase(i);
      const parent = pBase(this.me);
      const child = ++i32[parent + P_CHILDREN]!;
      const wanted = /^Thread-\d+$/.test(name) ? `${this.name(this.me)}.${child}` : name;
      // Schedules name threads: two threads given one name are told apart as name#2, name#3.
      const taken = new Set(Array.from({ length: i }, (_, k) => readText(u16, k * NAME_CHARS, NAME_CHARS)));
      const own = distinctName(wanted, taken);
      writeText(u16, i * NAME_CHARS, NAME_CHARS, own);
      i32[base + P_STATE] = STARTING;
      i32[base + P_PARENT] = this.me;
      i32[base + P_CHILDREN] = 0;
      i32[base + P_PRIORITY] = nextPriority(i32);
      i32[base + P_REPLAY_NAME] = lookupReplayName(this.v, own);
      i32[base + P_LOADED] = 0;
      Atomics.store(i32, base + P_IDENT, ident);
      Atomics.add(i32, H_STARTING, 1);
      Atomics.store(i32, H_PARTICIPANTS, i + 1);
      Atomics.notify(i32, H_PARTICIPANTS);
    } finally {
      this.unlock();
    }
  }

  point(op: Operation, object: SharedObject, value?: number): void {
    const { i32 } = this.v;
    this.checkAbort();
    const base = pBase(this.me);
    i32[base + P_PENDING_OP] = operationCode(op);
    i32[base + P_PENDING_OBJ] = object.id;
    i32[base + P_PENDING_VALUE] = value ?? 0;
    i32[base + P_HAS_VALUE] = value === undefined ? 0 : 1;
    if (Atomics.load(i32, H_RECORD_SITES) !== 0) this.site = siteOfCaller();
    const wasStarting = i32[base + P_STATE] === STARTING;
    Atomics.store(i32, base + P_STATE, READY);
    if (wasStarting) {
      if (this.arrive()) this.decideAndGo();
      else this.park();
    } else {
      this.decideAndGo();
    }
    this.recordSite();
  }

  observe(_op: Operation, _object: SharedObject, value: number): void {
    const { i32 } = this.v;
    const step = Atomics.load(i32, H_STEP) - 1;
    if (step < 0) return;
    const at = stepBase(step);
    if (i32[at + S_WHO] !== this.me) return;
    i32[at + S_VALUE] = value;
    i32[at + S_FLAGS] = i32[at + S_FLAGS]! | 1 | 4;
  }

  wait(target: WaitTarget, expected: number, timeoutMs: number): WaitResult {
    this.checkAbort();
    if (Atomics.load(target.i32, target.index) !== expected) return 'not-equal';
    return this.blockOn(target.key, timeoutMs);
  }

  wake(target: WaitTarget, count: number): number {
    const { i32 } = this.v;
    if (Atomics.load(i32, H_ABORT) !== 0) return 0;
    this.lock();
    try {
      const n = Atomics.load(i32, H_PARTICIPANTS);
      const waiting: number[] = [];
      for (let i = 0; i < n; i++) {
        const b = pBase(i);
        if (i32[b + P_STATE] === BLOCKED && i32[b + P_KEY] === target.key) waiting.push(i);
      }
      waiting.sort((a, b) => i32[pBase(a) + P_BLOCK_SEQ]! - i32[pBase(b) + P_BLOCK_SEQ]!);
      const woken = waiting.slice(0, Math.min(count, waiting.length));
      for (const i of woken) {
        i32[pBase(i) + P_WAKE] = WAKE_OK;
        Atomics.store(i32, pBase(i) + P_STATE, WOKEN);
      }
      return woken.length;
    } finally {
      this.unlock();
    }
  }

  now(): number {
    return this.v.f64[F_CLOCK]!;
  }

  sleep(ms: number): void {
    this.point('sleep', { id: 0, kind: 'clock', label: 'sleep' });
    this.blockOn(SLEEP_KEY, ms);
  }

  threadEnd(): void {
    const { i32 } = this.v;
    const base = pBase(this.me);
    const wasStarting = i32[base + P_STATE] === STARTING;
    Atomics.store(i32, base + P_STATE, DONE);
    this.restore?.();
    if (Atomics.load(i32, H_ABORT) !== 0) return;
    if (wasStarting) {
      if (this.arrive()) this.decideAndGo(true);
      return;
    }
    this.decideAndGo(true);
  }

  /** Blocks this thread (which holds the token) on a key until woken or, in virtual time, timed out. */
  private blockOn(key: number, timeoutMs: number): WaitResult {
    const { i32, f64 } = this.v;
    const base = pBase(this.me);
    i32[base + P_KEY] = key;
    i32[base + P_BLOCK_SEQ] = ++i32[H_BLOCK_SEQ]!;
    i32[base + P_WAKE] = WAKE_NONE;
    i32[base + P_TIMED] = timeoutMs === Infinity ? 0 : 1;
    f64[F_DEADLINES + this.me] = f64[F_CLOCK]! + (timeoutMs === Infinity ? 0 : timeoutMs);
    Atomics.store(i32, base + P_STATE, BLOCKED);
    this.decideAndGo();
    return i32[base + P_WAKE] === WAKE_TIMEOUT ? 'timed-out' : 'ok';
  }

  /**
   * Called by a thread that was STARTING when it reaches its first point or its end.
   * @returns true if it must take the first decision (it was the last of the first threads).
   */
  private arrive(): boolean {
    const { i32 } = this.v;
    const left = Atomics.sub(i32, H_STARTING, 1) - 1;
    Atomics.notify(i32, H_STARTING);
    return left === 0 && Atomics.compareExchange(i32, H_TOKEN, NO_TOKEN, this.me) === NO_TOKEN;
  }

  /** Decides who goes next, hands over the token, and parks until it comes back (unless ending). */
  private decideAndGo(ending = false): void {
    const { i32 } = this.v;
    // Threads still booting first reach their first point: the choice must not depend on boot time.
    for (let s = Atomics.load(i32, H_STARTING); s > 0; s = Atomics.load(i32, H_STARTING)) Atomics.wait(i32, H_STARTING, s, 100);
    this.lock();
    let chosen: number;
    try {
      chosen = decide(this.v, this.me);
    } finally {
      this.unlock();
    }
    if (chosen < 0) {
      // The run is over (all done, deadlock, step limit or divergence): the supervisor
      // has been told; a thread that cannot go on waits here to be terminated.
      if (!ending) this.awaitAbort();
      return;
    }
    if (chosen === this.me) return;
    const at = pBase(chosen) + P_PARK;
    Atomics.store(i32, at, 1);
    Atomics.notify(i32, at);
    if (!ending) this.park();
  }

  private park(): void {
    const { i32 } = this.v;
    const at = pBase(this.me) + P_PARK;
    for (let i = 0; i < SPINS && Atomics.load(i32, at) === 0; i++);
    while (Atomics.load(i32, at) === 0) {
      if (Atomics.load(i32, H_STATUS) !== RUN_GOING) this.awaitAbort();
      Atomics.wait(i32, at, 0, 200);
    }
    Atomics.store(i32, at, 0);
  }

  private checkAbort(): void {
    if (Atomics.load(this.v.i32, H_ABORT) !== 0) throw new ControlAborted();
  }

  /** The run is over without this thread: wait for the supervisor's word, then unwind. */
  private awaitAbort(): never {
    const { i32 } = this.v;
    while (Atomics.load(i32, H_ABORT) === 0) Atomics.wait(i32, H_ABORT, 0, 1000);
    throw new ControlAborted();
  }

  private recordSite(): void {
    if (this.site === '') return;
    const { i32, u16 } = this.v;
    const step = Atomics.load(i32, H_STEP) - 1;
    if (step >= 0 && step < SITE_STEPS && i32[stepBase(step) + S_WHO] === this.me) {
      writeText(u16, SITES_BASE_UNITS + step * SITE_CHARS, SITE_CHARS, this.site);
    }
    this.site = '';
  }

  private name(i: number): string {
    return readText(this.v.u16, i * NAME_CHARS, NAME_CHARS);
  }

  private lock(): void {
    const { i32 } = this.v;
    while (Atomics.compareExchange(i32, H_LOCK, 0, 1) !== 0);
  }

  private unlock(): void {
    Atomics.store(this.v.i32, H_LOCK, 0);
  }
}

/** The strategy factory every controlled thread loads (named in the StrategyConfig). */
export function controlledStrategy(options: unknown): Strategy {
  return new Controlled(options as ControlledOptions);
}

const GRADER_SRC = new URL('../', import.meta.url).pathname;

/** Where the caller's own code stands: the location of the first frame outside the core and the grader. */
function siteOfCaller(): string {
  const frame = callSite([GRADER_SRC]);
  return /\(?((?:file:\/\/)?\/[^()]+:\d+:\d+)\)?$/.exec(frame)?.[1] ?? frame;
}

/**
 * Seeds Math.random for this thread (a function of the run's seed and the thread) and
 * notes timers and wall-clock reads, which the scheduler does not control. Returns the undo.
 */
function seedAndWatch(v: SchedulerViews, me: number): () => void {
  const { i32 } = v;
  let state = (Atomics.load(i32, H_SEED) ^ Math.imul(me + 1, 0x9e3779b9)) | 1;
  const random = Math.random;
  const timers = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, setImmediate: globalThis.setImmediate };
  const dateNow = Date.now;
  Math.random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const flag = <F extends (...a: never[]) => unknown>(f: F): F =>
    ((...a: never[]) => {
      Atomics.or(i32, H_ESCAPES, ESCAPE_TIMER);
      return f(...a);
    }) as F;
  globalThis.setTimeout = flag(timers.setTimeout) as typeof setTimeout;
  globalThis.setInterval = flag(timers.setInterval) as typeof setInterval;
  globalThis.setImmediate = flag(timers.setImmediate) as typeof setImmediate;
  Date.now = () => {
    Atomics.or(i32, H_ESCAPES, ESCAPE_CLOCK);
    return dateNow();
  };
  return () => {
    Math.random = random;
    Date.now = dateNow;
    Object.assign(globalThis, timers);
  };
}

