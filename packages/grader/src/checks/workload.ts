import { runProgram } from '@threadlings/core';
import { installStrategy } from '@threadlings/core/internal';
import type { Scenario } from '../scenario.ts';
import { chaosConfig } from './chaos.ts';
import { describeThreadError } from './describe-error.ts';
import { guardRun, type RunFailure } from './guard.ts';
import { NO_OBJECTS } from './objects.ts';
import { runScenarioFree, type RunSettings, type ThreadTime } from './run-free.ts';
import type { Session } from './session.ts';
import { settlePool } from './threads.ts';

/**
 * A program to run as a student would: a module's exported `main()` (or another export)
 * on a thread of its own, where it may block, start threads and join them.
 *
 * @example
 * ```ts
 * const crunch: ProgramWorkload = { program: t.source('src/crunch.ts'), export: 'main', args: [4] };
 * ```
 */
export interface ProgramWorkload {
  /** Absolute path of the module (from `t.source(...)` / `ctx.source(...)`). */
  readonly program: string;
  /** The export to run; "main" by default. */
  readonly export?: string;
  readonly args?: readonly unknown[];
}

/**
 * What timing and structure checks run: a scenario, or a program.
 * @example `t.overlap('downloads overlap', t.program('src/fetch.ts', { export: 'fetchAll', args: [4] }), { atLeast: 2.5 });`
 */
export type Workload = Scenario<any> | ProgramWorkload;

export function isProgram(w: Workload): w is ProgramWorkload {
  return typeof (w as ProgramWorkload).program === 'string';
}

export interface ProgramRun {
  /** What the export returned (shared objects arrive as records; plain data as is). */
  readonly result: unknown;
  readonly failure: RunFailure | undefined;
  readonly elapsedMs: number;
}

/** Runs a program once under the watchdog, with the chaos strategy observing (or perturbing). */
export async function runProgramFree(session: Session, program: ProgramWorkload, settings: RunSettings): Promise<ProgramRun> {
  await settlePool();
  installStrategy(chaosConfig({ seed: settings.seed, perturb: settings.perturb, gauge: settings.gauge ?? null }));
  let result: unknown;
  let failure: RunFailure | undefined;
  const t0 = performance.now();
  const guarded = await guardRun(session, NO_OBJECTS, settings.timeLimitMs, async () => {
    const r = await runProgram(program.program, { export: program.export ?? 'main', args: program.args ?? [] });
    result = r.result;
    if (r.error !== undefined) failure = { kind: 'error', ...describeThreadError('MainThread', r.error, session.sourceRoot, session.maxThreads) };
  });
  return { result, failure: guarded.failure ?? failure, elapsedMs: performance.now() - t0 };
}

/** Runs a workload once: its failure, if any, how long it took, and (scenarios) how each thread used its time. */
export async function runWorkload(
  session: Session,
  workload: Workload,
  settings: RunSettings,
): Promise<{ failure: RunFailure | undefined; elapsedMs: number; times: readonly ThreadTime[] }> {
  if (isProgram(workload)) return { ...(await runProgramFree(session, workload, settings)), times: [] };
  return runScenarioFree(session, workload, settings);
}
