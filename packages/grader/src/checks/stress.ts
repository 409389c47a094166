import type { Scenario } from '../scenario.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { runTimeLimit } from './env.ts';
import type { RunFailure } from './guard.ts';
import { OutcomeTable } from './outcomes.ts';
import { mixSeed } from './random.ts';
import { runScenarioFree } from './run-free.ts';

/**
 * Options of a free-running stress check.
 * @example `{ runs: 200, failure: 'lost updates', timeLimitMs: 2000 }`
 */
export interface StressOptions {
  /** How many runs (default 200). */
  readonly runs?: number;
  /** What a forbidden outcome means, as a plural noun phrase for the verdict: "lost updates". */
  readonly failure?: string;
  /** Milliseconds one run may take before it is reported as a hang (default 5000). */
  readonly timeLimitMs?: number;
  /**
   * After a failure, look for the same failure under the controlled scheduler, and show
   * its schedule, which replays exactly (default true). Scenarios too long to explore
   * step by step are given up at once.
   */
  readonly schedule?: boolean;
}

export const DEFAULT_RUNS = 200;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Runs a scenario many times, free-running under chaos, and counts its outcomes
 * (jcstress). A forbidden outcome fails the check with how often it happened; a
 * deadlock, a hang or a thread that fails ends the check at once (they need no counting:
 * each is a bug on its own, and each stops its threads, which costs time).
 */
export async function runStress<S>(env: CheckEnv, scenario: Scenario<S>, options: StressOptions = {}): Promise<CheckOutcome> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const table = new OutcomeTable();
  let first: { run: number; failure: RunFailure } | undefined;
  let outOfTime = false;
  for (let run = 0; run < runs; run++) {
    if (performance.now() > env.session.deadline) {
      outOfTime = true;
      break;
    }
    const r = await runScenarioFree(env.session, scenario, { seed: mixSeed(env.seed, run), perturb: true, timeLimitMs: runTimeLimit(env, options.timeLimitMs) });
    table.add(r.label, r.failure === undefined, run);
    env.progress(run + 1, runs);
    if (r.failure === undefined) continue;
    first ??= { run, failure: r.failure };
    if (r.failure.kind !== 'verdict') break;
  }
  const done = table.runs;
  const summary = `Outcomes of ${plural(done, 'run')}${outOfTime ? ` (of ${runs}: the exercise's time budget ran out)` : ''}:\n${table.format()}`;
  if (first === undefined) {
    return {
      status: 'pass',
      message: `No forbidden outcome in ${plural(done, 'run')}${outOfTime ? ` (${runs} were planned; the time budget ran out)` : ''}.`,
      details: summary,
      runs: done,
      failures: 0,
    };
  }
  const { failure, run } = first;
  const message =
    failure.kind === 'verdict'
      ? `${options.failure ?? 'Forbidden outcomes'} in ${table.forbidden} of ${plural(done, 'run')} (${failure.message} in run ${run + 1})`
      : `${failure.message} Seen in run ${run + 1} of ${runs}; the check stopped there.`;
  return {
    status: 'fail',
    message: message.charAt(0).toUpperCase() + message.slice(1),
    details: [failure.details, summary].filter((d) => d !== '').join('\n\n'),
    runs: done,
    failures: table.forbidden,
    exactReplay: false,
    ...(failure.location === undefined ? {} : { location: failure.location }),
    ...(failure.latencyMs === undefined ? {} : { figures: [{ name: 'deadlock detection latency', value: Math.round(failure.latencyMs), unit: 'ms' }] }),
  };
}
