import { HOLD_MS, createGauge, readGauge } from '../gauge.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { runTimeLimit } from './env.ts';
import { mixSeed } from './random.ts';
import { runWorkload, type Workload } from './workload.ts';

/**
 * Options of a structure check ("was the work done concurrently?").
 * @example `{ atLeast: 4, runs: 3 }`
 */
export interface StructureOptions {
  /** Threads that must be inside the work at the same moment (default 2). */
  readonly atLeast?: number;
  /** Runs, each of which must show it (default 3). */
  readonly runs?: number;
  readonly timeLimitMs?: number;
}

/**
 * Decides "concurrent or serial" from what the threads did, not from time, which varies
 * with the machine and its load: the work gauge counts how many threads were inside the work at once. A
 * serial submission never has two inside, on any machine; a concurrent one always does,
 * because the gauge holds an entering thread while another could still come (see
 * gauge.ts), so slow worker start-up cannot hide the overlap.
 */
export async function runStructure(env: CheckEnv, workload: Workload, options: StructureOptions = {}): Promise<CheckOutcome> {
  const atLeast = options.atLeast ?? 2;
  const runs = options.runs ?? 3;
  const peaks: number[] = [];
  let entries = 0;
  for (let run = 0; run < runs; run++) {
    const timeLimitMs = runTimeLimit(env, options.timeLimitMs);
    // Hold an entering thread for company at most a third of the run's time: never long enough to make a hang.
    const gauge = createGauge(atLeast, Math.min(HOLD_MS, timeLimitMs / 3));
    const r = await runWorkload(env.session, workload, { seed: mixSeed(env.seed, run), perturb: false, timeLimitMs, gauge });
    env.progress(run + 1, runs);
    if (r.failure !== undefined) {
      return { status: 'fail', message: r.failure.message, details: r.failure.details, runs: run + 1, failures: 1, ...(r.failure.location === undefined ? {} : { location: r.failure.location }) };
    }
    const seen = readGauge(gauge);
    if (seen.entries === 0) {
      return {
        status: 'fail',
        message: "No thread did any of the work: the exercise's work functions were never called. Does your code call them (in its threads)?",
        runs: run + 1,
        failures: 1,
      };
    }
    entries = seen.entries;
    peaks.push(seen.peak);
  }
  const highest = Math.max(...peaks);
  const figures = [
    { name: 'threads inside the work at once', value: highest, reference: atLeast },
    { name: 'parts of the work', value: entries },
  ];
  // Serial code never has two threads inside, in any run; concurrent code shows it in every run but a freak one
  // (a thread that took longer than the hold to start), so one run that shows it is enough.
  if (highest >= atLeast) {
    return { status: 'pass', message: `The work ran concurrently: up to ${highest} threads were inside it at the same moment (${runs} runs).`, runs, failures: 0, figures };
  }
  return {
    status: 'fail',
    message:
      `The work ran one stretch at a time: it was done in ${entries} parts, but never more than ${highest} ${highest === 1 ? 'thread was' : 'threads were'} ` +
      `inside it at the same moment, in any of ${runs} runs (at least ${atLeast} expected). Start all the threads before you join any of them, and do not hold a lock around the work itself.`,
    runs,
    failures: runs,
    figures,
  };
}
