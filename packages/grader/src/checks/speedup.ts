import { createGauge, readGauge } from '../gauge.ts';
import { defineScenario } from '../scenario.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { runTimeLimit } from './env.ts';
import { CPU_TICK_MS } from './cpu-time.ts';
import type { RunFailure } from './guard.ts';
import { median, ms, times } from './measure.ts';
import { mixSeed } from './random.ts';
import { runWorkload, type Workload } from './workload.ts';

/**
 * Options of a CPU speed-up check.
 * @example `{ subject: t.program('src/crunch.ts', { export: 'crunchAll', args: [2e8, 2] }), baseline: { program: serialModule, export: 'crunchSerial', args: [2e8] }, threads: 2 }`
 */
export interface SpeedupOptions {
  /** The student's concurrent version. */
  readonly subject: Workload;
  /** The same work done serially (the exercise's own serial version, or the student's with one thread). */
  readonly baseline: Workload;
  /** Threads the subject uses: the calibration workload is split over as many. */
  readonly threads: number;
  /** Repetitions of each measurement, interleaved; medians count (default 5). */
  readonly repetitions?: number;
  /** Share of the calibration's gain the subject must reach (default 0.5: half of it). */
  readonly share?: number;
  readonly timeLimitMs?: number;
}

/** Below this calibration speed-up the machine is not showing parallelism right now. */
export const PARALLEL_MACHINE = 1.25;
/** A failure needs a machine that clearly shows parallelism: at least this, in every repetition. */
export const CLEARLY_PARALLEL = 1.5;
/**
 * ...and whose calibration threads each had a core to themselves: their own CPU time at
 * least this share of their time, in every repetition (a busy machine time-slices them).
 */
export const OWN_CORE = 0.75;
/** Each calibration thread works at least this long, so that ticks of CPU time can tell its share of a core. */
const MIN_CALIBRATION_THREAD_MS = 100;

export interface SpeedupFigures {
  /** baseline / subject (medians) */
  readonly speedup: number;
  /** The fastest baseline repetition / the median subject: the speed-up at its least. */
  readonly speedupLow: number;
  /** The median baseline / the fastest subject repetition: the speed-up at its most. */
  readonly speedupHigh: number;
  /** one-thread calibration / n-thread calibration (medians) */
  readonly calibration: number;
  /** The lowest calibration speed-up of a single repetition: how steady the machine was. */
  readonly calibrationLow: number;
  /** The lowest share of a core a calibration thread got in any repetition (NaN where /proc does not tell). */
  readonly coreShareLow: number;
  readonly threads: number;
  readonly share: number;
}

/** Why a speed-up could not be judged. */
export type Undecided = 'no parallelism' | 'unsteady work' | 'busy machine';

/**
 * The verdict of a speed-up measurement (pure, so that it can be tested on its own).
 * Pass when the subject reaches `share` of the calibration's gain even at its least (the
 * fastest serial repetition against the median concurrent one); fail when it falls short
 * even at its most (the median serial against the fastest concurrent), and only on a
 * machine that clearly and steadily showed parallelism in every repetition. Anything
 * else is inconclusive, never a failure: a correct submission must not fail because the
 * machine was busy, and run times that jump between repetitions (a JIT that compiled the
 * work in one thread and not yet in another) must not pass a submission or fail it.
 */
export function judgeSpeedup(f: SpeedupFigures): { status: 'pass' | 'fail' | 'inconclusive'; needed: number; undecided?: Undecided } {
  const needed = 1 + (f.calibration - 1) * f.share;
  if (f.calibration < PARALLEL_MACHINE) return { status: 'inconclusive', needed, undecided: 'no parallelism' };
  if (f.speedupLow >= needed) return { status: 'pass', needed };
  if (f.speedupHigh >= needed) return { status: 'inconclusive', needed, undecided: 'unsteady work' };
  const steady = f.calibration >= CLEARLY_PARALLEL && f.calibrationLow >= PARALLEL_MACHINE && f.coreShareLow >= OWN_CORE;
  return steady ? { status: 'fail', needed } : { status: 'inconclusive', needed, undecided: 'busy machine' };
}

const CALIBRATION = new URL('./calibration-work.ts', import.meta.url).pathname;

/** How the machine showed that it was busy. */
function busyness(f: SpeedupFigures): string {
  if (f.calibrationLow < PARALLEL_MACHINE) return `as low as ${times(f.calibrationLow)} in one repetition`;
  if (Number.isNaN(f.coreShareLow)) return 'the threads\' own CPU time could not be read';
  return `its threads got as little as ${Math.round(f.coreShareLow * 100)}% of a core`;
}

