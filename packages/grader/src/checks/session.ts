import { configureSupervisor, onThreadException, terminateAllThreads, type ThreadExceptionInfo } from '@threadlings/core';
import { installStrategy } from '@threadlings/core/internal';
import { layout, runtime } from '@threadlings/core/internal';
import type { Manifest } from '../manifest.ts';
import { stopAllThreads } from './threads.ts';

/**
 * One grading of one exercise, as the checks see it: where the graded files are, the
 * exercise's limits, the time left. Opening it sets up the supervisor for free runs;
 * closing it leaves no thread or worker behind, whatever the checks did.
 */
export interface Session {
  readonly exerciseId: string;
  readonly exerciseDir: string;
  /** Root of the graded files (the exercise folder, or the solution's with --solutions). */
  readonly sourceRoot: string;
  readonly manifest: Manifest;
  /** Most threads alive at once in a check (manifest limits.threads). */
  readonly maxThreads: number;
  /** performance.now() by which the grading should be over (the CLI kills it at limits.timeMs). */
  readonly deadline: number;
  /** Exceptions of threads the submission started itself, since the last `takeExceptions()`. */
  takeExceptions(): ThreadExceptionInfo[];
  /** Sets the worker pool back to the size free runs use (after a check that changed it). */
  restorePool(): void;
  close(): Promise<void>;
}

/** Workers kept for reuse between runs: starting one costs 50-100 ms. */
const POOL_SIZE = 8;
/** Part of limits.timeMs the checks may use: the rest is for starting and reporting. */
const BUDGET_SHARE = 0.8;

export function openSession(options: { exerciseId: string; exerciseDir: string; sourceRoot: string; manifest: Manifest }): Session {
  const { manifest } = options;
  const maxThreads = manifest.limits.threads;
  const i32 = runtime().i32;
  const restorePool = (): void => configureSupervisor({ poolSize: Math.min(POOL_SIZE, maxThreads) });
  restorePool();
  // Wait sites name the student's line in deadlock reports; the thread limit stops floods at start().
  Atomics.store(i32, layout.H_RECORD_SITES, 1);
  Atomics.store(i32, layout.H_THREAD_LIMIT, maxThreads);
  let exceptions: ThreadExceptionInfo[] = [];
  const removeHandler = onThreadException((info) => {
    if (exceptions.length < 20) exceptions.push(info);
  });
  return {
    ...options,
    maxThreads,
    deadline: performance.now() + manifest.limits.timeMs * BUDGET_SHARE,
    restorePool,
    takeExceptions() {
      const taken = exceptions;
      exceptions = [];
      return taken;
    },
    async close() {
      installStrategy(null);
      await stopAllThreads();
      await terminateAllThreads();
      removeHandler();
      configureSupervisor({ poolSize: 0 });
      Atomics.store(i32, layout.H_RECORD_SITES, 0);
      Atomics.store(i32, layout.H_THREAD_LIMIT, 0);
    },
  };
}
