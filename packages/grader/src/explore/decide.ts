import {
  BLOCKED,
  F_CLOCK,
  F_DEADLINES,
  H_CHANGE_1,
  H_CHOICE_STEPS,
  H_DIVERGED_AT,
  fitName,
  H_DIVERGED_WANT,
  H_LAST_RUNNER,
  H_MODE,
  H_PARTICIPANTS,
  H_PCT_DEPTH,
  H_PRIORITY_FLOOR,
  H_REPLAY_LENGTH,
  H_REPLAY_POS,
  H_RNG_A,
  H_STATUS,
  H_STEP,
  H_STEP_LIMIT,
  H_TOKEN,
  NAME_CHARS,
  OP_RESUME,
  P_HAS_VALUE,
  P_PENDING_OBJ,
  P_PENDING_OP,
  P_PENDING_VALUE,
  P_PRIORITY,
  P_REPLAY_NAME,
  P_STATE,
  P_TIMED,
  P_WAKE,
  READY,
  REPLAY_BASE,
  REPLAY_NAMES_BASE_UNITS,
  RUNNING,
  RUN_DEADLOCK,
  RUN_DIVERGED,
  RUN_DONE,
  RUN_STEP_LIMIT,
  S_FLAGS,
  S_OBJ,
  S_OP,
  S_RUNNABLE,
  S_VALUE,
  S_WHO,
  MAX_STEPS,
  MODE_DFS,
  MODE_FAIR,
  MODE_PCT,
  MODE_RANDOM,
  MODE_REPLAY,
  WAKE_TIMEOUT,
  WOKEN,
  pBase,
  readText,
  stepBase,
  type SchedulerViews,
} from './state.ts';

/*
 * The one decision of the controlled scheduler: given the state of every participant,
 * which one performs the next operation. Called only by the thread holding the token
 * (or the first thread to arrive), under the state lock. It is a pure function of the
 * shared state, so it does not matter which thread computes it.
 */

/** xorshift32 over the scheduler's RNG word. */
export function nextRandom(i32: Int32Array): number {
  let x = i32[H_RNG_A]! | 0 || 0x2545f491;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  i32[H_RNG_A] = x;
  return x >>> 0;
}

/** A fresh PCT priority, above the change-point priorities 1..depth-1. */
export function nextPriority(i32: Int32Array): number {
  return 1000 + (nextRandom(i32) % 1_000_000);
}

/** Index of `name` among the replayed schedule's thread names, or -1. */
export function lookupReplayName(v: SchedulerViews, name: string): number {
  for (let k = 0; k < 32; k++) {
    const n = readText(v.u16, REPLAY_NAMES_BASE_UNITS + k * NAME_CHARS, NAME_CHARS);
    if (n === '') return -1;
    if (n === fitName(name)) return k;
  }
  return -1;
}

function end(i32: Int32Array, status: number): number {
  Atomics.store(i32, H_TOKEN, -1);
  Atomics.store(i32, H_STATUS, status);
  Atomics.notify(i32, H_STATUS);
  return -1;
}

/** A blocked thread whose virtual deadline comes first, or -1. */
function firstDeadline(v: SchedulerViews, n: number): number {
  let best = -1;
  for (let i = 0; i < n; i++) {
    const b = pBase(i);
    if (v.i32[b + P_STATE] !== BLOCKED || v.i32[b + P_TIMED] !== 1) continue;
    if (best < 0 || v.f64[F_DEADLINES + i]! < v.f64[F_DEADLINES + best]!) best = i;
  }
  return best;
}

/**
 * Chooses who goes next and records the step. @returns the participant, or -1 when the
 * run is over (its status is then set and the supervisor woken).
 */
export function decide(v: SchedulerViews, current: number): number {
  const { i32, f64 } = v;
  const n = i32[H_PARTICIPANTS]!;
  const runnable: number[] = [];
  let blocked = 0;
  for (let i = 0; i < n; i++) {
    const s = i32[pBase(i) + P_STATE];
    if (s === READY || s === WOKEN || s === RUNNING) runnable.push(i);
    else if (s === BLOCKED) blocked++;
  }
  if (runnable.length === 0) {
    // A timed wait expires only when nothing else can run: virtual time jumps to it.
    const first = firstDeadline(v, n);
    if (first < 0) return end(i32, blocked > 0 ? RUN_DEADLOCK : RUN_DONE);
    f64[F_CLOCK] = Math.max(f64[F_CLOCK]!, f64[F_DEADLINES + first]!);
    i32[pBase(first) + P_WAKE] = WAKE_TIMEOUT;
    i32[pBase(first) + P_STATE] = WOKEN;
    runnable.push(first);
  }
  const step = i32[H_STEP]!;
  if (step >= Math.min(i32[H_STEP_LIMIT]!, MAX_STEPS)) return end(i32, RUN_STEP_LIMIT);
  if (runnable.length > 1) i32[H_CHOICE_STEPS]!++;
  const chosen = choose(v, runnable, current);
  if (chosen < 0) return -1;
  const b = pBase(chosen);
  const at = stepBase(step);
  const resumed = i32[b + P_STATE] === WOKEN;
  i32[at + S_WHO] = chosen;
  i32[at + S_OP] = resumed ? OP_RESUME : i32[b + P_PENDING_OP]!;
  i32[at + S_OBJ] = i32[b + P_PENDING_OBJ]!;
  i32[at + S_VALUE] = i32[b + P_PENDING_VALUE]!;
  i32[at + S_FLAGS] = (resumed ? 2 : 0) | (!resumed && i32[b + P_HAS_VALUE] === 1 ? 1 : 0);
  let mask = 0;
  for (const i of runnable) mask |= 1 << i;
  i32[at + S_RUNNABLE] = mask;
  i32[H_STEP] = step + 1;
  i32[H_LAST_RUNNER] = chosen;
  i32[b + P_STATE] = RUNNING;
  if (current >= 0 && current !== chosen && i32[pBase(current) + P_STATE] === RUNNING) i32[pBase(current) + P_STATE] = READY;
  Atomics.store(i32, H_TOKEN, chosen);
  return chosen;
}

