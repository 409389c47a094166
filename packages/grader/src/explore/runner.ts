import { Thread, onThreadException } from '@threadlings/core';
import { installStrategy, layout, objectLabel, operationOf, readSlot, runtime, supervisor, threadTable, waitAsync, type ThreadRecord } from '@threadlings/core/internal';
import type { ErrorInfo } from '@threadlings/core';
import type { RunOutcome, Scenario, Verdict } from '../scenario.ts';
import { threadNames } from '../scenario.ts';
import { nextPriority, nextRandom } from './decide.ts';
import {
  BLOCKED,
  F_CLOCK,
  H_ABORT,
  H_CHANGE_1,
  H_CHOICE_STEPS,
  H_DIVERGED_AT,
  H_DIVERGED_WANT,
  H_ESCAPES,
  H_MODE,
  MODE_DFS,
  MODE_FAIR,
  MODE_PCT,
  MODE_RANDOM,
  MODE_REPLAY,
  H_PARTICIPANTS,
  H_PCT_DEPTH,
  H_PCT_K,
  H_PRIORITY_FLOOR,
  H_RECORD_SITES,
  H_REPLAY_LENGTH,
  H_RNG_A,
  H_SEED,
  H_STARTING,
  H_STATUS,
  H_STEP,
  H_STEP_LIMIT,
  H_TOKEN,
  HEADER_WORDS,
  MAX_PARTICIPANTS,
  MAX_SCHEDULE,
  NAME_CHARS,
  NO_TOKEN,
  OP_RESUME,
  P_IDENT,
  P_PARK,
  P_PRIORITY,
  P_LOADED,
  distinctName,
  fitName,
  P_REPLAY_NAME,
  P_STATE,
  PARTICIPANT_WORDS,
  REPLAY_BASE,
  REPLAY_NAMES_BASE_UNITS,
  RUN_DEADLOCK,
  RUN_DIVERGED,
  RUN_DONE,
  RUN_GOING,
  RUN_STEP_LIMIT,
  S_FLAGS,
  S_OBJ,
  S_OP,
  S_RUNNABLE,
  S_VALUE,
  S_WHO,
  SITE_CHARS,
  SITE_STEPS,
  SITES_BASE_UNITS,
  STARTING,
  TOTAL_BYTES,
  pBase,
  readText,
  stepBase,
  views,
  writeText,
  type SchedulerViews,
} from './state.ts';

/*
 * The supervisor's side of one controlled run: build the scenario, register its threads
 * as the first participants, start them, and wait (without blocking) until the
 * participants report that the run is over. One scheduler buffer is reused run after
 * run; a run that did not end cleanly has its threads terminated first.
 */

const CONTROLLED = new URL('./controlled.ts', import.meta.url).pathname;
const SCENARIO_THREAD = new URL('../scenario-thread.ts', import.meta.url).pathname;

export type Mode = 'random' | 'pct' | 'replay' | 'fair' | 'dfs';
const MODE_CODES: Record<Mode, number> = { random: MODE_RANDOM, pct: MODE_PCT, replay: MODE_REPLAY, fair: MODE_FAIR, dfs: MODE_DFS };

export interface RunParams {
  readonly mode: Mode;
  readonly seed: number;
  /** PCT depth (1–4: up to three change points) and the estimated number of choice steps. */
  readonly depth?: number;
  readonly k?: number;
  /** Thread names to follow, one per step (replay mode). */
  readonly replay?: readonly string[];
  /** Participant indices to follow before taking the first runnable thread (dfs mode). */
  readonly prefix?: readonly number[];
  readonly recordSites?: boolean;
  readonly stepLimit: number;
  /** Wall-clock limit: a thread spinning on a plain variable never reaches a scheduling point. */
  readonly timeLimitMs: number;
  /** Longest the threads may take to get under way (not counted in timeLimitMs); STARTUP_MS when omitted. */
  readonly startupMs?: number;
}

export interface Step {
  readonly who: number;
  /** Operation name, or 'resume' for a thread going on after a wait it was woken from. */
  readonly op: string;
  readonly objectId: number;
  readonly object: string;
  readonly value: number | undefined;
  readonly resumed: boolean;
  readonly site: string;
  /** The participants that could have run at this step. */
  readonly runnable: readonly number[];
}

export type RunStatus = 'done' | 'deadlock' | 'step-limit' | 'diverged' | 'timeout';

