import { configureSupervisor } from '@threadlings/core';
import type { CheckResult } from '../results.ts';
import type { Scenario } from '../scenario.ts';
import { DepthFirst } from './dfs.ts';
import { contextSwitches, explainBlocked, interleavingTable, isPreemption, preemptions, traceSteps } from './report.ts';
import { STARTUP_MS, recordOf, runControlled, type ControlledRun, type Mode, type RunParams } from './runner.ts';
import { ESCAPE_CLOCK, ESCAPE_TIMER } from './state.ts';
import { SCHEDULE_VERSION, ScheduleError, checkSlug, formatSchedule, nameToken, parseSchedule } from './schedule.ts';

/** Options of a controlled exploration. */
export interface ExploreOptions {
  /** Check name, for reports and the schedule header. */
  readonly check: string;
  /** Exercise id ("07"), for the schedule header and the reproduce command. */
  readonly exercise: string;
  readonly seed: number;
  /** How many schedules to try (default 500). */
  readonly schedules?: number;
  /** A schedule to replay instead of exploring (from --replay). */
  readonly replay?: string;
  /** Most threads a check may start. */
  readonly maxThreads?: number;
  /** Steps one run may take before it counts as a spin loop (default 5,000). */
  readonly stepLimit?: number;
  /** Wall-clock limit of one run, in ms (default 2,000). */
  readonly runTimeMs?: number;
  /** Replays spent making the shown schedule shorter (default 60). */
  readonly shrinkBudget?: number;
  /** Prefix stripped from source paths in reports. */
  readonly root?: string;
  /**
   * Schedules spent first on a depth-first search of every interleaving (default: a fifth
   * of `schedules`, at most 100). A program small enough to finish it is verified completely.
   */
  readonly exhaustiveBudget?: number;
  /**
   * Give up, with an inconclusive result, on a scenario whose run reaches the step limit
   * or the time limit, instead of reporting it as a spin loop: for a search that looks
   * again for a failure already seen free-running, in a scenario that may be too long to
   * explore step by step.
   */
  readonly giveUpOnLongRuns?: boolean;
}

type FailureKind = 'verdict' | 'deadlock' | 'raised' | 'spin';

/** What went wrong in a run, or undefined if it passed. */
function failureOf(run: ControlledRun): FailureKind | undefined {
  if (run.status === 'deadlock') return 'deadlock';
  if (run.status === 'step-limit') return 'spin';
  if (run.status === 'done' && run.verdict !== undefined && !run.verdict.ok) return run.verdict.label === 'raised' ? 'raised' : 'verdict';
  return undefined;
}

function mix(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b9)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 1;
}

/** The mix of strategies, schedule by schedule: random walks and PCT at depths 1–4. */
function planFor(i: number): { mode: Mode; depth: number } {
  const plan: { mode: Mode; depth: number }[] = [
    { mode: 'random', depth: 1 },
    { mode: 'pct', depth: 2 },
    { mode: 'pct', depth: 3 },
    { mode: 'random', depth: 1 },
    { mode: 'pct', depth: 1 },
    { mode: 'pct', depth: 2 },
    { mode: 'random', depth: 1 },
    { mode: 'pct', depth: 4 },
  ];
  return plan[i % plan.length]!;
}

function schedulesText(run: ControlledRun, options: ExploreOptions): string {
  return formatSchedule({ version: SCHEDULE_VERSION, exercise: options.exercise, check: options.check, steps: run.steps.map((s) => run.names[s.who]!) });
}

function replayParams(base: RunParams, names: readonly string[]): RunParams {
  const { prefix: _dfsPrefix, ...rest } = base;
  return { ...rest, mode: 'replay', replay: names };
}

/** How a shown schedule is ranked: fewer preemptions first, then fewer switches, then fewer steps. */
function simpler(a: ControlledRun, b: ControlledRun): boolean {
  const pa = preemptions(a.steps);
  const pb = preemptions(b.steps);
  if (pa !== pb) return pa < pb;
  const sa = contextSwitches(a.steps);
  const sb = contextSwitches(b.steps);
  return sa !== sb ? sa < sb : a.steps.length < b.steps.length;
}

