import type { ErrorInfo } from '@threadlings/core';

/**
 * A scenario is the one unit every check runs: shared objects built fresh for each run,
 * the threads (exports of the graded source, with arguments), and a judgement of one
 * run over the shared state and the threads' results. A functional check runs it once,
 * `stress` many times in parallel, `explore` under the controlled scheduler.
 */
export interface ThreadSpec {
  /** Absolute path of the graded module (from `ctx.source('src/bank.ts')`). */
  readonly module: string;
  /** The exported function the thread runs. */
  readonly export: string;
  readonly args?: readonly unknown[];
  /** The thread's name in reports and schedules; "T1", "T2", ... by default. */
  readonly name?: string;
}

/** What one run produced: per thread, in the order of `threads()`. */
export interface RunOutcome {
  readonly results: readonly unknown[];
  /** What each thread raised, or undefined. */
  readonly errors: readonly (ErrorInfo | undefined)[];
  readonly names: readonly string[];
  /**
   * Under the controlled scheduler (explore, replay, schedule checks): every operation on a
   * shared object, in the order it happened, so that a judge can require how the result was
   * reached and not only what it is (each deposit one read and one write of the balance, say).
   * Undefined in free runs.
   */
  readonly history?: readonly HistoryStep[];
}

/** One operation of a controlled run. */
export interface HistoryStep {
  /** The thread that performed it. */
  readonly thread: string;
  /** read, write, acquire, release, wait, set, ...; 'resume' for a thread going on after a wait. */
  readonly op: string;
  /** The object's label, as reports show it: `SharedInt 'balance'`. */
  readonly object: string;
  /** The value written, or read, where there is one. */
  readonly value: number | undefined;
}

/**
 * One run judged. `label` names the outcome for counting (jcstress-style: "counter=1999"):
 * equal labels are counted together in the report.
 */
export type Verdict =
  | { readonly ok: true; readonly label?: string }
  | { readonly ok: false; readonly message: string; readonly label?: string };

export interface Scenario<S = unknown> {
  readonly name?: string;
  /** Builds the shared objects on the supervisor; called afresh for every run. */
  setup(): S;
  /** The threads to run, released together. */
  threads(state: S): readonly ThreadSpec[];
  /** Judges one run. A thread that raised fails the run before this is called unless `allowErrors`. */
  judge(state: S, outcome: RunOutcome): Verdict;
  /** Let threads raise without failing the run (the judge looks at `outcome.errors`). */
  readonly allowErrors?: boolean;
}

export function defineScenario<S>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}

export function threadNames(specs: readonly ThreadSpec[]): string[] {
  return specs.map((s, i) => s.name ?? `T${i + 1}`);
}
