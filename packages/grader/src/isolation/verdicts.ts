import type { CheckResult } from '../results.ts';
import { formatBytes } from './output-cap.ts';
import type { ChildReport } from './grading-child.ts';

/**
 * Whose fault a verdict is when it is not the student's: the kit's (a bug in threadlings;
 * the CLI exits with 70), or the configuration's (the exercise's checks cannot run, or
 * --only names no check; exit code 2).
 */
export type Fault = 'kit' | 'config' | undefined;

/** The checks of one isolated grading. */
export interface IsolatedChecks {
  readonly checks: CheckResult[];
  readonly fault: Fault;
}

/** Codes of errors that say the exercise's checks, or the way they were asked for, are at fault. */
const CONFIG_CODES = new Set(['THREADLINGS_CHECKS', 'THREADLINGS_CONFIG']);
const USAGE_CODE = 'THREADLINGS_USAGE';

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function during(report: ChildReport): string {
  const p = report.progress;
  if (p === undefined) return '';
  return ` It happened during check "${p.check}"${p.total > 1 ? ` (run ${Math.min(p.done + 1, p.total)} of ${p.total})` : ''}.`;
}

const SIGNALS: Partial<Record<NodeJS.Signals, string>> = {
  SIGABRT: 'was aborted (SIGABRT): something called process.abort(), or Node.js hit a fatal error',
  SIGSEGV: 'crashed with a segmentation fault (SIGSEGV)',
  SIGBUS: 'crashed with a bus error (SIGBUS)',
  SIGILL: 'crashed on an illegal instruction (SIGILL)',
  SIGTRAP: 'stopped on a fatal error (SIGTRAP)',
  SIGFPE: 'crashed with an arithmetic exception (SIGFPE)',
};

/**
 * Turns how a grading child ended into check results: the checks it reported, or one
 * result of kind `stage` that says what happened to the process and what to do about it.
 * Output the submission printed goes with the first check that did not pass.
 */
export function checksFromChild(exerciseId: string, report: ChildReport, durationMs: number): IsolatedChecks {
  const { end } = report;
  const stage = (name: string, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    name,
    kind: 'stage',
    status: 'error',
    message,
    durationMs,
    ...(report.output === '' ? {} : { output: report.output }),
    ...extra,
  });
  switch (end.kind) {
    case 'finished': {
      if (report.output === '') return { checks: end.checks, fault: undefined };
      const at = end.checks.findIndex((c) => c.status !== 'pass' && c.status !== 'skipped' && c.output === undefined);
      const checks = end.checks.map((c, i) => (i === at ? { ...c, output: report.output } : c));
      return { checks, fault: undefined };
    }
    case 'threw':
      if (end.error.code === USAGE_CODE) return { fault: 'config', checks: [stage('checks', end.error.message)] };
      if (end.error.code !== undefined && CONFIG_CODES.has(end.error.code)) {
        return {
          fault: 'config',
          checks: [stage('checks', `The checks of ${exerciseId} cannot run: ${end.error.message}. This is a mistake in the exercise's checks, not in your code.`)],
        };
      }
      return {
        fault: 'kit',
        checks: [
          stage(
            'grader',
            `The grader failed while running the checks of ${exerciseId}: ${end.error.name}: ${end.error.message}. ` +
              'This is a bug in threadlings, not in your code: please report it with this output.',
            { details: end.error.stack },
          ),
        ],
      };
    case 'memory':
      return {
        fault: undefined,
        checks: [
          stage(
            'memory limit',
            `Grading ${exerciseId} was stopped: the process used ${end.usedMb} MB of memory, over its limit of ${end.limitMb} MB ` +
              `(limits.memoryMb in threadlings.json).${during(report)} Does your code keep allocating — a buffer or an array that grows in a loop, ` +
              'or threads started without end? ArrayBuffers count as well as ordinary objects.',
          ),
        ],
      };
    case 'time':
      return {
        fault: undefined,
        checks: [
          stage(
            'time limit',
            `Grading ${exerciseId} was stopped after ${seconds(end.limitMs)}, its time limit (limits.timeMs in threadlings.json).${during(report)} ` +
              'Does your code loop forever, or wait for something that never happens (a thread that never ends, a lock never released, ' +
              `an event never set)? \`pnpm try ${exerciseId}\` runs your program on its own so you can see what it does.`,
          ),
        ],
      };
    case 'output':
      return {
        fault: undefined,
        checks: [
          stage(
            'output limit',
            `Grading ${exerciseId} was stopped: your code printed more than ${formatBytes(end.limitBytes)}.${during(report)} ` +
              'Is there a print in a loop that does not end? The first part of the output is below.',
          ),
        ],
      };
    case 'tampered':
      return {
        fault: undefined,
        checks: [
          stage(
            'tampering',
            `Grading ${exerciseId} was stopped: something other than the grader wrote to its grading channel — ${end.what}.${during(report)} ` +
              'Only the grader reports a grading\'s results; code that writes to the grader\'s descriptors (fd 3, /proc/…/fd) fails the exercise.',
          ),
        ],
      };
    case 'died': {
      if (!end.booted) {
        return {
          fault: 'kit',
          checks: [
            stage(
              'grader',
              `The grading process for ${exerciseId} failed to start (${end.signal ?? `exit code ${end.code}`}). ` +
                'This is a bug in threadlings or a broken installation (try `pnpm install`), not in your code.',
            ),
          ],
        };
      }
      if (end.signal !== null) {
        const outOfHeap = /heap out of memory|Allocation failed/i.test(report.output);
        const what = outOfHeap ? 'ran out of JavaScript heap memory' : (SIGNALS[end.signal] ?? `was killed by ${end.signal}`);
        return {
          fault: undefined,
          checks: [
            stage(
              'process crash',
              `The grading process for ${exerciseId} ${what}, so the checks could not finish.${during(report)} ` +
                (outOfHeap ? 'Does your code keep objects in a collection that grows without end? ' : 'Does your code call process.abort() or kill the process? ') +
                'Nothing else in the course was affected; fix this and grade again.',
            ),
          ],
        };
      }
      return {
        fault: undefined,
        checks: [
          stage(
            'process exit',
            `The grading process for ${exerciseId} ended (exit code ${end.code}) before the checks finished.${during(report)} ` +
              'Does your code call process.exit()? It ends the whole program, checks and all: return from the function instead ' +
              '(or throw an error to report a failure).',
          ),
        ],
      };
    }
  }
}
