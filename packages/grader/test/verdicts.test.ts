import { describe, expect, it } from 'vitest';
import type { ChildReport } from '../src/isolation/grading-child.ts';
import { checksFromChild } from '../src/isolation/verdicts.ts';
import { CheckResult } from '../src/results.ts';

/** How a grading child ended, turned into check results: a pure function, tested on hand-made reports. */

const base: Omit<ChildReport, 'end'> = { output: '', outputBytes: 0, progress: { check: 'no lost updates', done: 11, total: 200 }, peakMb: 10 };
const pass: CheckResult = { name: 'a', kind: 'functional', status: 'pass', message: 'ok', durationMs: 1 };
const fail: CheckResult = { name: 'b', kind: 'stress', status: 'fail', message: 'lost updates', durationMs: 1 };

describe('verdicts from a grading child', () => {
  it('keeps the checks it reported, and gives what was printed to the first that did not pass', () => {
    const { checks, fault } = checksFromChild('07', { ...base, output: 'hello\n', end: { kind: 'finished', checks: [pass, fail] } }, 5);
    expect(fault).toBeUndefined();
    expect(checks.map((c) => c.output)).toEqual([undefined, 'hello\n']);
  });

  it('names the check and the run during which the process was stopped', () => {
    const { checks } = checksFromChild('07', { ...base, end: { kind: 'time', limitMs: 60_000 } }, 5);
    expect(checks[0]!.message).toContain('stopped after 60 s, its time limit');
    expect(checks[0]!.message).toContain('during check "no lost updates" (run 12 of 200)');
  });

  it('tells a process that ran out of JavaScript heap from one that aborted', () => {
    const heap = checksFromChild('07', { ...base, output: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', end: { kind: 'died', code: null, signal: 'SIGABRT', booted: true } }, 5);
    expect(heap.checks[0]!.message).toContain('ran out of JavaScript heap memory');
    const abort = checksFromChild('07', { ...base, end: { kind: 'died', code: null, signal: 'SIGABRT', booted: true } }, 5);
    expect(abort.checks[0]!.message).toContain('was aborted (SIGABRT)');
  });

  it('blames the kit when the child never loaded the grader or the runner threw, and the exercise when its checks cannot run', () => {
    expect(checksFromChild('07', { ...base, end: { kind: 'died', code: 1, signal: null, booted: false } }, 5).fault).toBe('kit');
    expect(checksFromChild('07', { ...base, end: { kind: 'threw', error: { name: 'TypeError', message: 'x is undefined', stack: '' } } }, 5).fault).toBe('kit');
    const config = checksFromChild('07', { ...base, end: { kind: 'threw', error: { name: 'ConfigError', message: 'the checks module must export default defineChecks', stack: '', code: 'THREADLINGS_CONFIG' } } }, 5);
    expect(config.fault).toBe('config');
    expect(config.checks[0]!.message).toContain("a mistake in the exercise's checks, not in your code");
    const usage = checksFromChild('07', { ...base, end: { kind: 'threw', error: { name: 'UsageError', message: 'no check named "x"', stack: '', code: 'THREADLINGS_USAGE' } } }, 5);
    expect(usage).toMatchObject({ fault: 'config', checks: [{ message: 'no check named "x"' }] });
  });

  it('produces results that fit the schema for every ending', () => {
    const ends: ChildReport['end'][] = [
      { kind: 'memory', usedMb: 1100, limitMb: 1024 },
      { kind: 'output', limitBytes: 16 * 1024 * 1024 },
      { kind: 'died', code: 0, signal: null, booted: true },
      { kind: 'died', code: null, signal: 'SIGSEGV', booted: true },
      { kind: 'died', code: null, signal: 'SIGKILL', booted: true },
    ];
    for (const end of ends) for (const c of checksFromChild('07', { ...base, output: 'x', end }, 5).checks) expect(CheckResult.parse(c)).toMatchObject({ kind: 'stage', status: 'error', output: 'x' });
  });
});
