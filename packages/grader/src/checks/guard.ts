import { explainTrouble } from './describe-wait.ts';
import type { ObjectIndex } from './objects.ts';
import type { Session } from './session.ts';
import type { Location } from './sites.ts';
import { awaitOtherThreads, stopAllThreads } from './threads.ts';
import { Watchdog, type Trouble } from './watchdog.ts';

/** Why a run failed: its judge said so, a thread failed, or the watchdog found trouble. */
export interface RunFailure {
  readonly kind: 'verdict' | 'error' | Trouble['kind'];
  readonly message: string;
  readonly details: string;
  readonly location?: Location;
  /** Deadlocks: milliseconds from the cycle forming to its report. */
  readonly latencyMs?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `body` (start the threads, join them) under the watchdog, then waits for any
 * thread the submission started itself. If the watchdog finds trouble first, every
 * thread is stopped and the trouble explained. Never leaves a thread running. The time
 * limit counts from when `ready()` first holds (the threads are under way).
 *
 * @example
 * ```ts
 * const { failure } = await guardRun(session, objects, 5000, async () => { t.start(); await t.joinAsync(); });
 * ```
 */
export async function guardRun(
  session: Session,
  objects: ObjectIndex,
  timeLimitMs: number,
  body: () => Promise<void>,
  ready?: () => boolean,
): Promise<{ failure?: RunFailure }> {
  session.takeExceptions();
  const dog = new Watchdog({ timeLimitMs, objects, ...(ready === undefined ? {} : { ready }) });
  const finished = (async () => {
    await body();
    await awaitOtherThreads();
  })();
  let trouble: Trouble | undefined;
  try {
    trouble = await Promise.race([finished.then(() => undefined), dog.trouble]);
  } finally {
    dog.stop();
    if (trouble !== undefined || !(await settled(finished))) await stopAllThreads();
  }
  if (trouble === undefined) return {};
  // The joins end once their threads are stopped; do not wait for ever if one does not.
  await Promise.race([finished.catch(() => undefined), pause(2000)]);
  const explained = explainTrouble(trouble, objects, session.sourceRoot);
  const latencyMs = trouble.kind === 'deadlock' ? trouble.detectedAt - trouble.formedAt : undefined;
  return { failure: { kind: trouble.kind, ...explained, ...(latencyMs === undefined ? {} : { latencyMs }) } };
}

/** True if the promise has settled (either way) by the next turn. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
}
