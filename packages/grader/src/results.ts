import { z } from 'zod';

/**
 * The results document: what `pnpm grade --json` prints and every reporter reads.
 * Documented in docs/results.md; the shape maps onto Exercism's results.json (status,
 * message, tests[] with name/status/message/output) and Gradescope's (score,
 * max_score, tests[]).
 */
export const RESULTS_VERSION = 1;

export const CheckStatus = z.enum(['pass', 'fail', 'error', 'inconclusive', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckKind = z.enum(['functional', 'stress', 'explore', 'speedup', 'overlap', 'structure', 'busy-wait', 'replay', 'stage']);
export type CheckKind = z.infer<typeof CheckKind>;

/** A figure measured by a check: a speed-up, a ratio, a count. */
export const Figure = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.string().optional(),
  /** What the value is compared with (e.g. what the calibration workload reached). */
  reference: z.number().optional(),
});
export type Figure = z.infer<typeof Figure>;

/** A step of a failing interleaving, for the table shown to the student. */
export const TraceStep = z.object({
  step: z.number().int(),
  thread: z.string(),
  op: z.string(),
  object: z.string(),
  value: z.number().optional(),
  site: z.string().optional(),
  marked: z.boolean().optional(),
});
export type TraceStep = z.infer<typeof TraceStep>;

export const CheckResult = z.object({
  name: z.string(),
  kind: CheckKind,
  status: CheckStatus,
  /** One paragraph a student can act on. */
  message: z.string(),
  /** More detail: a deadlock report, an interleaving table, captured output (capped). */
  details: z.string().optional(),
  runs: z.number().int().nonnegative().optional(),
  failures: z.number().int().nonnegative().optional(),
  seed: z.number().int().optional(),
  /** A controlled failure's schedule, replayable exactly. */
  schedule: z.string().optional(),
  trace: z.array(TraceStep).optional(),
  /** The command that runs this check again the same way. */
  reproduce: z.string().optional(),
  /** False for free-running failures: the machine chose the interleaving. */
  exactReplay: z.boolean().optional(),
  figures: z.array(Figure).optional(),
  durationMs: z.number().nonnegative(),
  /** Where in the student's files the failure points, for annotations. */
  location: z.object({ file: z.string(), line: z.number().int().positive().optional() }).optional(),
  /** Output the student's code printed while the check ran (capped). */
  output: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const ExerciseStatus = z.enum(['pass', 'fail', 'error', 'inconclusive']);
export type ExerciseStatus = z.infer<typeof ExerciseStatus>;

export const ExerciseResult = z.object({
  id: z.string().regex(/^\d{2}$/),
  slug: z.string(),
  title: z.string(),
  status: ExerciseStatus,
  /** The check (or stage) that failed first: the one failure that matters. */
  message: z.string(),
  /** True when the verdict came from the pass cache (files and checks unchanged since they passed). */
  cached: z.boolean(),
  durationMs: z.number().nonnegative(),
  /** The student's files that were graded, relative to the repository root. */
  files: z.array(z.string()),
  checks: z.array(CheckResult),
});
export type ExerciseResult = z.infer<typeof ExerciseResult>;

export const Results = z.object({
  version: z.literal(RESULTS_VERSION),
  status: ExerciseStatus,
  /** Passed exercises, out of the graded ones. */
  score: z.number().int().nonnegative(),
  maxScore: z.number().int().nonnegative(),
  seed: z.number().int().optional(),
  solutions: z.boolean(),
  exercises: z.array(ExerciseResult),
  nodeVersion: z.string(),
  /** The version of @threadlings/grader that graded: reports of different versions do not merge. */
  grader: z.string().optional(),
  /**
   * The part of the course this run graded (`--shard k/n`): the ids it graded and every id of
   * the course, in the course's order, so that merging the parts can tell one that is missing.
   */
  shard: z
    .object({ index: z.number().int().positive(), total: z.number().int().positive(), exercises: z.array(z.string()), course: z.array(z.string()) })
    .optional(),
  durationMs: z.number().nonnegative(),
  /** Why grading could not start (exit code 2): then `status` is `error` and `exercises` is empty. */
  error: z.object({ kind: z.enum(['usage', 'config', 'interrupted', 'refused']), message: z.string(), file: z.string().optional(), files: z.array(z.string()).optional() }).optional(),
});
export type Results = z.infer<typeof Results>;

/** Overall status: error beats fail beats inconclusive beats pass. */
export function worstStatus(statuses: readonly ExerciseStatus[]): ExerciseStatus {
  for (const s of ['error', 'fail', 'inconclusive'] as const) if (statuses.includes(s)) return s;
  return 'pass';
}