/**
 * Makes the failing schedule easier to read: removes preemptions one at a time (letting
 * the thread that was preempted go on instead) while the run still fails the same way.
 * Switches at a block or at a thread's end cannot be removed, and are not tried.
 */
async function shrink<S>(scenario: Scenario<S>, failing: ControlledRun, kind: FailureKind, base: RunParams, budget: number): Promise<ControlledRun> {
  let best = failing;
  let spent = 0;
  for (let improved = true; improved && spent < budget; ) {
    improved = false;
    const steps = best.steps;
    // Latest first: removing a late preemption keeps the prefix that set up the failure.
    for (let j = steps.length - 1; j >= 1 && spent < budget; j--) {
      if (!isPreemption(steps, j)) continue;
      const prefix = steps.slice(0, j).map((s) => best.names[s.who]!);
      spent++;
      const candidate = await runControlled(scenario, replayParams(base, prefix));
      if (failureOf(candidate) === kind && simpler(candidate, best)) {
        best = candidate;
        improved = true;
        break;
      }
    }
  }
  return best;
}

function describeFailure(run: ControlledRun, kind: FailureKind, options: ExploreOptions): { message: string; details: string } {
  const table = interleavingTable(run, options.root);
  const switches = contextSwitches(run.steps);
  const shape = `The interleaving (${run.steps.length} steps, ${switches} context switch${switches === 1 ? '' : 'es'}; * marks a switch):\n${table}`;
  if (kind === 'deadlock') {
    const { message, report } = explainBlocked(run, options.root);
    return { message, details: `${report}\n\n${shape}` };
  }
  if (kind === 'spin') {
    return {
      message: `no progress: the threads took ${run.steps.length} steps without finishing, even when each thread gets its turn — a loop that polls (isSet(), locked(), a shared value) for something that never happens?`,
      details: shape,
    };
  }
  const verdict = run.verdict as { message: string };
  return { message: verdict.message, details: shape };
}

/**
 * Runs a scenario under the controlled scheduler: threads one at a time, a seeded
 * strategy choosing who runs at each scheduling point. The first failure is shrunk,
 * replayed to confirm it, and reported with its schedule and interleaving.
 */
export async function exploreScenario<S>(scenario: Scenario<S>, options: ExploreOptions): Promise<CheckResult> {
  const started = performance.now();
  configureSupervisor({ poolSize: Math.max(4, options.maxThreads ?? 4) });
  const base: RunParams = {
    mode: 'random',
    seed: options.seed,
    stepLimit: options.stepLimit ?? 5_000,
    timeLimitMs: options.runTimeMs ?? 2_000,
  };
  const common = { name: options.check, kind: 'explore' as const, seed: options.seed };
  if (options.replay !== undefined) return replay(scenario, options, started);
  return explore(scenario, options, base, started, common);
}

