import { createGauge, readGauge } from '../gauge.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { runTimeLimit } from './env.ts';
import { median, ms, times } from './measure.ts';
import { mixSeed } from './random.ts';
import { runWorkload, type Workload } from './workload.ts';

/**
 * Options of an overlap check (waits that should overlap, like I/O).
 * @example `{ atLeast: 2.5, repetitions: 5 }`
 */
export interface OverlapOptions {
  /** The ratio sequential / elapsed the waits must reach (e.g. 2.5 for four 100 ms waits). */
  readonly atLeast: number;
  /** Repetitions; the median counts (default 5). */
  readonly repetitions?: number;
  readonly timeLimitMs?: number;
}

/**
 * Do waits (sleeps standing for I/O) overlap? Each run measures its own sequential
 * baseline: the work gauge adds up how long each wait took (what they would take one
 * after another) and times the span from the first start to the last end. Baseline and
 * measurement come from the same run, so they cannot drift apart; the ratio's median over
 * the repetitions is compared with `atLeast`. Waits overlap on any machine, however many
 * cores it has, so this check can fail a submission, and does so every run.
 *
 * The repetitions stop as soon as a majority of them is on one side of `atLeast`: the
 * median of all of them would be on that side too, whatever the others measured. Waits
 * done one after another are failed after three runs of five, not five.
 */
export async function runOverlap(env: CheckEnv, workload: Workload, options: OverlapOptions): Promise<CheckOutcome> {
  const repetitions = options.repetitions ?? 5;
  const ratios: number[] = [];
  const sums: number[] = [];
  const spans: number[] = [];
  const majority = Math.floor(repetitions / 2) + 1;
  for (let rep = 0; rep < repetitions; rep++) {
    const gauge = createGauge();
    const r = await runWorkload(env.session, workload, { seed: mixSeed(env.seed, rep), perturb: false, timeLimitMs: runTimeLimit(env, options.timeLimitMs), gauge });
    env.progress(rep + 1, repetitions);
    if (r.failure !== undefined) {
      return { status: 'fail', message: r.failure.message, details: r.failure.details, runs: rep + 1, failures: 1, ...(r.failure.location === undefined ? {} : { location: r.failure.location }) };
    }
    const seen = readGauge(gauge);
    if (seen.entries === 0 || seen.spanMs <= 0) {
      return { status: 'fail', message: "None of the waits ran: the exercise's task functions were never called. Does your code call them?", runs: rep + 1, failures: 1 };
    }
    ratios.push(seen.totalMs / seen.spanMs);
    sums.push(seen.totalMs);
    spans.push(seen.spanMs);
    const enough = ratios.filter((r) => r >= options.atLeast).length;
    if (enough >= majority || ratios.length - enough >= majority) break;
  }
  const runs = ratios.length;
  const ratio = median(ratios);
  const figures = [
    { name: 'overlap (sequential / elapsed)', value: Number(ratio.toFixed(2)), unit: '×', reference: options.atLeast },
    { name: 'sequential time', value: Math.round(median(sums)), unit: 'ms' },
    { name: 'elapsed time', value: Math.round(median(spans)), unit: 'ms' },
  ];
  const how = `the waits add up to ${ms(median(sums))} and took ${ms(median(spans))} from the first start to the last end (median of ${runs} runs${runs < repetitions ? `, enough of the ${repetitions} to decide it` : ''})`;
  if (ratio >= options.atLeast) {
    return { status: 'pass', message: `The waits overlapped: ${times(ratio)} faster than one after another; ${how}.`, runs, failures: 0, figures };
  }
  return {
    status: 'fail',
    message:
      `The waits did not overlap enough: only ${times(ratio)} faster than one after another (at least ${times(options.atLeast)} expected); ${how}. ` +
      'Start a thread for every task first, then join them all.',
    runs,
    failures: ratios.filter((r) => r < options.atLeast).length,
    figures,
  };
}
