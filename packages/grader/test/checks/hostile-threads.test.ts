import { describe, expect, it } from 'vitest';
import './setup.ts';
import { firstProblem, gradeFixture, statuses } from './grade-fixture.ts';

describe('threads that misbehave', () => {
  it('reports a graded module that throws when a thread imports it, at its line', async () => {
    const problem = firstProblem(await gradeFixture('12-throws-on-import'))!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(/^src\/bank\.ts failed to load in thread "T[12]": Error: no exchange rate for USD \(at src\/bank\.ts:9\)\./);
    expect(problem.location).toEqual({ file: 'src/bank.ts', line: 9 });
    // The stack shows the student's frames, relative; not the kit's loader and wrapper frames.
    expect(problem.details).toMatch(/^Error: no exchange rate for USD\n    at lookUp \(src\/bank\.ts:9:30\)\n/);
    expect(problem.details).not.toMatch(/probe-thread|node:internal|node_modules/);
  });

  it('reports a thread that calls process.exit(), and grading goes on', async () => {
    const results = await gradeFixture('13-exits-in-thread');
    const problem = firstProblem(results)!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(/^Thread "T[12]" died before it finished: .*was process\.exit\(\) called\?/);
    expect(results[1]!.status).toBe('skipped');
  });

  it('stops a thread that starts hundreds of threads at the exercise limit', async () => {
    const problem = firstProblem(await gradeFixture('14-thread-flood'))!;
    expect(problem.status).toBe('fail');
    expect(problem.message).toMatch(/^Thread "T[12]" started too many threads \(at src\/bank\.ts:12\): start\(\) failed because 16 threads were alive already/);
  });

  it('passes a thread that starts a few threads and joins them', async () => {
    expect(statuses(await gradeFixture('15-few-threads'))).toEqual({ 'deposits add up': 'pass', 'deposits add up under stress': 'pass' });
  });
});
