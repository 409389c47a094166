import { writeSync } from 'node:fs';
import { lockDown } from '@threadlings/core/internal';
import { encodeLine, lines } from './channel.ts';
import type { CheckResult } from '../results.ts';
import type { ChildMessageBody, GradingJob, ParentMessage, Progress, SentError } from './protocol.ts';

/** The one function a grading child runs: the checks engineer's `runChecks`. */
export type RunChecks = (options: GradingJob & { onProgress?: (p: Progress) => void; beforeTimed?: () => Promise<void> }) => Promise<CheckResult[]>;

/** The CLI's secret, from its `hello`: only this closure holds it. */
let token: string | undefined;

/** The channel to the CLI: fd 3, written by this (main) thread only. */
const CHANNEL_FD = 3;

function send(message: ChildMessageBody): void {
  if (token === undefined) return;
  try {
    writeSync(CHANNEL_FD, encodeLine({ ...message, token }));
  } catch {
    // The CLI is gone: nobody will read a verdict.
    process.exit(0);
  }
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
  let markTyped: () => void = () => {};
  const typed = new Promise<void>((resolve) => (markTyped = resolve));
  // The CLI writes the hello and the job on stdin, and keeps it open while it waits: its end
  // means the CLI is gone (it crashed or was killed), and nobody will read a verdict.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on(
    'data',
    lines((line) => {
      let message: ParentMessage;
      try {
        message = JSON.parse(line) as ParentMessage;
      } catch {
        return;
      }
      if (message.type === 'hello') {
        // The first message, before any student code is loaded: the secret to sign with.
        if (token !== undefined) return;
        token = message.token;
        send({ type: 'ready' });
        return;
      }
      if (message.type === 'typed') {
        markTyped();
        return;
      }
      if (message.type !== 'job' || token === undefined) return;
      // From here on student code loads: no process, signal, raw binding or raw worker.
      lockDown();
      void (async () => {
        try {
          const beforeTimed = message.job.awaitTyped === true ? () => typed : undefined;
          const checks = await runChecks({ ...message.job, onProgress: (p) => send({ type: 'progress', ...p }), ...(beforeTimed === undefined ? {} : { beforeTimed }) });
          send({ type: 'results', checks });
        } catch (e) {
          send({ type: 'failed', error: sentError(e) });
        }
        process.exit(0);
      })();
    }),
  );
}