async function explore<S>(
  scenario: Scenario<S>,
  options: ExploreOptions,
  base: RunParams,
  started: number,
  common: { name: string; kind: 'explore'; seed: number },
): Promise<CheckResult> {
  const total = options.schedules ?? 500;
  const dfsBudget = Math.min(total, options.exhaustiveBudget ?? Math.min(100, Math.ceil(total / 5)));
  const dfs = new DepthFirst();
  let searching = dfsBudget > 0;
  let k = 1;
  let discarded = 0;
  for (let i = 0; i < total; i++) {
    const params: RunParams = searching
      ? { ...base, mode: 'dfs', prefix: dfs.prefix, seed: mix(options.seed, i) }
      : { ...base, ...planFor(i), seed: mix(options.seed, i), k };
    let run = await runControlled(scenario, params);
    if (searching) {
      const more = dfs.advance(run);
      if (!more && failureOf(run) === undefined && run.status !== 'timeout') {
        return {
          ...common,
          status: 'pass',
          message: `no failure in any of the ${i + 1} possible interleavings (explored exhaustively)`,
          runs: i + 1,
          failures: 0,
          figures: [{ name: 'interleavings', value: i + 1 }],
          durationMs: performance.now() - started,
        };
      }
      searching = more && i + 1 < dfsBudget;
    }
    if (options.giveUpOnLongRuns === true && (run.status === 'timeout' || run.status === 'step-limit')) {
      return { ...common, status: 'inconclusive', message: `a run of this scenario takes more than ${base.stepLimit} steps: too long to explore step by step`, runs: i + 1, failures: 0, durationMs: performance.now() - started };
    }
    if (run.status === 'timeout') return spinResult(run, options, i + 1, started);
    // PCT draws its change points from the length of a run: only a run that ended (not one cut
    // off at the step limit, nor one set aside as unfair) says how long a run is.
    if (run.status === 'done' || run.status === 'deadlock') k = Math.max(k, run.choiceSteps);
    let kind = failureOf(run);
    if (kind === 'spin') {
      // An unfair schedule can starve a thread that would end a wait-loop: only a fair run that also never ends is a bug.
      run = await runControlled(scenario, { ...params, mode: 'fair' });
      kind = failureOf(run);
      if (kind === undefined) {
        discarded++;
        continue;
      }
    }
    if (kind === undefined) continue;
    const shrunk = kind === 'spin' ? run : await shrink(scenario, run, kind, params, options.shrinkBudget ?? 60);
    const names = shrunk.steps.map((s) => shrunk.names[s.who]!);
    const confirm = await runControlled(scenario, { ...replayParams(params, names), recordSites: true });
    const schedule = schedulesText(shrunk, options);
    if (failureOf(confirm) !== kind) {
      return {
        ...common,
        status: 'error',
        message:
          `a failure was found, but replaying its schedule did not fail the same way: something in the code escapes the scheduler's control ` +
          `(timers or promises, Date.now, module state kept between runs).${escapeNote(confirm)}`,
        details: schedule,
        runs: i + 1,
        failures: 1,
        schedule,
        durationMs: performance.now() - started,
      };
    }
    const { message, details } = describeFailure(confirm, kind, options);
    return {
      ...common,
      status: 'fail',
      message: `${message} — found by the controlled scheduler in schedule ${i + 1} (seed ${options.seed}); replay it exactly with the command below.`,
      details: `${details}${escapeNote(confirm)}`,
      runs: i + 1,
      failures: 1,
      schedule,
      trace: traceSteps(confirm),
      exactReplay: true,
      reproduce: `pnpm grade ${options.exercise} --replay '${schedule}'`,
      figures: [
        { name: 'context switches', value: contextSwitches(confirm.steps) },
        { name: 'preemptions', value: preemptions(confirm.steps) },
      ],
      durationMs: performance.now() - started,
    };
  }
  const ms = performance.now() - started;
  return {
    ...common,
    status: 'pass',
    message: `no failure in ${total} controlled schedules (random walks and PCT, depths 1–4)${discarded > 0 ? `; ${discarded} unfair schedules set aside` : ''}`,
    runs: total,
    failures: 0,
    figures: [{ name: 'schedules per second', value: Math.round((total * 1000) / ms), unit: 'schedules/s' }],
    durationMs: ms,
  };
}

/** What the threads did that the scheduler does not control, as a note for the report. */
function escapeNote(run: ControlledRun): string {
  const what: string[] = [];
  if ((run.escapes & ESCAPE_TIMER) !== 0) what.push('a timer (setTimeout, setInterval or setImmediate)');
  if ((run.escapes & ESCAPE_CLOCK) !== 0) what.push('the wall clock (Date.now)');
  return what.length === 0 ? '' : `\nNote: a thread used ${what.join(' and ')}, which the scheduler does not control: runs may not repeat exactly.`;
}

