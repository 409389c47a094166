import { readFileSync } from 'node:fs';
import { installStrategy } from '@threadlings/core/internal';
import type { CheckKind } from './results.ts';
import type { Scenario } from './scenario.ts';
import { createContext, sourcePath, type CheckContext } from './context.ts';
import type { CheckEnv, CheckOutcome } from './checks/env.ts';
import { runBusyWait, type BusyWaitOptions } from './checks/busy-wait.ts';
import { runOverlap, type OverlapOptions } from './checks/overlap.ts';
import { runSpeedup, type SpeedupOptions } from './checks/speedup.ts';
import { runStress, type StressOptions } from './checks/stress.ts';
import { runStructure, type StructureOptions } from './checks/structure.ts';
import { stopAllThreads } from './checks/threads.ts';
import type { ProgramWorkload, Workload } from './checks/workload.ts';
import type { ExploreOptions } from './explore/index.ts';

/**
 * Options of an explore check (the controlled scheduler).
 * @example `t.explore('no lost updates, any interleaving', deposits, { schedules: 1000 });`
 */
export interface ExploreCheckOptions {
  /** How many schedules to try (default 500). */
  readonly schedules?: number;
}

/**
 * How an exercise's checks module registers its checks, in the order they run. The
 * first check that fails stops the grading of the exercise: put the simplest first.
 * Every check loads the graded code through `t.source(...)` (or `ctx.source(...)`), so
 * that grading the solutions (`--solutions`) changes nothing else.
 */
export interface ChecksBuilder {
  /**
   * The absolute path of a graded file, under the source root.
   * @example `const bank = t.source('src/bank.ts');`
   */
  source(path: string): string;
  /**
   * A program workload: an export of a graded file (main by default) run as a student would run it.
   * @example `t.structure('the work runs concurrently', t.program('src/crunch.ts', { export: 'crunchAll', args: [1e7, 4] }));`
   */
  program(file: string, options?: { export?: string; args?: readonly unknown[] }): ProgramWorkload;
  /**
   * A functional check: `fn` fails it through `ctx.fail`/`ctx.assert`/`ctx.equal`, or through a run that fails.
   * @example `t.check('deposits add up', async (ctx) => { await ctx.run(deposits); });`
   */
  check(name: string, fn: (ctx: CheckContext) => Promise<void> | void): void;
  /**
   * Free-running stress: the scenario many times on real threads under seeded chaos, its
   * outcomes counted (jcstress); fails on a forbidden outcome, a deadlock, a hang or a thread that fails.
   * @example `t.stress('no lost updates', deposits, { runs: 200, failure: 'lost updates' });`
   */
  stress<S>(name: string, scenario: Scenario<S>, options?: StressOptions): void;
  /**
   * Controlled exploration: the scenario under the deterministic scheduler; a failure comes with a schedule that replays it exactly.
   * @example `t.explore('no lost updates, any interleaving', deposits, { schedules: 500 });`
   */
  explore<S>(name: string, scenario: Scenario<S>, options?: ExploreCheckOptions): void;
  /**
   * Serial or concurrent, by structure: how many threads were inside the work at once, as
   * the exercise's helpers report it to the work gauge (`gauge.measure(...)`).
   * @example `t.structure('the parts run concurrently', t.program('src/crunch.ts', { export: 'crunchAll', args: [1e7, 4] }), { atLeast: 2 });`
   */
  structure(name: string, workload: Workload, options?: StructureOptions): void;
  /**
   * Waits (sleeps standing for I/O) must overlap: the sum of the waits against the time they took, median of repetitions.
   * @example `t.overlap('downloads overlap', downloads, { atLeast: 2.5 });`
   */
  overlap(name: string, workload: Workload, options: OverlapOptions): void;
  /**
   * A CPU speed-up against a serial baseline, judged against a calibration workload in the
   * same check; inconclusive, never a failure, on a machine that shows no parallelism now.
   * @example `t.speedup('faster on 2 threads', { subject: t.program('src/crunch.ts', { export: 'crunchAll', args: [2e8, 2] }), baseline: serial, threads: 2 });`
   */
  speedup(name: string, options: SpeedupOptions): void;
  /**
   * A thread that should wait must block, not spin: its own CPU time while the scenario keeps it waiting.
   * @example `t.busyWait('the consumer waits without spinning', slowProducer, { thread: 'consumer' });`
   */
  busyWait<S>(name: string, scenario: Scenario<S>, options: BusyWaitOptions): void;
  /**
   * A schedule the student wrote, replayed under the controlled scheduler: passes when the
   * scenario fails along it as asked (`expect: 'fail'`, its judge rejects the outcome; or
   * `'deadlock'`), and fails with the interleaving it produced when it does not.
   * @example `t.schedule('lost-update', counter, { file: 'schedules/lost-update.txt', expect: 'fail' });`
   */
  schedule<S>(name: string, scenario: Scenario<S>, options: StudentScheduleOptions): void;
}

