/**
 * Exit codes of the `threadlings` CLI (docs/student-guide.md, "Exit codes").
 * Only `bin.ts` turns them into a process exit code.
 */
export const EXIT = {
  /** Every graded exercise passes. */
  pass: 0,
  /** Some exercise fails (or could not be graded because of the student's code). */
  fail: 1,
  /** Usage or configuration error: unknown option or exercise, bad manifest. */
  usage: 2,
  /** Nothing failed, but some check was inconclusive. */
  inconclusive: 3,
  /** An internal error of the kit: a bug in threadlings. */
  internal: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the CLI was called: the message says what to type instead. Exit code 2. */
export class UsageError extends Error {
  readonly code = 'THREADLINGS_USAGE';
  override readonly name = 'UsageError';
}

/**
 * A broken exercise or kit configuration (a manifest that does not validate, a missing
 * checks module): the message names the file and the field at fault. Exit code 2.
 */
export class ConfigError extends Error {
  readonly code = 'THREADLINGS_CONFIG';
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** The file at fault, relative to the project root when possible. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/**
 * A submission that changes what it may not (`grade --base`): the checks, the grader, the
 * lockfile. The message names every file. Exit code 1: the submission fails.
 */
export class RefusedError extends Error {
  readonly code = 'THREADLINGS_REFUSED';
  override readonly name = 'RefusedError';
  constructor(
    message: string,
    /** The files at fault, relative to the repository's top. */
    readonly files: readonly string[],
  ) {
    super(message);
  }
}

/** The exit code for an error that reached the CLI's catch site. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof RefusedError) return EXIT.fail;
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT.usage;
  return EXIT.internal;
}
