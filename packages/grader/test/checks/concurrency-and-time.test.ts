import { describe, expect, it } from 'vitest';
import './setup.ts';
import { median } from '../../src/checks/measure.ts';
import { judgeSpeedup } from '../../src/checks/speedup.ts';
import { firstProblem, gradeFixture } from './grade-fixture.ts';

describe('structure and time', () => {
  it('fails downloads done one after another: the waits did not overlap', async () => {
    const problem = firstProblem(await gradeFixture('08-serial-downloads'))!;
    expect(problem.name).toBe('downloads overlap');
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(/^The waits did not overlap enough: only 1\.\d\d× faster than one after another \(at least 2\.50× expected\)/);
    // Three runs of five short of the ratio decide the median: the last two are not run.
    expect(problem.runs).toBe(3);
    expect(problem.failures).toBe(3);
    expect(problem.message).toContain('(median of 3 runs, enough of the 5 to decide it)');
  });

  it('fails CPU work split into threads that run one at a time, on structure', async () => {
    const problem = firstProblem(await gradeFixture('09-serial-crunch'))!;
    expect(problem.name).toBe('the CPU work runs concurrently');
    expect(problem.status).toBe('fail');
    expect(problem.message).toContain('never more than 1 thread was inside it at the same moment, in any of 3 runs (at least 2 expected)');
  });

  it('passes overlapped downloads and concurrent CPU work; the speed-up is a figure, never a failure on a busy machine', async () => {
    const results = await gradeFixture('10-parallel-work');
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['downloads overlap']!.status).toBe('pass');
    expect(byName['the CPU work runs concurrently']!.status).toBe('pass');
    const speedup = byName['the CPU work is faster on 2 threads']!;
    expect(['pass', 'inconclusive']).toContain(speedup.status);
    expect(speedup.figures?.map((f) => f.name)).toEqual(['speed-up', 'calibration speed-up', 'serial time', 'concurrent time']);
  });
});

describe('a speed-up that is not there', () => {
  it('fails work split so unevenly that two threads are no faster, or says the machine is too busy to tell', async () => {
    const results = await gradeFixture('18-uneven-split');
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['the CPU work runs concurrently']!.status).toBe('pass');
    const speedup = byName['the CPU work is faster on 2 threads']!;
    expect(['fail', 'inconclusive']).toContain(speedup.status);
    expect(speedup.message).toMatch(speedup.status === 'fail' ? /^Too little speed-up: your code ran \d+\.\d\d× as fast as the serial version/ : /cannot be judged/);
  });
});

describe('a speed-up whose code fails', () => {
  it('fails with the failure of the run, not a crash of the check', async () => {
    const [speedup] = await gradeFixture('19-speedup-throws');
    expect(speedup!.status).toBe('fail');
    expect(speedup!.message).toMatch(/crunchAll\(20000000, 2\): not split into threads yet/);
  });
});

describe('structure on cold workers', () => {
  it('sees concurrent work as concurrent even when starting workers takes longer than the work', async () => {
    // Each grading starts with no worker: the work gauge holds the first thread in until the second arrives.
    for (let i = 0; i < 3; i++) {
      const [structure] = await gradeFixture('10-parallel-work', { only: 'the CPU work runs concurrently' });
      expect(structure!.status, structure!.message).toBe('pass');
    }
  });
});

describe('judging a speed-up', () => {
  const steady = { threads: 2, share: 0.5, calibrationLow: 1.8, coreShareLow: 0.95 };
  /** Figures whose repetitions agreed: the speed-up is the same at its least and at its most. */
  const even = (speedup: number) => ({ speedup, speedupLow: speedup * 0.97, speedupHigh: speedup * 1.03 });

  it('is inconclusive, never a failure, when the calibration shows no parallelism now', () => {
    expect(judgeSpeedup({ ...steady, ...even(0.9), calibration: 1.1, calibrationLow: 1.0 })).toMatchObject({ status: 'inconclusive', undecided: 'no parallelism' });
  });

  it('is inconclusive when the machine showed parallelism only now and then', () => {
    expect(judgeSpeedup({ ...steady, ...even(1.05), calibration: 1.9, calibrationLow: 1.1 })).toMatchObject({ status: 'inconclusive', undecided: 'busy machine' });
  });

  it('is inconclusive when the calibration threads had to share cores with other work', () => {
    expect(judgeSpeedup({ ...steady, ...even(1.05), calibration: 1.9, coreShareLow: 0.5 })).toMatchObject({ status: 'inconclusive', undecided: 'busy machine' });
  });

  it('fails a speed-up well below what a steady calibration reached', () => {
    expect(judgeSpeedup({ ...steady, ...even(1.05), calibration: 1.9 })).toEqual({ status: 'fail', needed: 1.45 });
  });

  it('passes a speed-up that reaches half of the calibration gain', () => {
    expect(judgeSpeedup({ ...steady, ...even(1.6), calibration: 1.9 }).status).toBe('pass');
  });

  // Measured: a loop whose sum overflowed into doubles ran ~800 ms until the JIT recompiled it and
  // ~100 ms after, so each repetition of serial and concurrent code landed in one mode or the other.
  const bimodal = (baseline: number[], subject: number[]) => ({
    speedup: median(baseline) / median(subject),
    speedupLow: Math.min(...baseline) / median(subject),
    speedupHigh: median(baseline) / Math.min(...subject),
  });

  it('does not pass uneven work whose medians fell in different JIT modes', () => {
    // The uneven split (one thread does 95%): medians 804 ms against 99 ms looked like 8×.
    const f = bimodal([830.9, 803.5, 103.2, 796.7, 808.4], [785.5, 98.9, 770.5, 99.0, 99.4]);
    expect(f.speedup).toBeGreaterThan(8);
    expect(judgeSpeedup({ ...steady, ...f, calibration: 1.98 })).toMatchObject({ status: 'inconclusive', undecided: 'unsteady work' });
  });

  it('does not fail an even split whose medians fell in different JIT modes', () => {
    // The even split: medians 102 ms against 396 ms looked like 0.26×.
    const f = bimodal([101.6, 102.3, 799.0, 102.1, 790.2], [396.1, 52.3, 401.7, 419.0, 55.2]);
    expect(f.speedup).toBeLessThan(0.3);
    expect(judgeSpeedup({ ...steady, ...f, calibration: 1.94 })).toMatchObject({ status: 'inconclusive', undecided: 'unsteady work' });
  });
});
