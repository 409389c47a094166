import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { unpack } from '@threadlings/core/internal';
import { CheckFailure, ChecksError } from './check-failure.ts';
import type { Scenario, RunOutcome } from './scenario.ts';
import { runTimeLimit, type CheckEnv } from './checks/env.ts';
import type { RunFailure } from './checks/guard.ts';
import { runScenarioFree } from './checks/run-free.ts';
import type { Location } from './checks/sites.ts';
import { runProgramFree } from './checks/workload.ts';

/**
 * A location in the graded files.
 * @example `{ file: 'src/bank.ts', line: 12 }` or `'src/bank.ts:12'`
 */
export type LocationLike = Location | string;

/**
 * Options of a single run from a functional check.
 * @example `await ctx.run(handOff, { timeLimitMs: 1000 });`
 */
export interface RunOnceOptions {
  /** Milliseconds before the run counts as a hang (default 5000). */
  readonly timeLimitMs?: number;
  /** Perturb it as a stress run would (default false: one plain run). */
  readonly perturb?: boolean;
}

/**
 * What one scenario run produced, for further assertions.
 * @example `const { state, outcome } = await ctx.run(deposits); ctx.equal(outcome.results[0], 100, 'what deposit() returned');`
 */
export interface ScenarioRun<S> {
  readonly state: S;
  readonly outcome: RunOutcome;
  /** The judge's label of the outcome. */
  readonly label: string;
}

/**
 * Options of `ctx.runProgram`.
 * @example `const total = await ctx.runProgram('src/main.ts', { export: 'main', args: [4], timeLimitMs: 3000 });`
 */
export interface ProgramRunOptions extends RunOnceOptions {
  /** The export to run; "main" by default. */
  readonly export?: string;
  readonly args?: readonly unknown[];
}

/**
 * What a functional check gets: the graded files, single runs of scenarios and programs,
 * and ways to fail with a message and a location. A run that fails (the judge says no, a
 * thread raises, a deadlock, a hang) fails the check with its explanation.
 *
 * @example
 * ```ts
 * t.check('a deposit adds to the balance', async (ctx) => {
 *   const { state } = await ctx.run(oneDeposit);
 *   ctx.equal(state.balance.peek(), 100, 'the balance after one deposit of 100', 'src/bank.ts');
 * });
 * ```
 */
export interface CheckContext {
  readonly exerciseId: string;
  /** This check's seed (from --seed, or derived from the graded files and the check's name). */
  readonly seed: number;
  /** The absolute path of a graded file, e.g. `ctx.source('src/bank.ts')`: under the solution's folder with --solutions. */
  source(path: string): string;
  /** Runs a scenario once. @throws CheckFailure when the run fails. */
  run<S>(scenario: Scenario<S>, options?: RunOnceOptions): Promise<ScenarioRun<S>>;
  /** Runs a program's `main()` (or another export) as a student would. @returns what it returned. @throws CheckFailure when it raises, deadlocks or hangs. */
  runProgram(file: string, options?: ProgramRunOptions): Promise<unknown>;
  /** Fails the check. */
  fail(message: string, at?: LocationLike): never;
  /** Fails the check with `message` unless `condition` holds. */
  assert(condition: unknown, message: string, at?: LocationLike): asserts condition;
  /** Fails the check unless `actual` equals `expected` (deeply): "expected 100 for the balance, saw 90". */
  equal<T>(actual: T, expected: T, what: string, at?: LocationLike): void;
}

export function toLocation(at: LocationLike | undefined): Location | undefined {
  if (at === undefined || typeof at !== 'string') return at;
  const m = /^(.*?):(\d+)$/.exec(at);
  return m === null ? { file: at } : { file: m[1]!, line: Number(m[2]) };
}

function failureOf(f: RunFailure): CheckFailure {
  return new CheckFailure(f.message, { location: f.location, details: f.details });
}

/** Resolves a graded file under the source root; a missing one is the exercise's mistake (or a missing solution). */
export function sourcePath(root: string, path: string): string {
  if (isAbsolute(path)) throw new ChecksError(`source('${path}'): give a path relative to the exercise folder, like 'src/bank.ts'`);
  const full = resolve(root, path);
  if (!existsSync(full)) throw new ChecksError(`source('${path}'): there is no ${path} under ${root}`);
  return full;
}

/** The context of one functional check. */
export function createContext(env: CheckEnv): CheckContext {
  const { session } = env;
  const ctx: CheckContext = {
    exerciseId: session.exerciseId,
    seed: env.seed,
    source: (path) => sourcePath(session.sourceRoot, path),
    async run(scenario, options = {}) {
      const r = await runScenarioFree(session, scenario, { seed: env.seed, perturb: options.perturb ?? false, timeLimitMs: runTimeLimit(env, options.timeLimitMs) });
      if (r.failure !== undefined || r.outcome === undefined) throw failureOf(r.failure!);
      return { state: r.state, outcome: r.outcome, label: r.label };
    },
    async runProgram(file, options = {}) {
      const program = { program: isAbsolute(file) ? file : sourcePath(session.sourceRoot, file), ...(options.export === undefined ? {} : { export: options.export }), args: options.args ?? [] };
      const r = await runProgramFree(session, program, { seed: env.seed, perturb: options.perturb ?? false, timeLimitMs: runTimeLimit(env, options.timeLimitMs) });
      if (r.failure !== undefined) throw failureOf(r.failure);
      // Shared objects in the result come back as records: rebuild them as handles.
      return unpack(r.result);
    },
    fail(message, at) {
      throw new CheckFailure(message, { location: toLocation(at) });
    },
    assert(condition, message, at) {
      if (!condition) ctx.fail(message, at);
    },
    equal(actual, expected, what, at) {
      if (!deepEqual(actual, expected)) ctx.fail(`expected ${show(expected)} for ${what}, saw ${show(actual)}`, at);
    },
  };
  return ctx;
}

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