export interface ControlledRun {
  readonly status: RunStatus;
  readonly names: readonly string[];
  /** Thread idents, parallel to `names`. */
  readonly idents: readonly number[];
  readonly steps: readonly Step[];
  /** Decisions where more than one thread could run. */
  readonly choiceSteps: number;
  /** The verdict, for runs that completed. */
  readonly verdict: Verdict | undefined;
  readonly outcome: RunOutcome | undefined;
  /** For a deadlock: every blocked thread's wait record, from the thread table. */
  readonly blocked: readonly { readonly name: string; readonly record: ThreadRecord | undefined }[];
  /** For a divergence: the step and the thread the schedule named. */
  readonly diverged: { readonly step: number; readonly want: string } | undefined;
  /** Who held the token when the wall-clock limit ended the run. */
  readonly spinning: string | undefined;
  /** The run timed out because a thread never got its code loaded (a module whose top level never ends). */
  readonly neverLoaded?: boolean;
  readonly escapes: number;
}

let buffer: SchedulerViews | undefined;

function reset(v: SchedulerViews, p: RunParams, threads: number): void {
  const { i32, f64, u16 } = v;
  i32.fill(0, 0, HEADER_WORDS + MAX_PARTICIPANTS * PARTICIPANT_WORDS);
  u16.fill(0, 0, 2 * MAX_PARTICIPANTS * NAME_CHARS);
  f64[F_CLOCK] = 0;
  i32[H_TOKEN] = NO_TOKEN;
  i32[H_STATUS] = RUN_GOING;
  i32[H_STARTING] = threads;
  i32[H_MODE] = MODE_CODES[p.mode];
  i32[H_SEED] = p.seed | 0;
  i32[H_RNG_A] = (p.seed | 0) || 0x2545f491;
  i32[H_STEP_LIMIT] = p.stepLimit;
  i32[H_RECORD_SITES] = p.recordSites === true ? 1 : 0;
  i32[H_PRIORITY_FLOOR] = 1000;
  const depth = Math.min(4, Math.max(1, p.depth ?? 1));
  i32[H_PCT_DEPTH] = depth;
  const k = Math.max(1, p.k ?? 20);
  i32[H_PCT_K] = k;
  for (let c = 0; c < depth - 1; c++) i32[H_CHANGE_1 + c] = 1 + (nextRandom(i32) % k);
  if (p.mode === 'replay' && p.replay !== undefined) {
    const names = [...new Set(p.replay.map(fitName))];
    if (names.length > MAX_PARTICIPANTS) throw new Error(`a schedule may name at most ${MAX_PARTICIPANTS} threads`);
    names.forEach((n, k2) => writeText(u16, REPLAY_NAMES_BASE_UNITS + k2 * NAME_CHARS, NAME_CHARS, n));
    const steps = p.replay.slice(0, MAX_SCHEDULE);
    steps.forEach((n, s) => (i32[REPLAY_BASE + s] = names.indexOf(fitName(n))));
    i32[H_REPLAY_LENGTH] = steps.length;
  }
  if (p.mode === 'dfs' && p.prefix !== undefined) {
    const steps = p.prefix.slice(0, MAX_SCHEDULE);
    steps.forEach((who, s) => (i32[REPLAY_BASE + s] = who));
    i32[H_REPLAY_LENGTH] = steps.length;
  }
}

function readSteps(v: SchedulerViews): Step[] {
  const { i32, u16 } = v;
  const n = i32[H_STEP]!;
  const steps: Step[] = [];
  for (let s = 0; s < n; s++) {
    const at = stepBase(s);
    const flags = i32[at + S_FLAGS]!;
    const op = i32[at + S_OP]!;
    const objectId = i32[at + S_OBJ]!;
    const mask = i32[at + S_RUNNABLE]!;
    const runnable: number[] = [];
    for (let i = 0; i < MAX_PARTICIPANTS; i++) if ((mask & (1 << i)) !== 0) runnable.push(i);
    steps.push({
      runnable,
      who: i32[at + S_WHO]!,
      op: op === OP_RESUME ? 'resume' : operationOf(op),
      objectId,
      object: objectId === 0 ? '' : objectLabel(objectId),
      value: (flags & 1) !== 0 ? i32[at + S_VALUE]! : undefined,
      resumed: (flags & 2) !== 0,
      site: s < SITE_STEPS ? readText(u16, SITES_BASE_UNITS + s * SITE_CHARS, SITE_CHARS) : '',
    });
  }
  return steps;
}

const STATUS_NAMES: Record<number, RunStatus> = {
  [RUN_DONE]: 'done',
  [RUN_DEADLOCK]: 'deadlock',
  [RUN_STEP_LIMIT]: 'step-limit',
  [RUN_DIVERGED]: 'diverged',
};

