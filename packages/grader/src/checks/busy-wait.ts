import type { Scenario } from '../scenario.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { runTimeLimit } from './env.ts';
import { median, ms } from './measure.ts';
import { mixSeed } from './random.ts';
import { runScenarioFree } from './run-free.ts';

/**
 * Options of a busy-waiting check.
 * @example `{ thread: 'consumer', atMost: 0.2 }`
 */
export interface BusyWaitOptions {
  /** Name of the scenario thread that should spend its time waiting (blocked). */
  readonly thread: string;
  /** Most CPU time it may use, as a share of its time (default 0.2). */
  readonly atMost?: number;
  /** Runs; the median counts (default 3). */
  readonly runs?: number;
  readonly timeLimitMs?: number;
}

/** CPU below this is never busy waiting, whatever the share: the clock ticks are 10 ms. */
const NOISE_MS = 30;

/** A thread that wanted a core (ran, or was ready to run) this share of its time never blocked: it spun. */
const ALWAYS_RUNNABLE = 0.6;

/**
 * Does a thread wait by blocking, or by spinning? The scenario keeps it waiting (another
 * thread sleeps before it sets the event, fills the queue...); the thread's own CPU time
 * over its run, read from /proc (see cpu-time.ts), says how it waited: a blocked thread uses
 * next to none, a spinning one keeps a core busy. On a busy machine a spinning thread gets
 * a core only part of the time, and its CPU share can fall under the limit: there the
 * kernel's time it spent ready to run without a core counts too. A blocked thread is never
 * ready to run; a spinning one always is, whatever the load.
 */
export async function runBusyWait<S>(env: CheckEnv, scenario: Scenario<S>, options: BusyWaitOptions): Promise<CheckOutcome> {
  const runs = options.runs ?? 3;
  const atMost = options.atMost ?? 0.2;
  const cpu: number[] = [];
  const wall: number[] = [];
  const queued: number[] = [];
  for (let run = 0; run < runs; run++) {
    const r = await runScenarioFree(env.session, scenario, { seed: mixSeed(env.seed, run), perturb: false, timeLimitMs: runTimeLimit(env, options.timeLimitMs) });
    env.progress(run + 1, runs);
    if (r.failure !== undefined) {
      return { status: 'fail', message: r.failure.message, details: r.failure.details, runs: run + 1, failures: 1, ...(r.failure.location === undefined ? {} : { location: r.failure.location }) };
    }
    const t = r.times.find((x) => x.name === options.thread);
    if (t === undefined) throw new Error(`busyWait: the scenario has no thread named "${options.thread}" (its threads: ${r.times.map((x) => x.name).join(', ')})`);
    if (Number.isNaN(t.cpuMs)) {
      return { status: 'inconclusive', message: "Busy waiting is measured from each thread's own CPU time, which only Linux reports (/proc): it could not be judged here.", runs: run + 1 };
    }
    cpu.push(t.cpuMs);
    wall.push(t.wallMs);
    queued.push(t.runQueueMs);
  }
  const cpuMs = median(cpu);
  const wallMs = median(wall);
  const share = wallMs > 0 ? cpuMs / wallMs : 0;
  const figures = [
    { name: 'CPU time while waiting', value: Math.round(cpuMs), unit: 'ms' },
    { name: 'time', value: Math.round(wallMs), unit: 'ms' },
    { name: 'CPU share', value: Number(share.toFixed(2)), reference: atMost },
  ];
  const what = `"${options.thread}" used ${ms(cpuMs)} of CPU time in the ${ms(wallMs)} it ran (${Math.round(share * 100)}%; median of ${runs} runs)`;
  // Ready to run as well as running, run by run (NaN where the kernel does not say).
  const wanted = median(cpu.map((c, i) => c + queued[i]!));
  const wantedShare = wallMs > 0 ? wanted / wallMs : 0;
  if (cpuMs > NOISE_MS && share <= atMost && wanted > NOISE_MS && wantedShare > ALWAYS_RUNNABLE) {
    figures.push({ name: 'share of its time running or ready to run', value: Number(wantedShare.toFixed(2)), reference: ALWAYS_RUNNABLE });
    return {
      status: 'fail',
      message:
        `${what}, and it was running or ready to run for ${Math.round(wantedShare * 100)}% of its time: on this busy machine it got a core only part of the time, but it never blocked: that is busy waiting. ` +
        'Block instead — event.wait(), condition.wait(), or a lock — so that the thread uses no CPU until it is woken.',
      runs,
      failures: runs,
      figures,
    };
  }
  if (cpuMs > NOISE_MS && share > atMost) {
    return {
      status: 'fail',
      message: `${what}, most of it while it should have been waiting: that is busy waiting. Block instead — event.wait(), condition.wait(), or a lock — so that the thread uses no CPU until it is woken.`,
      runs,
      failures: runs,
      figures,
    };
  }
  return { status: 'pass', message: `${what}: it waited without keeping a core busy.`, runs, failures: 0, figures };
}
