import { createRequire } from 'node:module';
import type { Barrier } from '@threadlings/core';
import { runScenarioThread } from '../scenario-thread.ts';
import { threadCpuMs, threadRunQueueMs } from './cpu-time.ts';

/*
 * The body of a free-running scenario thread: the scenario's own body
 * (runScenarioThread: start barrier, then the graded export), measured. The graded module
 * is loaded first, so that compiling it is not counted; then the thread's CPU time, its
 * time waiting for a core and the clock are read before and after, into its six Float64
 * words of the run's probe:
 *   CPU_START, CPU_END (ms of this thread's own CPU time), WALL_START, WALL_END (ms),
 *   RUNQ_START, RUNQ_END (ms this thread was ready to run but had no core; NaN if unknown).
 * The words are plain stores: the supervisor reads them after joining the thread, and
 * the join's atomic status word orders them before it.
 */
export const PROBE_WORDS = 6;
export const CPU_START = 0;
export const CPU_END = 1;
export const WALL_START = 2;
export const WALL_END = 3;
export const RUNQ_START = 4;
export const RUNQ_END = 5;

const load = createRequire(import.meta.url);

/** The thread body of every free run: see the comment above. */
export function runProbedThread(start: Barrier, module: string, exportName: string, args: unknown[], probe: SharedArrayBuffer, index: number): unknown {
  try {
    load(module);
  } catch (e) {
    // The other threads wait at the start barrier for this one: let them go (they see it broken).
    start.abort();
    throw e;
  }
  const words = new Float64Array(probe, index * PROBE_WORDS * 8, PROBE_WORDS);
  words[CPU_START] = threadCpuMs() ?? Number.NaN;
  words[RUNQ_START] = threadRunQueueMs() ?? Number.NaN;
  words[WALL_START] = performance.timeOrigin + performance.now();
  try {
    return runScenarioThread(start, module, exportName, args);
  } finally {
    words[CPU_END] = threadCpuMs() ?? Number.NaN;
    words[RUNQ_END] = threadRunQueueMs() ?? Number.NaN;
    words[WALL_END] = performance.timeOrigin + performance.now();
  }
}
