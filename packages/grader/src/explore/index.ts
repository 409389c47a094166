import type { CheckResult } from '../results.ts';
import type { Scenario } from '../scenario.ts';

/** Options of a controlled exploration (see docs/grader.md). */
export interface ExploreOptions {
  /** Check name, for reports and the schedule header. */
  readonly check: string;
  /** Exercise id ("07"), for the schedule header and the reproduce command. */
  readonly exercise: string;
  readonly seed: number;
  /** How many schedules to try (default 500). */
  readonly schedules?: number;
  /** A schedule to replay instead of exploring (from --replay). */
  readonly replay?: string;
  /** Most threads a check may start. */
  readonly maxThreads?: number;
}

/**
 * Runs a scenario under the controlled scheduler: threads one at a time, a seeded strategy
 * choosing who runs at each scheduling point; exact deadlocks; replayable failures.
 */
export async function exploreScenario<S>(_scenario: Scenario<S>, _options: ExploreOptions): Promise<CheckResult> {
  throw new Error('the controlled scheduler is being built: explore checks are not available yet');
}