/** Runs the scenario once under the controlled scheduler. */
export async function runControlled<S>(scenario: Scenario<S>, p: RunParams): Promise<ControlledRun> {
  buffer ??= views(new SharedArrayBuffer(TOTAL_BYTES));
  const v = buffer;
  const state = scenario.setup();
  const specs = scenario.threads(state);
  if (specs.length > MAX_PARTICIPANTS) throw new Error(`a controlled run can hold at most ${MAX_PARTICIPANTS} threads`);
  const names: string[] = [];
  for (const n of threadNames(specs)) names.push(distinctName(n, new Set(names)));
  reset(v, p, specs.length);
  // Exceptions in the threads are part of the run's verdict (and unwinding threads raise
  // ControlAborted): nothing is printed while the run lasts.
  const quiet = onThreadException(() => undefined);
  try {
    return await runAndCollect(scenario, state, specs, names, v, p);
  } finally {
    quiet();
  }
}

async function runAndCollect<S>(
  scenario: Scenario<S>,
  state: S,
  specs: ReturnType<Scenario<S>['threads']>,
  names: string[],
  v: SchedulerViews,
  p: RunParams,
): Promise<ControlledRun> {
  // The thread table records where each thread blocks while sites are wanted (the final replay only: it costs a stack trace).
  if (p.recordSites === true) Atomics.add(runtime().i32, layout.H_RECORD_SITES, 1);
  const threads: Thread[] = [];
  installStrategy({ module: CONTROLLED, export: 'controlledStrategy', options: { sab: v.sab } });
  try {
    supervisor().startTogether(() => specs.forEach((spec, i) => {
      const base = pBase(i);
      writeText(v.u16, i * NAME_CHARS, NAME_CHARS, names[i]!);
      v.i32[base + P_STATE] = STARTING;
      v.i32[base + P_PRIORITY] = nextPriority(v.i32);
      v.i32[base + P_LOADED] = -1;
      v.i32[base + P_REPLAY_NAME] = p.replay === undefined ? -1 : [...new Set(p.replay.map(fitName))].indexOf(fitName(names[i]!));
      const t = new Thread({
        target: 'runScenarioThread',
        module: SCENARIO_THREAD,
        args: [null, spec.module, spec.export, spec.args ?? []],
        name: names[i]!,
      });
      t.start();
      threads.push(t);
      Atomics.store(v.i32, base + P_IDENT, t.ident!);
      Atomics.store(v.i32, H_PARTICIPANTS, i + 1);
      Atomics.notify(v.i32, H_PARTICIPANTS);
    }));
  } finally {
    installStrategy(null);
  }
  const waited = await waitForEnd(v, p.timeLimitMs, p.startupMs ?? STARTUP_MS);
  if (p.recordSites === true) Atomics.sub(runtime().i32, layout.H_RECORD_SITES, 1);
  const code = Atomics.load(v.i32, H_STATUS);
  const status: RunStatus = waited !== 'ended' && code === RUN_GOING ? 'timeout' : (STATUS_NAMES[code] ?? 'timeout');
  const participants = Atomics.load(v.i32, H_PARTICIPANTS);
  const allNames = Array.from({ length: participants }, (_, i) => readText(v.u16, i * NAME_CHARS, NAME_CHARS));
  const idents = Array.from({ length: participants }, (_, i) => Atomics.load(v.i32, pBase(i) + P_IDENT));
  const steps = readSteps(v);
  const blocked = status === 'deadlock' ? blockedThreads(v, participants, allNames) : [];
  const token = Atomics.load(v.i32, H_TOKEN);
  let outcome: RunOutcome | undefined;
  let verdict: Verdict | undefined;
  if (status === 'done') {
    await Promise.all(threads.map((t) => t.joinAsync()));
    outcome = {
      results: threads.map((t) => t.result),
      errors: threads.map((t): ErrorInfo | undefined => t.error),
      names,
      history: steps.map((st) => ({ thread: allNames[st.who]!, op: st.op, object: st.object, value: st.value })),
    };
    const raised = outcome.errors.findIndex((e) => e !== undefined);
    verdict =
      raised >= 0 && scenario.allowErrors !== true
        ? { ok: false, message: `thread ${names[raised]} raised ${outcome.errors[raised]!.name}: ${outcome.errors[raised]!.message}`, label: 'raised' }
        : scenario.judge(state, outcome);
  } else {
    await unwind(v, idents);
  }
  await supervisor().settle();
  return {
    status,
    names: allNames,
    idents,
    steps,
    choiceSteps: v.i32[H_CHOICE_STEPS]!,
    verdict,
    outcome,
    blocked,
    diverged:
      status === 'diverged'
        ? { step: v.i32[H_DIVERGED_AT]!, want: readText(v.u16, REPLAY_NAMES_BASE_UNITS + v.i32[H_DIVERGED_WANT]! * NAME_CHARS, NAME_CHARS) }
        : undefined,
    spinning: status === 'timeout' ? spinner(v, token, allNames) : undefined,
    neverLoaded: status === 'timeout' && waited === 'never-loaded',
    escapes: v.i32[H_ESCAPES]!,
  };
}

