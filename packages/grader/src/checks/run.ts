import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isChecksDefinition, type RegisteredCheck } from '../api.ts';
import { CheckFailure } from '../check-failure.ts';
import { ConfigError, UsageError } from '../cli/errors.ts';
import type { Manifest } from '../manifest.ts';
import type { CheckKind, CheckResult } from '../results.ts';
import type { CheckEnv, CheckOutcome } from './env.ts';
import { defaultSeed } from './random.ts';
import { openSession, type Session } from './session.ts';
import { stopAllThreads } from './threads.ts';
import { ScheduleError, checkSlug, parseSchedule } from '../explore/schedule.ts';

export interface RunChecksOptions {
  exerciseId: string;
  exerciseDir: string;
  sourceRoot: string;
  manifest: Manifest;
  seed?: number;
  replay?: string;
  only?: string;
  /** What the reproduce command adds to name the graded files: ` --solutions`, ` --answer DIR`, or nothing. */
  sourceFlag?: string;
  onProgress?: (p: { check: string; done: number; total: number }) => void;
  /** Awaited before a check that measures time or CPU (TIMED_KINDS) runs: the CLI's typecheck is over by then. */
  beforeTimed?: () => Promise<void>;
}

/** Checks whose verdict rests on time or CPU measured on this machine. */
const TIMED_KINDS: ReadonlySet<CheckKind> = new Set(['speedup', 'overlap', 'busy-wait']);

/**
 * Runs an exercise's checks, in order, in this process (the grading child the CLI
 * spawns; its main thread is the supervisor). Stops after the first check that fails or
 * errs: the later ones are 'skipped'. With `only`, runs just that check. Leaves no
 * thread or worker behind, and every run has a time limit.
 *
 * @throws ConfigError when the checks module cannot be loaded or does not default-export `defineChecks(...)`.
 * @throws UsageError when `only` names no check.
 *
 * @example
 * ```ts
 * const results = await runChecks({ exerciseId: '07', exerciseDir, sourceRoot: exerciseDir, manifest });
 * ```
 */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const checksFile = resolve(options.exerciseDir, options.manifest.checks);
  const session = openSession(options);
  try {
    const all = await loadChecks(checksFile, options.sourceRoot);
    const checks = selectChecks(all, options);
    const results: CheckResult[] = [];
    let stopped: string | undefined;
    for (const check of checks) {
      if (stopped !== undefined) {
        results.push({ name: check.name, kind: check.kind, status: 'skipped', message: `Not run: "${stopped}" failed first.`, durationMs: 0 });
        continue;
      }
      if (TIMED_KINDS.has(check.kind)) await options.beforeTimed?.();
      const result = await runOne(check, session, options);
      results.push(result);
      if (result.status === 'fail' || result.status === 'error') stopped = check.name;
    }
    return results;
  } finally {
    await session.close();
  }
}

/**
 * The checks to run: all of them, the one `--only` names, or — with `--replay` — the
 * explore or stress check the schedule was written for (a schedule belongs to one check).
 */
function selectChecks(all: readonly RegisteredCheck[], options: RunChecksOptions): RegisteredCheck[] {
  const names = all.map((c) => `"${c.name}"`).join(', ');
  if (options.only !== undefined) {
    const only = all.filter((c) => c.name === options.only);
    if (only.length === 0) throw new UsageError(`exercise ${options.exerciseId} has no check named "${options.only}". Its checks: ${names}`);
    return only;
  }
  if (options.replay === undefined) return [...all];
  let schedule;
  try {
    schedule = parseSchedule(options.replay);
  } catch (e) {
    if (e instanceof ScheduleError) throw new UsageError(`--replay: ${e.message}`);
    throw e;
  }
  if (schedule.exercise !== options.exerciseId) {
    throw new UsageError(`--replay: this schedule belongs to exercise ${schedule.exercise}, not ${options.exerciseId}: run \`pnpm grade ${schedule.exercise} --replay ...\``);
  }
  // Explore checks write schedules; so do stress checks, for a failure the controlled scheduler found again.
  const replayable = all.filter((c) => c.kind === 'explore' || c.kind === 'stress');
  const target = replayable.filter((c) => checkSlug(c.name) === checkSlug(schedule.check));
  if (target.length === 0) {
    throw new UsageError(
      `--replay: exercise ${options.exerciseId} has no explore or stress check "${schedule.check}". ` +
        (replayable.length === 0 ? 'It has no explore or stress checks.' : `Its explore and stress checks: ${replayable.map((c) => `"${checkSlug(c.name)}"`).join(', ')}`),
    );
  }
  return target;
}