function spinResult(run: ControlledRun, options: ExploreOptions, runs: number, started: number): CheckResult {
  const who = run.spinning ?? 'a thread';
  const ident = run.idents[run.names.indexOf(who)];
  const r = ident === undefined ? undefined : recordOf(ident);
  const last = r === undefined || r.lastOp === 'none' ? '' : ` Its last operation: ${r.lastOp} ${r.lastObjectLabel}.`;
  const common = { name: options.check, kind: 'explore' as const, status: 'fail' as const, seed: options.seed, runs, failures: 1, durationMs: performance.now() - started };
  if (run.neverLoaded === true) {
    return {
      ...common,
      message:
        `${who} did not get under way within ${STARTUP_MS / 1000} s: its module never finished loading. ` +
        'Code at the top level of a module runs when the module is imported: a loop or a wait there never ends. Move it into a function.',
    };
  }
  // A run that took no step has no interleaving to show.
  const table = run.steps.length === 0 ? {} : { details: interleavingTable(run, options.root) };
  return {
    ...common,
    message:
      `${who} ran for ${((options.runTimeMs ?? 2000) / 1000).toFixed(1)} s without reaching any operation on a shared object (start-up not counted): ` +
      `an endless loop on a plain variable? A loop that waits must block (Event.wait, Condition.wait, join).${last}`,
    ...table,
  };
}

/** Replays one schedule (from --replay, or written by a student) and reports what happened. */
async function replay<S>(scenario: Scenario<S>, options: ExploreOptions, started: number): Promise<CheckResult> {
  const outcome = await runSchedule(scenario, options.replay!, { ...options });
  const common = { name: options.check, kind: 'replay' as const, seed: options.seed, runs: 1, durationMs: performance.now() - started };
  if (outcome.kind === 'rejected') return { ...common, status: 'error', message: outcome.message, failures: 0 };
  const run = outcome.run;
  const kind = failureOf(run);
  const schedule = schedulesText(run, options);
  if (run.status === 'timeout') return spinResult(run, options, 1, started);
  if (kind === undefined) {
    return { ...common, status: 'pass', message: 'the schedule replayed to the end and nothing failed', schedule, trace: traceSteps(run), details: interleavingTable(run, options.root), failures: 0 };
  }
  const { message, details } = describeFailure(run, kind, options);
  return { ...common, status: 'fail', message, details, schedule, trace: traceSteps(run), failures: 1, exactReplay: true, reproduce: `pnpm grade ${options.exercise} --replay '${schedule}'` };
}

export type ScheduleOutcome = { readonly kind: 'rejected'; readonly message: string } | { readonly kind: 'ran'; readonly run: ControlledRun };

/**
 * Runs the scenario along a schedule. A schedule for another exercise or check, or one
 * that does not fit the program (it names a thread that cannot run at that step), is
 * rejected with the step where it diverged.
 */
export async function runSchedule<S>(
  scenario: Scenario<S>,
  text: string,
  options: Pick<ExploreOptions, 'check' | 'exercise' | 'seed' | 'stepLimit' | 'runTimeMs'>,
): Promise<ScheduleOutcome> {
  let parsed;
  try {
    parsed = parseSchedule(text);
  } catch (e) {
    if (e instanceof ScheduleError) return { kind: 'rejected', message: `the schedule cannot be read: ${e.message}` };
    throw e;
  }
  if (parsed.exercise !== options.exercise || checkSlug(parsed.check) !== checkSlug(options.check)) {
    return {
      kind: 'rejected',
      message: `this schedule belongs to exercise ${parsed.exercise}, check "${parsed.check}"; this is exercise ${options.exercise}, check "${checkSlug(options.check)}"`,
    };
  }
  configureSupervisor({ poolSize: 4 });
  const run = await runControlled(scenario, {
    mode: 'replay',
    seed: options.seed,
    replay: parsed.steps,
    recordSites: true,
    stepLimit: options.stepLimit ?? 5_000,
    timeLimitMs: options.runTimeMs ?? 2_000,
  });
  if (run.status === 'diverged' && run.diverged !== undefined) {
    const { step, want } = run.diverged;
    const i = run.names.indexOf(want);
    // An unquoted `rx2` reads as r×2: say so when a thread's name is the step and its repeat count.
    const misread = run.names.find((n) => n.startsWith(want) && /^[x*×]\d+$/.test(n.slice(want.length)));
    const quote = misread === undefined ? '' : `; to name ${misread}, write it in quotes ("${misread}"): unquoted it reads as ${want}×${misread.slice(want.length + 1)}`;
    const why = i < 0 ? `there is no thread named ${nameToken(want)} (threads: ${run.names.map(nameToken).join(', ')})${quote}` : `${nameToken(want)} cannot run at that point (it is blocked or finished)`;
    return { kind: 'rejected', message: `the schedule does not fit the program at step ${step + 1}: ${why}. The steps before it ran as written.` };
  }
  if ((run.status === 'done' || run.status === 'deadlock') && run.steps.length < parsed.steps.length) {
    const m = run.steps.length;
    const after = run.status === 'done' ? 'every thread had finished' : 'the threads were blocked for good (a deadlock)';
    return {
      kind: 'rejected',
      message:
        `the schedule does not fit the program at step ${m + 1}: it has ${parsed.steps.length} steps, but after step ${m} ${after}, ` +
        `so ${parsed.steps[m]} had no step left to take. Steps are operations on shared objects only; remove the extra ones.`,
    };
  }
  return { kind: 'ran', run };
}