/**
 * Options of a schedule check.
 * @example `{ file: 'schedules/deadlock.txt', expect: 'deadlock' }`
 */
export interface StudentScheduleOptions {
  /** The schedule file, relative to the exercise (the student edits it). */
  readonly file: string;
  readonly expect: 'fail' | 'deadlock';
}

/** Replays the student's schedule file under the controlled scheduler. */
async function studentSchedule<S>(env: CheckEnv, name: string, scenario: Scenario<S>, options: StudentScheduleOptions): Promise<CheckOutcome> {
  let text: string;
  try {
    text = readFileSync(sourcePath(env.session.sourceRoot, options.file), 'utf8');
  } catch {
    return { status: 'fail', message: `${options.file} is missing: write your schedule there (the exercise's README shows the format)`, runs: 0, failures: 1 };
  }
  installStrategy(null);
  try {
    const { playStudentSchedule } = await import('./explore/index.ts');
    const { name: _n, durationMs: _d, kind: _k, ...rest } = await playStudentSchedule(scenario, text, options.expect, {
      check: name,
      exercise: env.session.exerciseId,
      seed: env.seed,
      maxThreads: env.session.maxThreads,
      root: env.session.sourceRoot,
      file: options.file,
    });
    return rest;
  } finally {
    installStrategy(null);
    await stopAllThreads();
    env.session.restorePool();
  }
}

/** A check as registered: its name, kind, and how to run it. */
export interface RegisteredCheck {
  readonly name: string;
  readonly kind: CheckKind;
  run(env: CheckEnv): Promise<CheckOutcome>;
}

const BRAND = Symbol.for('threadlings.checks');

/**
 * What a checks module default-exports: the value `defineChecks` returns.
 * @example `export default defineChecks((t) => { ... });`
 */
export interface ChecksDefinition {
  readonly [BRAND]: true;
  /** Registers the checks, given where the graded files are. */
  register(sourceRoot: string): RegisteredCheck[];
}

export function isChecksDefinition(value: unknown): value is ChecksDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Schedules a failed stress check spends looking for the same failure under the controlled scheduler. */
const SCHEDULE_SEARCH = 200;

/** Runs a scenario under the controlled scheduler: explores it, or replays `env.replay`. */
async function controlled<S>(env: CheckEnv, name: string, scenario: Scenario<S>, options: Pick<ExploreOptions, 'schedules' | 'giveUpOnLongRuns' | 'runTimeMs'>): Promise<CheckOutcome> {
  // The controlled scheduler installs its own strategy and pool: hand it a quiet supervisor, and take it back after.
  installStrategy(null);
  try {
    // Loaded when a check needs it, so that grading without one never depends on the scheduler.
    const { exploreScenario } = await import('./explore/index.ts');
    const { name: _n, durationMs: _d, ...rest } = await exploreScenario(scenario, {
      check: name,
      exercise: env.session.exerciseId,
      seed: env.seed,
      maxThreads: env.session.maxThreads,
      root: env.session.sourceRoot,
      ...options,
      ...(env.replay === undefined ? {} : { replay: env.replay }),
    });
    return rest;
  } finally {
    installStrategy(null);
    await stopAllThreads();
    env.session.restorePool();
  }
}

/**
 * A free-running failure, with the schedule of the controlled search that failed the same
 * scenario, when it found one (docs/architecture.md, "Two ways to run a check"): that one replays exactly.
 */
