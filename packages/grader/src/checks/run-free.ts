import { Barrier, Thread, type ErrorInfo } from '@threadlings/core';
import { installStrategy } from '@threadlings/core/internal';
import { ChecksError } from '../check-failure.ts';
import { threadNames, type RunOutcome, type Scenario, type ThreadSpec } from '../scenario.ts';
import { chaosConfig } from './chaos.ts';
import { describeThreadError } from './describe-error.ts';
import { guardRun, type RunFailure } from './guard.ts';
import { indexObjects } from './objects.ts';
import { settlePool } from './threads.ts';
import { CPU_END, CPU_START, PROBE_WORDS, RUNQ_END, RUNQ_START, WALL_END, WALL_START } from './probe-thread.ts';
import { studentStack } from './sites.ts';
import type { Session } from './session.ts';

/**
 * One free run of a scenario (docs/architecture.md, "Two ways to run a check"): fresh shared objects from
 * `setup()`, the threads on pooled workers, released together from a start barrier, the
 * chaos strategy installed through the seam, the watchdog watching; then the judgement.
 */
export interface RunSettings {
  /** This run's seed (chaos delays derive from it). */
  readonly seed: number;
  /** Perturb at scheduling points (stress), or only record what threads do (single runs). */
  readonly perturb: boolean;
  /** Past this, the run is a hang: its threads are stopped and described. */
  readonly timeLimitMs: number;
  /** A work gauge for this run (structure, overlap and speed-up checks read it). */
  readonly gauge?: SharedArrayBuffer;
}

/** How one thread of the run used its time, from its own probe. */
export interface ThreadTime {
  readonly name: string;
  /** Its own CPU time from the start barrier to its end, when /proc tells (NaN otherwise). */
  readonly cpuMs: number;
  /** Its time ready to run but without a core, over the same span, when Linux tells (NaN otherwise). */
  readonly runQueueMs: number;
  readonly wallMs: number;
}

export interface FreeRun<S> {
  readonly state: S;
  readonly outcome: RunOutcome | undefined;
  /** Why the run failed; undefined when the judge accepted it. */
  readonly failure: RunFailure | undefined;
  /** The outcome's name for counting (the judge's label, or the kind of failure). */
  readonly label: string;
  readonly times: readonly ThreadTime[];
  readonly elapsedMs: number;
}

const PROBE_MODULE = new URL('./probe-thread.ts', import.meta.url).pathname;

function checkSpecs(specs: readonly ThreadSpec[], session: Session, scenario: Scenario<unknown>): void {
  const what = scenario.name === undefined ? 'a scenario' : `scenario "${scenario.name}"`;
  if (specs.length === 0) throw new ChecksError(`${what} has no threads: threads(state) returned an empty list`);
  if (specs.length > session.maxThreads) {
    throw new ChecksError(`${what} starts ${specs.length} threads, over the exercise's limit of ${session.maxThreads} (limits.threads in threadlings.json)`);
  }
}

function readTimes(probe: SharedArrayBuffer, names: readonly string[]): ThreadTime[] {
  return names.map((name, i) => {
    const w = new Float64Array(probe, i * PROBE_WORDS * 8, PROBE_WORDS);
    return { name, cpuMs: w[CPU_END]! - w[CPU_START]!, runQueueMs: w[RUNQ_END]! - w[RUNQ_START]!, wallMs: w[WALL_END]! - w[WALL_START]! };
  });
}

/** The failure of a thread that matters: one that raised on its own, before those it broke (the start barrier). */
function firstError(errors: readonly (ErrorInfo | undefined)[]): number {
  const order = errors.map((e, i) => ({ e, i })).filter((x) => x.e !== undefined);
  const own = order.find((x) => x.e!.name !== 'BrokenBarrierError');
  return (own ?? order[0])?.i ?? -1;
}

function errorOf(t: Thread): ErrorInfo | undefined {
  try {
    return t.error;
  } catch {
    return undefined;
  }
}

/**
 * When the others got stuck because one thread failed (it raised before the start
 * barrier, or died), the failed thread is the story; what the others waited on is detail.
 */
