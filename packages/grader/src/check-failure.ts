import type { Location } from './checks/sites.ts';

/**
 * Thrown inside a check when the student's code fails it: the check's result is 'fail'
 * with this message (one paragraph a student can act on), and the location, details and
 * figures given. Checks throw it through the context's helpers (`ctx.fail`,
 * `ctx.assert`, `ctx.equal`) rather than directly.
 *
 * @example
 * ```ts
 * throw new CheckFailure('transfer() lost money: expected 100, saw 90', { location: { file: 'src/bank.ts', line: 12 } });
 * ```
 */
export class CheckFailure extends Error {
  readonly code = 'THREADLINGS_CHECK_FAILED';
  override readonly name = 'CheckFailure';
  readonly location: Location | undefined;
  readonly details: string | undefined;
  /** False when a free run failed: the interleaving was the machine's, and may not come again. */
  readonly exactReplay: boolean | undefined;

  constructor(message: string, options: { location?: Location | undefined; details?: string | undefined; exactReplay?: boolean } = {}) {
    super(message);
    this.location = options.location;
    this.details = options.details;
    this.exactReplay = options.exactReplay;
  }
}

/**
 * A mistake in an exercise's checks rather than in the student's code (a scenario with
 * more threads than the manifest allows, a check that cannot run): the check's result is
 * 'error', and the message says what to fix in the checks.
 *
 * @example
 * ```ts
 * throw new ChecksError('scenario "deposits" starts 40 threads; limits.threads allows 32');
 * ```
 */
export class ChecksError extends Error {
  readonly code = 'THREADLINGS_CHECKS';
  override readonly name = 'ChecksError';
}