function withSchedule(free: CheckOutcome, found: CheckOutcome): CheckOutcome {
  if (found.status !== 'fail' || found.schedule === undefined || found.reproduce === undefined) return free;
  return {
    ...free,
    message: `${free.message}. The controlled scheduler made the same scenario fail in an interleaving it can replay exactly: ${found.message.replace(/ — found by the controlled scheduler.*$/, '')}.`,
    details: [found.details, free.details].filter((d): d is string => d !== undefined && d !== '').join('\n\n'),
    schedule: found.schedule,
    ...(found.trace === undefined ? {} : { trace: found.trace }),
    reproduce: found.reproduce,
    exactReplay: true,
  };
}

async function functional(env: CheckEnv, fn: (ctx: CheckContext) => Promise<void> | void): Promise<CheckOutcome> {
  env.progress(0, 1);
  await fn(createContext(env));
  env.progress(1, 1);
  return { status: 'pass', message: 'Passed.' };
}

/**
 * Defines an exercise's checks: the default export of its checks module.
 *
 * @example
 * ```ts
 * // packages/exercises/07-locks/checks.ts
 * import { defineChecks, defineScenario } from '@threadlings/grader';
 * import { Lock, SharedInt } from '@threadlings/core';
 *
 * export default defineChecks((t) => {
 *   const bank = t.source('src/bank.ts');
 *   const deposits = defineScenario({
 *     setup: () => ({ balance: new SharedInt(0, { name: 'balance' }), lock: new Lock({ name: 'lock' }) }),
 *     threads: (s) => [1, 2].map(() => ({ module: bank, export: 'deposit', args: [s.balance, s.lock, 20_000] })),
 *     judge: (s) => {
 *       const saw = s.balance.peek();
 *       return saw === 40_000 ? { ok: true, label: `balance=${saw}` } : { ok: false, message: `expected 40000, saw ${saw}`, label: `balance=${saw}` };
 *     },
 *   });
 *   t.check('deposits add up', async (ctx) => { await ctx.run(deposits); });
 *   t.stress('no lost updates', deposits, { runs: 200, failure: 'lost updates' });
 * });
 * ```
 */
export function defineChecks(define: (t: ChecksBuilder) => void): ChecksDefinition {
  return {
    [BRAND]: true,
    register(sourceRoot) {
      const checks: RegisteredCheck[] = [];
      const add = (name: string, kind: CheckKind, run: RegisteredCheck['run']): void => {
        if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`Expected a check's name to be a non-empty string, got \`${String(name)}\` (${typeof name})`);
        if (checks.some((c) => c.name === name)) throw new Error(`two checks are named "${name}": names must be unique (--only selects by name)`);
        checks.push({ name, kind, run });
      };
      const t: ChecksBuilder = {
        source: (path) => sourcePath(sourceRoot, path),
        program: (file, options = {}) => ({ program: sourcePath(sourceRoot, file), ...options }),
        check: (name, fn) => add(name, 'functional', (env) => functional(env, fn)),
        stress: (name, scenario, options) =>
          add(name, 'stress', async (env) => {
            // A schedule found for a stress failure names this check: replaying it runs the scenario under control.
            if (env.replay !== undefined) return controlled(env, name, scenario, {});
            const free = await runStress(env, scenario, options);
            if (free.status !== 'fail' || options?.schedule === false) return free;
            // A controlled run of 5,000 steps takes well under 0.5 s: a longer one spins, and the search gives up.
            return withSchedule(free, await controlled(env, name, scenario, { schedules: SCHEDULE_SEARCH, giveUpOnLongRuns: true, runTimeMs: 500 }));
          }),
        explore: (name, scenario, options = {}) =>
          add(name, 'explore', (env) => controlled(env, name, scenario, options.schedules === undefined ? {} : { schedules: options.schedules })),
        structure: (name, workload, options) => add(name, 'structure', (env) => runStructure(env, workload, options)),
        overlap: (name, workload, options) => add(name, 'overlap', (env) => runOverlap(env, workload, options)),
        speedup: (name, options) => add(name, 'speedup', (env) => runSpeedup(env, options)),
        busyWait: (name, scenario, options) => add(name, 'busy-wait', (env) => runBusyWait(env, scenario, options)),
        schedule: (name, scenario, options) => {
          if (options?.expect !== 'fail' && options?.expect !== 'deadlock') {
            throw new TypeError(`t.schedule("${name}"): options.expect must be 'fail' or 'deadlock', got ${JSON.stringify(options?.expect)}`);
          }
          add(name, 'replay', (env) => studentSchedule(env, name, scenario, options));
        },
      };
      define(t);
      return checks;
    },
  };
}
