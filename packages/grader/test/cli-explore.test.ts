import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * The controlled scheduler through the CLI: an explore check fails with a schedule, the
 * schedule given back with --replay reruns exactly that interleaving, hand-written
 * schedules replay, and a schedule for another exercise or check is a usage error.
 */
const EXERCISES = join(FIXTURES, 'explore-cli', 'exercises');
const grade = (...args: string[]) => runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--json', ...args], { cwd: FIXTURES });

describe('explore and replay, through the CLI', () => {
  it('fails a lost update with a schedule, and --replay reruns exactly that interleaving', async () => {
    const first = await grade();
    expect(first.code).toBe(1);
    const found = Results.parse(JSON.parse(first.stdout)).exercises[0]!.checks[0]!;
    expect(found).toMatchObject({ name: 'no lost updates', kind: 'explore', status: 'fail', exactReplay: true });
    expect(found.message).toMatch(/^lost update: the balance is 1, expected 2/);
    expect(found.reproduce).toBe(`pnpm grade 01 --replay '${found.schedule}'`);

    const again = await grade('--replay', found.schedule!);
    expect(again.code).toBe(1);
    const replayed = Results.parse(JSON.parse(again.stdout)).exercises[0]!.checks;
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ kind: 'replay', status: 'fail', schedule: found.schedule });
    expect(replayed[0]!.trace).toEqual(found.trace);
  });

  it('replays hand-written schedules: one that splits the deposits fails, one that does not passes', async () => {
    const split = await grade('--replay', 'threadlings-schedule v1 01 no-lost-updates: T1 T2 T1 T2');
    expect(Results.parse(JSON.parse(split.stdout)).exercises[0]!.checks[0]!.message).toBe('lost update: the balance is 1, expected 2');
    const whole = await grade('--replay', 'threadlings-schedule v1 01 no-lost-updates: T1×2 T2×2');
    expect(whole.code).toBe(0);
    // One check passing says nothing of the exercise: the report says what ran, and does not claim the course passes.
    expect(whole.stderr).toContain("01 lost-update: the check the schedule names ran (--replay); `pnpm grade 01` runs them all.");
    expect(whole.stderr).not.toContain('Every exercise passes');
  });

  it('refuses a schedule written for another exercise or check, saying which', async () => {
    const other = await runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--replay', 'threadlings-schedule v1 02 no-lost-updates: T1'], { cwd: FIXTURES });
    expect(other.code).toBe(2);
    expect(other.stdout + other.stderr).toMatch(/this schedule belongs to exercise 02, not 01/);
    const check = await runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--replay', 'threadlings-schedule v1 01 no-deadlock: T1'], { cwd: FIXTURES });
    expect(check.code).toBe(2);
    expect(check.stdout + check.stderr).toMatch(/has no explore or stress check "no-deadlock". Its explore and stress checks: "no-lost-updates"/);
  });

  it('rejects a malformed schedule before grading starts, naming the step at fault', async () => {
    for (const [text, why] of [
      ['threadlings-schedule v1 01 no-lost-updates: T1 "T2', /a quoted name must end with a closing "/],
      ['T1 T2 T1 T2', /a schedule starts with "threadlings-schedule v1"/],
      ['threadlings-schedule v1 01 no-lost-updates: T1 2T', /"2T" is not a step/],
    ] as const) {
      const bad = await runCli(['grade', '01', '--exercises', EXERCISES, '--replay', text], { cwd: FIXTURES });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--replay: the schedule cannot be read: /);
      expect(bad.stderr).toMatch(why);
      expect(bad.stdout + bad.stderr).not.toContain('Grading exercise');
    }
  });

  it('passes the reference solution over every interleaving', async () => {
    const run = await grade('--solutions');
    expect(run.code).toBe(0);
    expect(Results.parse(JSON.parse(run.stdout)).exercises[0]!.checks[0]!.message).toMatch(/explored exhaustively/);
  });
});

describe('a stress failure, found again by the controlled scheduler', () => {
  const stress = (...args: string[]) => runCli(['grade', '02', '--exercises', EXERCISES, '--ci', '--json', ...args], { cwd: FIXTURES });

  it('shows the schedule that fails the same scenario, and --replay reruns it exactly', async () => {
    const first = await stress();
    expect(first.code).toBe(1);
    const check = Results.parse(JSON.parse(first.stdout)).exercises[0]!.checks[0]!;
    expect(check).toMatchObject({ name: 'no lost updates', kind: 'stress', status: 'fail', exactReplay: true });
    expect(check.message).toMatch(/^Lost updates in \d+ of 200 runs \(expected 200, saw \d+ in run \d+\)\. The controlled scheduler made the same scenario fail in an interleaving it can replay exactly: expected 200, saw \d+\.$/);
    expect(check.schedule).toMatch(/^threadlings-schedule v1 02 no-lost-updates: /);
    expect(check.reproduce).toBe(`pnpm grade 02 --replay '${check.schedule}'`);
    // The free runs' outcome counts are still there, after the interleaving.
    expect(check.details).toMatch(/The interleaving[\s\S]*Outcomes of 200 runs:/);

    const again = await stress('--replay', check.schedule!);
    expect(again.code).toBe(1);
    const replayed = Results.parse(JSON.parse(again.stdout)).exercises[0]!.checks;
    expect(replayed).toEqual([expect.objectContaining({ name: 'no lost updates', kind: 'replay', status: 'fail', schedule: check.schedule, trace: check.trace })]);
  });

  it('passes the reference solution under stress', async () => {
    const run = await stress('--solutions');
    expect(run.code).toBe(0);
  });
});