/** Longest the threads of a run may take to get under way (a worker free, modules loaded) before the run is over anyway. */
export const STARTUP_MS = 20_000;
/** How often the supervisor looks whether some thread is still getting under way. */
const SLICE_MS = 25;

/**
 * Waits for the run to end. Its time limit counts only the time in which every thread is
 * under way: while one waits for a worker or loads its modules (seconds on a busy machine)
 * the clock of the run stands still, so that a slow machine never reads as an endless loop.
 */
async function waitForEnd(v: SchedulerViews, limitMs: number, startupMs: number): Promise<'ended' | 'limit' | 'never-loaded'> {
  let counted = 0;
  let booting = 0;
  let last = performance.now();
  for (;;) {
    const left = limitMs - counted;
    const r = await waitAsync(v.i32, H_STATUS, RUN_GOING, Math.max(1, Math.min(SLICE_MS, left)));
    if (r !== 'timed-out' || Atomics.load(v.i32, H_STATUS) !== RUN_GOING) return 'ended';
    const now = performance.now();
    if (gettingUnderWay(v)) booting += now - last;
    else counted += now - last;
    last = now;
    if (counted >= limitMs) return 'limit';
    if (booting >= startupMs) return 'never-loaded';
  }
}

/** True while some thread of the run has not yet loaded its own code. */
function gettingUnderWay(v: SchedulerViews): boolean {
  const n = Atomics.load(v.i32, H_PARTICIPANTS);
  for (let i = 0; i < n; i++) {
    const base = pBase(i);
    if (Atomics.load(v.i32, base + P_STATE) === STARTING && Atomics.load(v.i32, base + P_LOADED) < 1) return true;
  }
  return false;
}

/**
 * Who kept the run from ending: a thread that never reached its first point (whoever holds
 * the token waits for it before deciding), or else the token holder.
 */
function spinner(v: SchedulerViews, token: number, names: readonly string[]): string | undefined {
  const starting = names.filter((_, i) => v.i32[pBase(i) + P_STATE] === STARTING);
  if (starting.length > 0) return starting.join(' and ');
  return token >= 0 ? names[token] : undefined;
}

/** Grace for parked threads to unwind before their workers are terminated instead. */
const UNWIND_MS = 500;

/**
 * Ends a run that did not finish: parked threads unwind (ControlAborted) so their workers
 * return to the pool; any that do not within the grace period are terminated.
 */
async function unwind(v: SchedulerViews, idents: readonly number[]): Promise<void> {
  Atomics.store(v.i32, H_ABORT, 1);
  Atomics.notify(v.i32, H_ABORT);
  for (let i = 0; i < idents.length; i++) Atomics.notify(v.i32, pBase(i) + P_PARK);
  const deadline = performance.now() + UNWIND_MS;
  const i32 = runtime().i32;
  const mine = new Set(idents);
  for (const r of threadTable().filter((t) => mine.has(t.ident))) {
    const at = layout.slotBase(r.slot) + layout.T_STATUS;
    // Wait on the value read here, not on a fresh read: the thread may end in between.
    for (let s = Atomics.load(i32, at); Math.floor(s / layout.STATE_RANGE) === r.ident && s % layout.STATE_RANGE !== layout.STATE_DONE; s = Atomics.load(i32, at)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await waitAsync(i32, at, s, left);
    }
  }
  const stuck = threadTable().filter((t) => mine.has(t.ident));
  if (stuck.length > 0) await supervisor().terminate(new Set(stuck.map((t) => t.ident)));
}

/** The thread table's record of thread `ident` (a finished one too, until its slot is reused). */
export function recordOf(ident: number): ThreadRecord | undefined {
  for (let slot = 1; slot < layout.MAX_THREADS; slot++) {
    const r = readSlot(slot);
    if (r?.ident === ident) return r;
  }
  return undefined;
}

function blockedThreads(v: SchedulerViews, n: number, names: readonly string[]): { name: string; record: ThreadRecord | undefined }[] {
  const out: { name: string; record: ThreadRecord | undefined }[] = [];
  for (let i = 0; i < n; i++) {
    if (v.i32[pBase(i) + P_STATE] !== BLOCKED) continue;
    out.push({ name: names[i]!, record: recordOf(v.i32[pBase(i) + P_IDENT]!) });
  }
  return out;
}