function calibration(threads: number, units: number): Workload {
  return defineScenario({
    name: `calibration on ${threads} thread${threads === 1 ? '' : 's'}`,
    setup: () => null,
    threads: () => Array.from({ length: threads }, () => ({ module: CALIBRATION, export: 'calibrationWork', args: [Math.ceil(units / threads)] })),
    judge: () => ({ ok: true }),
  });
}

/**
 * Measures the subject against the baseline, and a calibration workload on one thread
 * against the same on `threads` threads, interleaved in every repetition (so that a
 * moment of load hits all four alike), from the work gauge's spans where the work is
 * instrumented (so that starting workers is not counted) and from elapsed time where not.
 */
export async function runSpeedup(env: CheckEnv, options: SpeedupOptions): Promise<CheckOutcome> {
  const repetitions = options.repetitions ?? 5;
  const threads = Math.max(2, options.threads);
  const runs = new MeasuredRuns(env, options, 3 + 2 * 4 * repetitions);
  try {
    const units = await calibrationUnits(runs, options, threads);
    let f = await measureRound(runs, options, units, threads, repetitions);
    let verdict = judgeSpeedup(f);
    // A failure needs a second look: a burst of load on the machine should not fail anyone.
    if (verdict.status === 'fail') {
      runs.forgetCoreShare();
      f = await measureRound(runs, options, units, threads, repetitions);
      verdict = judgeSpeedup(f);
    }
    return speedupOutcome(f, verdict, 2 * 4 * repetitions);
  } catch (e) {
    if (!(e instanceof MeasuredRunFailed)) throw e;
    return { status: 'fail', message: e.failure.message, details: e.failure.details, failures: 1 };
  }
}

/** A run of the speed-up's measurements failed (a thread threw, a deadlock, a hang): that ends the check. */
class MeasuredRunFailed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
    this.name = 'MeasuredRunFailed';
  }
}

/** The runs of one speed-up check: each timed, counted for progress, its threads' share of a core kept. */
class MeasuredRuns {
  private step = 0;
  /** The lowest share of a core a watched thread got since the last forget (NaN where /proc does not tell). */
  coreShareLow = Number.POSITIVE_INFINITY;

  constructor(
    private readonly env: CheckEnv,
    private readonly options: SpeedupOptions,
    private readonly total: number,
  ) {}

  /** Milliseconds the workload's work took: the gauge's span where it is instrumented (start-up not counted), else the run's. */
  async measure(w: Workload, watchCores = false): Promise<number> {
    const gauge = createGauge();
    const r = await runWorkload(this.env.session, w, { seed: mixSeed(this.env.seed, this.step), perturb: false, timeLimitMs: runTimeLimit(this.env, this.options.timeLimitMs), gauge });
    this.env.progress(++this.step, this.total);
    if (r.failure !== undefined) throw new MeasuredRunFailed(r.failure);
    // NaN (no /proc) makes the share unknown, and a failure impossible.
    for (const t of watchCores ? r.times : []) {
      // CPU time comes in clock ticks, sampled: a thread that had its core throughout may be a tick short.
      const share = t.wallMs > 0 ? Math.min(1, (t.cpuMs + CPU_TICK_MS) / t.wallMs) : Number.NaN;
      this.coreShareLow = Number.isNaN(share) || Number.isNaN(this.coreShareLow) ? Number.NaN : Math.min(this.coreShareLow, share);
    }
    const seen = readGauge(gauge);
    return seen.entries > 0 && seen.spanMs > 0 ? seen.spanMs : r.elapsedMs;
  }

  forgetCoreShare(): void {
    this.coreShareLow = Number.POSITIVE_INFINITY;
  }
}

/**
 * Warms up (workers started, modules compiled) and sizes the calibration workload like
 * the baseline: the units of calibration work one thread does in about the baseline's time.
 */
async function calibrationUnits(runs: MeasuredRuns, options: SpeedupOptions, threads: number): Promise<number> {
  const baselineMs = await runs.measure(options.baseline);
  await runs.measure(options.subject);
  const probeUnits = 2_000_000;
  const probeMs = await runs.measure(calibration(1, probeUnits));
  // At least 100 ms per calibration thread: their CPU time is counted in 10 ms ticks.
  const oneMs = Math.max(threads * MIN_CALIBRATION_THREAD_MS, Math.min(500, baselineMs));
  return Math.round((probeUnits * oneMs) / Math.max(1, probeMs));
}

