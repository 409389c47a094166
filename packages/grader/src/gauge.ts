import { runtime, threadTable } from '@threadlings/core/internal';

/*
 * The work gauge: how the grader sees "how many threads were inside the work at the same
 * moment" (docs/architecture.md, "Two ways to run a check").
 *
 * Why a gauge the exercise calls, rather than counting through the seam: the seam sees
 * operations on shared objects, not work. A serial submission and a concurrent one make
 * the same operations; what differs is whether the stretches of work overlap, and only
 * the exercise knows where a stretch of work begins and ends. So an exercise's own helper
 * library (code the student calls but does not edit: `crunch(range)`, `download(url)`)
 * wraps each stretch in `gauge.enter()` / `gauge.exit()`, and the grader reads the peak.
 * That holds on any machine, every run: a serial submission never has two threads inside.
 *
 * Outside grading the gauge is unbound and costs one comparison. While the grader runs a
 * workload it hands every thread the gauge's shared memory through the seam's strategy
 * options, so threads the submission starts itself are counted too.
 *
 * Holding (structure checks only): worker start-up (50-100 ms) can be longer than a
 * stretch of work, so a correct submission's threads might never overlap on a slow or
 * one-core machine. In a structure check a thread that enters therefore waits, for at
 * most HOLD_MS, while another thread could still enter (one that is running, starting or
 * in a timed wait). A serial submission's other threads are not started yet, or are
 * blocked joining it or waiting for a lock it holds: nobody could enter, so it goes on
 * at once, and the peak stays 1.
 *
 * Words of the gauge's memory (Int32): see the constants below; ORIGIN is a Float64.
 */
const INSIDE = 0;
const PEAK = 1;
const ENTRIES = 2;
const HOLD_TARGET = 3;
const HOLDING = 4;
const FIRST_US = 5;
const LAST_US = 6;
const TOTAL_US = 7;
const EXITS = 8;
const HOLD_LIMIT = 9;
const WORDS = 12;
const ORIGIN_BYTE = WORDS * 4;
const BYTES = ORIGIN_BYTE + 8;
const NO_TIME = 0x7fffffff;

let words: Int32Array | null = null;
let origin = 0;
let depth = 0;
let enteredAt = 0;

function raise(w: Int32Array, index: number, value: number): boolean {
  for (let seen = Atomics.load(w, index); value > seen; seen = Atomics.load(w, index)) {
    if (Atomics.compareExchange(w, index, seen, value) === seen) return true;
  }
  return false;
}

function lower(w: Int32Array, index: number, value: number): void {
  for (let seen = Atomics.load(w, index); value < seen; seen = Atomics.load(w, index)) {
    if (Atomics.compareExchange(w, index, seen, value) === seen) return;
  }
}

/** Milliseconds on a clock every thread shares (a worker's performance.now() may count from its own start). */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

function sinceOrigin(): number {
  return Math.round((clock() - origin) * 1000);
}

/** True while some other thread could still enter the work: it runs, starts, or is in a wait that ends by itself. */
function othersMayEnter(w: Int32Array): boolean {
  const me = runtime().ident;
  let runnable = 0;
  for (const r of threadTable()) {
    if (r.slot === 0 || r.ident === me) continue;
    if (r.state === 'running' || (r.waiting !== null && r.waiting.timeoutMs !== Infinity)) runnable++;
  }
  // Threads holding in enter() look running, but they are inside already.
  return runnable > Atomics.load(w, HOLDING) - 1;
}

function hold(w: Int32Array): void {
  const target = Atomics.load(w, HOLD_TARGET);
  if (target < 2 || Atomics.load(w, PEAK) >= target) return;
  const deadline = performance.now() + Atomics.load(w, HOLD_LIMIT);
  Atomics.add(w, HOLDING, 1);
  try {
    for (;;) {
      const peak = Atomics.load(w, PEAK);
      if (peak >= target || performance.now() >= deadline || !othersMayEnter(w)) return;
      // Woken at once when another thread raises the peak; otherwise look again shortly.
      Atomics.wait(w, PEAK, peak, 2);
    }
  } finally {
    Atomics.sub(w, HOLDING, 1);
  }
}