/** What a schedule written by a student must make the scenario do. */
export type ScheduleExpectation = 'fail' | 'deadlock';

/**
 * Replays a schedule a student wrote (the lesson is to find the interleaving that breaks
 * the code): the check passes when the scenario fails along it the way the exercise asks
 * (its judge rejects the outcome, or the threads deadlock), and fails, with the
 * interleaving the schedule produced, when it does not.
 */
export async function playStudentSchedule<S>(
  scenario: Scenario<S>,
  text: string,
  expect: ScheduleExpectation,
  options: ExploreOptions & { readonly file: string },
): Promise<CheckResult> {
  const started = performance.now();
  const common = { name: options.check, kind: 'replay' as const, seed: options.seed, runs: 1 };
  const outcome = await runSchedule(scenario, text, options);
  if (outcome.kind === 'rejected') {
    return { ...common, status: 'fail', message: `${options.file}: ${outcome.message}`, failures: 1, durationMs: performance.now() - started };
  }
  const run = outcome.run;
  if (run.status === 'timeout') return spinResult(run, options, 1, started);
  const kind = failureOf(run);
  const schedule = schedulesText(run, options);
  const table = run.steps.length === 0 ? '' : interleavingTable(run, options.root);
  const shape = `The interleaving your schedule produced (${run.steps.length} steps; * marks a switch):\n${table}`;
  const wanted = expect === 'deadlock' ? 'a deadlock' : 'the failure the exercise asks for';
  if ((expect === 'deadlock' && kind === 'deadlock') || (expect === 'fail' && kind === 'verdict')) {
    const { message, details } = describeFailure(run, kind, options);
    return {
      ...common,
      status: 'pass',
      message: `your schedule in ${options.file} makes it fail: ${message}`,
      details,
      schedule,
      trace: traceSteps(run),
      failures: 0,
      durationMs: performance.now() - started,
    };
  }
  const what =
    kind === undefined
      ? `every thread ran to its end and nothing went wrong${run.verdict?.label === undefined ? '' : ` (${run.verdict.label})`}`
      : kind === 'deadlock'
        ? 'the threads deadlocked, which is not the failure asked for'
        : kind === 'raised'
          ? describeFailure(run, kind, options).message
          : kind === 'spin'
            ? 'the threads went round without finishing, which is not the failure asked for'
            : `it failed (${(run.verdict as { message: string }).message}), but ${wanted} was asked for`;
  return {
    ...common,
    status: 'fail',
    message:
      `your schedule in ${options.file} did not produce ${wanted}: ${what}. ` +
      'Read the interleaving below: which thread must run between which two steps of another?',
    details: shape,
    schedule,
    trace: traceSteps(run),
    failures: 1,
    durationMs: performance.now() - started,
  };
}
