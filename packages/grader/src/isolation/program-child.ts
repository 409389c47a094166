import { inspect } from 'node:util';
import { lockDown } from '@threadlings/core/internal';
import { openSession } from '../checks/session.ts';
import { studentStack } from '../checks/sites.ts';
import { runProgramFree } from '../checks/workload.ts';
import type { Manifest } from '../manifest.ts';

/*
 * `pnpm try`: runs a student's program as its own process, the way they would run it
 * (main() on a thread where blocking calls work), its output going straight to the
 * terminal — under the grader's watchdog, so a deadlock, or threads that all wait for
 * something nobody will do, is reported as the grader reports it, at once, rather than
 * after the exercise's time limit. Argument: the job, as JSON.
 */

interface TryJob {
  readonly exerciseId: string;
  readonly exerciseDir: string;
  readonly sourceRoot: string;
  readonly manifest: Manifest;
  readonly module: string;
  readonly export: string;
}

const text = process.argv[2];
if (text === undefined) throw new Error('program-child: expected the job as JSON');
const job = JSON.parse(text) as TryJob;
// Locked down as a grading is (no process, signal, raw binding or raw worker), so that a
// program behaves under `try` as it will when graded.
lockDown();
const session = openSession(job);
const run = await runProgramFree(session, { program: job.module, export: job.export }, { seed: 0, perturb: false, timeLimitMs: job.manifest.limits.timeMs });
await session.close();
if (run.failure !== undefined) {
  const { kind, message, details } = run.failure;
  const shown = details.includes('    at ') ? studentStack(details, job.sourceRoot) : details;
  process.stderr.write(`\n${kind === 'error' ? '' : 'The program was stopped: '}${message}${shown === '' ? '' : `\n${shown}`}\n`);
  process.exit(1);
}
if (run.result !== undefined) process.stdout.write(`\n${job.export}() returned ${inspect(run.result, { depth: 4 })}\n`);
process.exit(0);
