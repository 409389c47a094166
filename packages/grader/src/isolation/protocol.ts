import type { Manifest } from '../manifest.ts';
import type { CheckResult } from '../results.ts';

/*
 * Messages between the CLI and a grading child over the IPC channel. The child says
 * `ready` once the grader is loaded (before any student code), gets one `job` (and, when
 * the job says so, a `typed` once the CLI's typecheck has passed), reports
 * `progress` while checks run, and ends with `results` or `failed`, then exits: every
 * grading gets a fresh process, so nothing a submission did survives into the next one.
 */

/** What the child needs to run an exercise's checks: `RunChecksOptions` without the callback. */
export interface GradingJob {
  readonly exerciseId: string;
  readonly exerciseDir: string;
  readonly sourceRoot: string;
  readonly manifest: Manifest;
  readonly seed?: number | undefined;
  readonly replay?: string | undefined;
  readonly only?: string | undefined;
  readonly sourceFlag?: string | undefined;
  /**
   * The CLI typechecks while the checks run: checks that measure time or CPU (speedup,
   * overlap, busy-wait) wait for its `typed` message, so that the typecheck never shares
   * the machine with a measurement.
   */
  readonly awaitTyped?: boolean | undefined;
}

export interface Progress {
  readonly check: string;
  readonly done: number;
  readonly total: number;
}

/** An error as it crosses the IPC channel. */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly code?: string | undefined;
}

/**
 * The CLI's first message gives the child a secret (`hello`), before the child has loaded any
 * student code; the child's main thread keeps it where threads cannot reach it (a worker has
 * its own heap) and signs every message with it. Anything on the channel without it was
 * written by something else — a submission writing to the channel's descriptor — and ends
 * the grading as tampering, never as a verdict.
 */
export type ParentMessage =
  | { readonly type: 'hello'; readonly token: string }
  | { readonly type: 'job'; readonly job: GradingJob }
  /** The submission compiles: the checks that measure may run (GradingJob.awaitTyped). */
  | { readonly type: 'typed' };

export type ChildMessageBody =
  | { readonly type: 'ready' }
  | ({ readonly type: 'progress' } & Progress)
  | { readonly type: 'results'; readonly checks: readonly CheckResult[] }
  | { readonly type: 'failed'; readonly error: SentError };

export type ChildMessage = ChildMessageBody & { readonly token: string };
