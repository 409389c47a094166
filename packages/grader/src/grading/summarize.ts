import { GRADER_VERSION } from '../version.ts';
import { RESULTS_VERSION, worstStatus, type CheckResult, type ExerciseResult, type ExerciseStatus, type Results } from '../results.ts';

/** An exercise's status from its checks: error beats fail beats inconclusive; skipped checks do not count. */
export function exerciseStatus(checks: readonly CheckResult[]): ExerciseStatus {
  const counted = checks.filter((c) => c.status !== 'skipped').map((c) => c.status as ExerciseStatus);
  if (counted.length === 0) return 'error';
  return worstStatus(counted);
}

/** The one failure that matters: the first check that failed or erred, else the first inconclusive one. */
export function firstProblem(checks: readonly CheckResult[]): CheckResult | undefined {
  return checks.find((c) => c.status === 'fail' || c.status === 'error') ?? checks.find((c) => c.status === 'inconclusive');
}

/** The exercise's one-paragraph message: its first problem, or how many checks passed. */
export function exerciseMessage(checks: readonly CheckResult[]): string {
  const problem = firstProblem(checks);
  if (problem !== undefined) return problem.message;
  const passed = checks.filter((c) => c.status === 'pass').length;
  if (passed === 0) return 'No check ran: the exercise has no checks, or --only named none of them.';
  return passed === 1 ? 'Its check passes.' : `All ${passed} checks pass.`;
}

export interface RunInfo {
  readonly seed?: number | undefined;
  readonly solutions: boolean;
  readonly durationMs: number;
}

/** The results document of a grading run. */
export function assembleResults(exercises: readonly ExerciseResult[], info: RunInfo): Results {
  return {
    version: RESULTS_VERSION,
    status: exercises.length === 0 ? 'pass' : worstStatus(exercises.map((e) => e.status)),
    score: exercises.filter((e) => e.status === 'pass').length,
    maxScore: exercises.length,
    ...(info.seed === undefined ? {} : { seed: info.seed }),
    solutions: info.solutions,
    exercises: [...exercises],
    nodeVersion: process.version,
    grader: GRADER_VERSION,
    durationMs: Math.round(info.durationMs),
  };
}
