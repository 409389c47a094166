import type { CheckResult } from '../results.ts';
import type { Session } from './session.ts';

/** What a check gets to run with: the grading session, its own seed, and a progress callback. */
export interface CheckEnv {
  readonly session: Session;
  readonly name: string;
  /** The check's seed: from --seed, or derived from the graded files and the check's name. */
  readonly seed: number;
  /** A schedule to replay (--replay), for explore checks. */
  readonly replay: string | undefined;
  /** Reports `done` of `total` steps (runs) of this check. */
  progress(done: number, total: number): void;
}

/**
 * What a check reports; the runner adds its name and duration, and its kind, seed and
 * reproduce command unless the check gave its own (an explore check's replay command).
 */
export type CheckOutcome = Omit<CheckResult, 'name' | 'kind' | 'durationMs'> & { readonly kind?: CheckResult['kind'] };

/** Milliseconds a single run may take before it counts as a hang, unless a check says otherwise. */
export const DEFAULT_TIME_LIMIT_MS = 5000;

/** The time limit of one run: the check's own, but never past the session's deadline. */
export function runTimeLimit(env: CheckEnv, own: number | undefined): number {
  const left = env.session.deadline - performance.now();
  return Math.max(100, Math.min(own ?? DEFAULT_TIME_LIMIT_MS, left));
}
