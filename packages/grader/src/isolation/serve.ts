import type { CheckResult } from '../results.ts';
import type { ChildMessage, GradingJob, ParentMessage, Progress, SentError } from './protocol.ts';

/** The one function a grading child runs: the checks engineer's `runChecks`. */
export type RunChecks = (options: GradingJob & { onProgress?: (p: Progress) => void }) => Promise<CheckResult[]>;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function sentError(e: unknown): SentError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, stack: e.stack ?? e.message, code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: String(e), stack: String(e) };
}

/*
 * The grading child's side of the protocol (protocol.ts). It has loaded the grader by the
 * time it says `ready`, so a child can be started ahead of time (watch mode keeps a spare)
 * without having run any student code: that is loaded only when the job arrives. Once the
 * results are sent it exits, stopping any thread the submission left running.
 */
export function serveGradingChild(runChecks: RunChecks): void {
  // The CLI is gone (it crashed or was killed): nobody will read a verdict.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const message = raw as ParentMessage;
    if (message.type !== 'job') return;
    void (async () => {
      try {
        const checks = await runChecks({ ...message.job, onProgress: (p) => void send({ type: 'progress', ...p }) });
        await send({ type: 'results', checks });
      } catch (e) {
        await send({ type: 'failed', error: sentError(e) });
      }
      process.exit(0);
    })();
  });
  void send({ type: 'ready' });
}