type RoundFigures = SpeedupFigures & { subjectMs: number; baselineMs: number; subjectRange: [number, number]; baselineRange: [number, number] };

/** One round: baseline, subject and calibration on one and on `threads` threads, `repetitions` times, in a rotating order. */
async function measureRound(runs: MeasuredRuns, options: SpeedupOptions, units: number, threads: number, repetitions: number): Promise<RoundFigures> {
  const m = { baseline: [] as number[], subject: [] as number[], one: [] as number[], many: [] as number[] };
  for (let rep = 0; rep < repetitions; rep++) {
    const order: Array<[keyof typeof m, Workload]> = [
      ['baseline', options.baseline],
      ['subject', options.subject],
      ['one', calibration(1, units)],
      ['many', calibration(threads, units)],
    ];
    // Rotate the order each repetition: no measurement always comes first.
    for (let k = 0; k < order.length; k++) {
      const [key, w] = order[(k + rep) % order.length]!;
      m[key].push(await runs.measure(w, key === 'many'));
    }
  }
  const subjectMs = median(m.subject);
  const baseMs = median(m.baseline);
  const subjectRange: [number, number] = [Math.min(...m.subject), Math.max(...m.subject)];
  const baselineRange: [number, number] = [Math.min(...m.baseline), Math.max(...m.baseline)];
  return {
    speedup: baseMs / subjectMs,
    speedupLow: baselineRange[0] / subjectMs,
    speedupHigh: baseMs / subjectRange[0],
    calibration: median(m.one) / median(m.many),
    calibrationLow: Math.min(...m.one.map((one, i) => one / m.many[i]!)),
    coreShareLow: runs.coreShareLow,
    threads,
    share: options.share ?? 0.5,
    subjectMs,
    baselineMs: baseMs,
    subjectRange,
    baselineRange,
  };
}

/** The check's result from the figures and their verdict, in words and figures. */
function speedupOutcome(f: RoundFigures, verdict: ReturnType<typeof judgeSpeedup>, runs: number): CheckOutcome {
  const figures = [
    { name: 'speed-up', value: Number(f.speedup.toFixed(2)), unit: '×', reference: Number(f.calibration.toFixed(2)) },
    { name: 'calibration speed-up', value: Number(f.calibration.toFixed(2)), unit: '×' },
    { name: 'serial time', value: Math.round(f.baselineMs), unit: 'ms' },
    { name: 'concurrent time', value: Math.round(f.subjectMs), unit: 'ms' },
  ];
  const yours = `your code ran ${times(f.speedup)} as fast as the serial version (${ms(f.subjectMs)} against ${ms(f.baselineMs)})`;
  const machine = `a calibration workload ran ${times(f.calibration)} as fast on ${f.threads} threads as on one, on this machine right now`;
  const base = { runs, figures };
  switch (verdict.status) {
    case 'pass':
      return { ...base, status: 'pass', failures: 0, message: `Speed-up shown: ${yours}; ${machine}.` };
    case 'inconclusive': {
      const retry = 'the structure check already decided whether your code is concurrent.';
      if (verdict.undecided === 'unsteady work') {
        const range = (r: readonly [number, number]): string => `${Math.round(r[0])}–${Math.round(r[1])} ms`;
        return {
          ...base,
          status: 'inconclusive',
          message:
            `The speed-up of your code cannot be judged: the run times varied too much between repetitions (serial version ${range(f.baselineRange)}, your code ${range(f.subjectRange)}): ` +
            `your code ran between ${times(f.speedupLow)} and ${times(f.speedupHigh)} as fast as the serial version, and ${times(verdict.needed)} is needed, while ${machine}. ` +
            `The same work ran at different speeds from one repetition to the next (other work on the machine, or work compiled by the JIT in one thread and not yet in another). Grade again; ${retry}`,
        };
      }
      return {
        ...base,
        status: 'inconclusive',
        message:
          `${verdict.undecided === 'no parallelism' ? 'This machine shows no parallel speed-up at the moment' : 'This machine is too busy to judge a speed-up right now'} ` +
          `(${machine}${verdict.undecided === 'busy machine' ? `, but not steadily: ${busyness(f)}` : ''}), so the speed-up of your code cannot be judged: ${yours}. ` +
          `Grade again when the machine is less busy; ${retry}`,
      };
    }
    case 'fail':
      return {
        ...base,
        status: 'fail',
        failures: 2,
        message: `Too little speed-up: ${yours}, while ${machine} (at least ${times(verdict.needed)} expected, measured twice). Do the threads share the work evenly, or does a lock serialise it?`,
      };
  }
}