async function loadChecks(file: string, sourceRoot: string): Promise<RegisteredCheck[]> {
  if (!existsSync(file)) throw new ConfigError(`the checks module ${file} does not exist (manifest field "checks")`, file);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new ConfigError(`the checks module ${file} could not be loaded: ${(e as Error).message ?? String(e)}`, file);
  }
  if (!isChecksDefinition(mod.default)) throw new ConfigError(`the checks module ${file} must \`export default defineChecks((t) => { ... })\``, file);
  try {
    return mod.default.register(sourceRoot);
  } catch (e) {
    throw new ConfigError(`the checks module ${file} failed while registering its checks: ${(e as Error).message ?? String(e)}`, file);
  }
}

function reproduceCommand(options: RunChecksOptions, seed: number, name: string): string {
  const source = options.sourceFlag ?? (resolve(options.sourceRoot) !== resolve(options.exerciseDir) ? ' --solutions' : '');
  return `pnpm grade ${options.exerciseId}${source} --seed ${seed} --only ${JSON.stringify(name)}`;
}

async function runOne(check: RegisteredCheck, session: Session, options: RunChecksOptions): Promise<CheckResult> {
  const seed = options.seed ?? defaultSeed(options.sourceRoot, options.manifest.files, check.name);
  const env: CheckEnv = {
    session,
    name: check.name,
    seed,
    replay: options.replay,
    progress: (done, total) => options.onProgress?.({ check: check.name, done, total }),
  };
  const t0 = performance.now();
  let outcome: CheckOutcome;
  try {
    outcome = await withinBudget(check.run(env), session);
  } catch (e) {
    outcome = outcomeOfError(e);
    // A check that threw or ran out of time may have left threads behind.
    await stopAllThreads();
  }
  const failed = outcome.status === 'fail' || outcome.status === 'error';
  const reproduce = outcome.reproduce ?? reproduceCommand(options, seed, check.name);
  const free = failed && outcome.exactReplay === false;
  return {
    ...outcome,
    name: check.name,
    kind: outcome.kind ?? check.kind,
    seed: outcome.seed ?? seed,
    reproduce,
    ...(free ? { details: `${outcome.details ?? ''}\n\nRun it again: ${reproduce} (a free run may not reproduce exactly: the machine chose the interleaving).`.trim() } : {}),
    durationMs: Math.round(performance.now() - t0),
  };
}

/** Time a check may still take past the session's deadline before it is abandoned (runs end by then). */
const GRACE_MS = 5000;

/**
 * Every run of a check has its own time limit; this bounds what a check's own code does
 * between runs (an `await` that never resolves), so that grading never hangs.
 */
async function withinBudget<T>(work: Promise<T>, session: Session): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ms = Math.max(0, session.deadline - performance.now()) + GRACE_MS;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the check did not finish within the exercise's time budget (limits.timeMs ${session.manifest.limits.timeMs} ms)`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function outcomeOfError(e: unknown): CheckOutcome {
  if (e instanceof CheckFailure) {
    return {
      status: 'fail',
      message: e.message,
      ...(e.details === undefined ? {} : { details: e.details }),
      ...(e.location === undefined ? {} : { location: e.location }),
      ...(e.exactReplay === undefined ? {} : { exactReplay: e.exactReplay }),
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    status: 'error',
    message: `The check could not run: ${err.message}. This is a mistake in the exercise's checks, not in your code.`,
    details: err.stack ?? err.message,
  };
}