/**
 * One way of choosing who runs next, among the runnable participants (never empty).
 * @returns the participant, or -1 after ending the run (a schedule that does not fit).
 */
interface Strategy {
  choose(v: SchedulerViews, runnable: readonly number[], current: number): number;
}

/** A seeded random walk: each runnable thread equally likely at every step. */
const randomWalk: Strategy = {
  choose: ({ i32 }, runnable) => runnable[nextRandom(i32) % runnable.length]!,
};

/** The steps of a given schedule, by thread name; past its end the current thread goes on, as a hand-written schedule expects. */
const replaySchedule: Strategy = {
  choose: ({ i32 }, runnable, current) => {
    const pos = i32[H_REPLAY_POS]!;
    if (pos >= i32[H_REPLAY_LENGTH]!) return runnable.includes(current) ? current : runnable[0]!;
    const want = i32[REPLAY_BASE + pos]!;
    i32[H_REPLAY_POS] = pos + 1;
    const who = runnable.find((i) => i32[pBase(i) + P_REPLAY_NAME] === want);
    return who ?? diverge(i32, pos, want);
  },
};

/** A prefix of the depth-first tree, by participant; past it, a seeded choice (gradings with other seeds walk the tree in another order). */
const depthFirst: Strategy = {
  choose: ({ i32 }, runnable) => {
    const pos = i32[H_REPLAY_POS]!;
    if (pos >= i32[H_REPLAY_LENGTH]!) return runnable[nextRandom(i32) % runnable.length]!;
    i32[H_REPLAY_POS] = pos + 1;
    const want = i32[REPLAY_BASE + pos]!;
    return runnable.includes(want) ? want : diverge(i32, pos, want);
  },
};

/** Round robin: every thread gets its turn (tells a loop that never ends from one starved by an unfair schedule). */
const fair: Strategy = {
  choose: ({ i32 }, runnable) => {
    const last = i32[H_LAST_RUNNER]!;
    return runnable.find((i) => i > last) ?? runnable[0]!;
  },
};

const pct: Strategy = { choose: (v, runnable) => choosePct(v, runnable) };

/** The strategies, by the mode code the run was set up with (runner.ts writes it to H_MODE). */
const STRATEGIES: readonly Strategy[] = Object.assign([] as Strategy[], {
  [MODE_RANDOM]: randomWalk,
  [MODE_PCT]: pct,
  [MODE_REPLAY]: replaySchedule,
  [MODE_FAIR]: fair,
  [MODE_DFS]: depthFirst,
});

function diverge(i32: Int32Array, pos: number, want: number): number {
  i32[H_DIVERGED_AT] = pos;
  i32[H_DIVERGED_WANT] = want;
  return end(i32, RUN_DIVERGED);
}

function choose(v: SchedulerViews, runnable: number[], current: number): number {
  return (STRATEGIES[v.i32[H_MODE]!] ?? randomWalk).choose(v, runnable, current);
}

/**
 * PCT: the runnable thread with the highest priority runs. At each of depth-1 change
 * points (counted in steps where more than one thread could run) the thread that just
 * ran drops below every other thread.
 */
function choosePct(v: SchedulerViews, runnable: readonly number[]): number {
  const { i32 } = v;
  const depth = i32[H_PCT_DEPTH]!;
  const k = i32[H_CHOICE_STEPS]!;
  if (runnable.length > 1) {
    for (let c = 0; c < depth - 1 && c < 3; c++) {
      if (i32[H_CHANGE_1 + c] === k) {
        const last = i32[H_LAST_RUNNER]!;
        if (last >= 0) i32[pBase(last) + P_PRIORITY] = --i32[H_PRIORITY_FLOOR]!;
      }
    }
  }
  let best = runnable[0]!;
  for (const i of runnable) if (i32[pBase(i) + P_PRIORITY]! > i32[pBase(best) + P_PRIORITY]!) best = i;
  return best;
}