function blameFailedThread(trouble: RunFailure, threads: readonly Thread[], names: readonly string[], session: Session): RunFailure {
  if (trouble.kind !== 'stuck') return trouble;
  const errors = threads.map((t) => errorOf(t)).map((e) => (e === undefined || e.name === 'Terminated' ? undefined : e));
  const failed = firstError(errors);
  if (failed < 0) return trouble;
  const f = describeThreadError(names[failed]!, errors[failed]!, session.sourceRoot, session.maxThreads);
  return { kind: 'error', message: f.message, details: `${f.details}\n\nThe other threads then waited for ever:\n${trouble.details}`, ...(f.location === undefined ? {} : { location: f.location }) };
}

/** Adds what threads the submission started itself raised (they print nothing while grading) to a failure's details. */
function withOtherExceptions(failure: RunFailure, session: Session, names: readonly string[]): RunFailure {
  const others = session.takeExceptions().filter((e) => !names.includes(e.name));
  if (others.length === 0) return failure;
  const shown = others.map((e) => `Exception in thread ${e.name}:\n${e.error.stack ? studentStack(e.error.stack, session.sourceRoot) : `${e.error.name}: ${e.error.message}`}`).join('\n');
  return { ...failure, details: [failure.details, shown].filter((d) => d !== '').join('\n\n') };
}

/**
 * Runs `scenario` once, free-running.
 * @throws ChecksError when the scenario itself is wrong (no threads, too many), or its judge throws.
 */
export async function runScenarioFree<S>(session: Session, scenario: Scenario<S>, settings: RunSettings): Promise<FreeRun<S>> {
  await settlePool();
  const state = scenario.setup();
  const specs = scenario.threads(state);
  checkSpecs(specs, session, scenario as Scenario<unknown>);
  const names = threadNames(specs);
  const start = new Barrier(specs.length, { name: 'start' });
  const probe = new SharedArrayBuffer(specs.length * PROBE_WORDS * 8);
  const gate = settings.perturb ? { sab: new SharedArrayBuffer(4), names } : null;
  installStrategy(chaosConfig({ seed: settings.seed, perturb: settings.perturb, gauge: settings.gauge ?? null, gate }));
  const t0 = performance.now();
  const threads = specs.map(
    (spec, i) => new Thread({ target: 'runProbedThread', module: PROBE_MODULE, name: names[i]!, args: [start, spec.module, spec.export, spec.args ?? [], probe, i] }),
  );
  const objects = indexObjects([state, specs.map((s) => s.args)]);
  // The run's time starts once every thread has loaded its module (its probe's clock is set).
  const starts = new Float64Array(probe);
  const loaded = (): boolean => names.every((_, i) => starts[i * PROBE_WORDS + WALL_START] !== 0);
  const guarded = await guardRun(
    session,
    objects,
    settings.timeLimitMs,
    async () => {
      for (const t of threads) t.start();
      for (const t of threads) await t.joinAsync();
    },
    loaded,
  );
  const elapsedMs = performance.now() - t0;
  const times = readTimes(probe, names);
  if (guarded.failure !== undefined) {
    const failure = withOtherExceptions(blameFailedThread(guarded.failure, threads, names, session), session, names);
    return { state, outcome: undefined, failure, label: failure.kind === 'error' ? 'a thread failed' : failure.kind, times, elapsedMs };
  }
  const outcome: RunOutcome = { results: threads.map((t) => t.result), errors: threads.map((t) => t.error), names };
  const failed = firstError(outcome.errors);
  if (failed >= 0 && scenario.allowErrors !== true) {
    const f = describeThreadError(names[failed]!, outcome.errors[failed]!, session.sourceRoot, session.maxThreads);
    const failure = withOtherExceptions({ kind: 'error', ...f }, session, names);
    return { state, outcome, failure, label: `${names[failed]} raised ${outcome.errors[failed]!.name}`, times, elapsedMs };
  }
  let verdict;
  try {
    verdict = scenario.judge(state, outcome);
  } catch (e) {
    throw new ChecksError(`the judge of ${scenario.name === undefined ? 'a scenario' : `scenario "${scenario.name}"`} threw: ${(e as Error).message ?? String(e)}`);
  }
  if (verdict.ok) return { state, outcome, failure: undefined, label: verdict.label ?? 'ok', times, elapsedMs };
  const failure = withOtherExceptions({ kind: 'verdict', message: verdict.message, details: '' }, session, names);
  return { state, outcome, failure, label: verdict.label ?? verdict.message, times, elapsedMs };
}