/**
 * The work gauge, for an exercise's helper library: marks where a stretch of "the work"
 * begins and ends, so that the grader can see how many threads were inside it at once.
 * Nested stretches in one thread count once. Outside grading it does nothing.
 *
 * @example
 * ```ts
 * // packages/exercises/05-speed-up/src/lib/work.ts (the student calls it, never edits it)
 * import { gauge } from '@threadlings/grader/gauge';
 * export function crunch(from: number, to: number): number {
 *   return gauge.measure(() => { let s = 0; for (let i = from; i < to; i++) s += heavy(i); return s; });
 * }
 * ```
 */
export const gauge = {
  /** A thread starts a stretch of work. Pair it with `exit()` (in a `finally`). */
  enter(): void {
    const w = words;
    if (w === null || depth++ > 0) return;
    enteredAt = clock();
    const inside = Atomics.add(w, INSIDE, 1) + 1;
    Atomics.add(w, ENTRIES, 1);
    lower(w, FIRST_US, sinceOrigin());
    if (raise(w, PEAK, inside)) Atomics.notify(w, PEAK);
    hold(w);
  },

  /** The thread ends the stretch of work it entered. */
  exit(): void {
    const w = words;
    if (w === null || depth === 0 || --depth > 0) return;
    Atomics.add(w, TOTAL_US, Math.round((clock() - enteredAt) * 1000));
    raise(w, LAST_US, sinceOrigin());
    Atomics.add(w, EXITS, 1);
    Atomics.sub(w, INSIDE, 1);
  },

  /** Runs `fn` as one stretch of work. @returns what `fn` returns. */
  measure<T>(fn: () => T): T {
    gauge.enter();
    try {
      return fn();
    } finally {
      gauge.exit();
    }
  },
};

/** What a gauge saw during one run (read on the supervisor). */
export interface GaugeReading {
  /** Most threads inside the work at the same moment. */
  readonly peak: number;
  /** Stretches of work entered. */
  readonly entries: number;
  /** Sum of the stretches' durations: what they would take one after another. */
  readonly totalMs: number;
  /** From the first entry to the last exit. */
  readonly spanMs: number;
}

/** Longest an entering thread waits for company in a structure check (a worker can take a second to start on a busy machine). */
export const HOLD_MS = 3000;

/** Memory for a gauge, on the supervisor. `holdFor` > 1 makes entering threads wait for company (structure checks). */
export function createGauge(holdFor = 0, holdMs = HOLD_MS): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(BYTES);
  const w = new Int32Array(sab, 0, WORDS);
  w[HOLD_TARGET] = holdFor;
  w[HOLD_LIMIT] = Math.round(holdMs);
  w[FIRST_US] = NO_TIME;
  new Float64Array(sab, ORIGIN_BYTE, 1)[0] = clock();
  return sab;
}

export function readGauge(sab: SharedArrayBuffer): GaugeReading {
  const w = new Int32Array(sab, 0, WORDS);
  const first = Atomics.load(w, FIRST_US);
  const last = Atomics.load(w, LAST_US);
  return {
    peak: Atomics.load(w, PEAK),
    entries: Atomics.load(w, ENTRIES),
    totalMs: Atomics.load(w, TOTAL_US) / 1000,
    spanMs: first === NO_TIME || last < first ? 0 : (last - first) / 1000,
  };
}

/** In a thread: counts this thread's work on `sab` from now on (null: stop counting). The chaos strategy calls it. */
export function bindGauge(sab: SharedArrayBuffer | null): void {
  words = sab === null ? null : new Int32Array(sab, 0, WORDS);
  origin = sab === null ? 0 : new Float64Array(sab, ORIGIN_BYTE, 1)[0]!;
  depth = 0;
}
