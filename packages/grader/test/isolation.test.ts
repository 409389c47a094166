import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverExercises, type Exercise } from '../src/discover.ts';
import { GradingChild, OUTPUT_KEEP_BYTES, OUTPUT_LIMIT_BYTES } from '../src/isolation/grading-child.ts';
import { checksFromChild } from '../src/isolation/verdicts.ts';
import { CheckResult } from '../src/results.ts';
import { join } from 'node:path';

/*
 * The CLI's supervision of a grading child, with a stand-in for runChecks that calls the
 * hostile code on the child's main thread. Each hostile exercise has a twin (its
 * "solution") that behaves and must pass under the same limits.
 */

const FAKE_CHILD = fileURLToPath(new URL('./support/fake-child.ts', import.meta.url));
const HOSTILE = fileURLToPath(new URL('./fixtures/hostile/', import.meta.url));
const exercises = discoverExercises(join(HOSTILE, 'exercises'), HOSTILE);
const byFolder = (folder: string): Exercise => exercises.find((e) => e.folder === folder)!;

async function gradeIn(folder: string, twin: boolean) {
  const ex = byFolder(folder);
  const sourceRoot = twin ? join(HOSTILE, 'solutions', folder) : ex.dir;
  const report = await GradingChild.start(FAKE_CHILD).run({ exerciseId: ex.id, exerciseDir: ex.dir, sourceRoot, manifest: ex.manifest }, ex.manifest.limits);
  const { checks, fault } = checksFromChild(ex.id, report, 1);
  for (const c of checks) CheckResult.parse(c);
  return { report, checks, fault, first: checks[0]! };
}

describe.each([
  ['01-abort', 'died', 'process crash', /aborted \(SIGABRT\)/],
  ['02-allocate', 'memory', 'memory limit', /over its limit of 300 MB/],
  ['03-loop', 'time', 'time limit', /stopped after 2 s, its time limit/],
  ['04-flood', 'output', 'output limit', /printed more than 16\.0 MB/],
  ['05-exit', 'died', 'process exit', /ended \(exit code 0\) before the checks finished/],
  ['06-signal', 'died', 'process crash', /crashed with a segmentation fault \(SIGSEGV\)/],
] as const)('hostile %s', (folder, kind, name, message) => {
  it(`gets a "${name}" verdict saying what happened`, async () => {
    const { report, first, fault } = await gradeIn(folder, false);
    expect(report.end.kind).toBe(kind);
    expect(fault).toBeUndefined();
    expect(first).toMatchObject({ name, kind: 'stage', status: 'error' });
    expect(first.message).toMatch(message);
    expect(first.message).toContain('check "work"');
  });

  it('has a twin that passes under the same limits', async () => {
    const { report, checks } = await gradeIn(folder, true);
    expect(report.end.kind).toBe('finished');
    expect(checks.map((c) => c.status)).toEqual(['pass']);
  });
});

describe('supervision', () => {
  it('keeps only the first KB of a flood and says how much was cut', async () => {
    const { report, first } = await gradeIn('04-flood', false);
    expect(report.outputBytes).toBeGreaterThan(OUTPUT_LIMIT_BYTES);
    expect(Buffer.byteLength(first.output!)).toBeLessThan(OUTPUT_KEEP_BYTES + 100);
    expect(first.output).toMatch(/\[… [\d.]+ MB more output cut\]$/);
  });

  it('measures the memory of ArrayBuffers, which worker heap limits do not count', async () => {
    const { report } = await gradeIn('02-allocate', false);
    expect(report.peakMb).toBeGreaterThan(300);
  });

  it('reports results that do not fit the schema as a bug in the kit, not as the student\'s failure', async () => {
    process.env['THREADLINGS_FAKE_CHILD_INVALID_RESULTS'] = '1';
    try {
      const { fault, first } = await gradeIn('01-abort', true);
      expect(fault).toBe('kit');
      expect(first.message).toMatch(/do not fit the schema.*This is a bug in threadlings/s);
    } finally {
      delete process.env['THREADLINGS_FAKE_CHILD_INVALID_RESULTS'];
    }
  });

  it('shows what the twin printed only when a check does not pass', async () => {
    const { checks } = await gradeIn('01-abort', true);
    expect(checks[0]!.output).toBeUndefined();
  });
});
