import { join } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * Grading other files than the student's: a solution or a wrong answer holds only the
 * files the student edits, and is graded laid over a copy of the exercise, so its imports
 * of the exercise's helpers (src/lib) resolve as the student's do.
 */
const ROOT = join(FIXTURES, 'answer');
const EXERCISES = join(ROOT, 'exercises');
const SOLUTIONS = join(ROOT, 'solutions', '01-helper');
const grade = (...args: string[]) => runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--json', ...args], { cwd: ROOT });

describe('grading a solution or a wrong answer over the exercise', () => {
  it('passes the solution, which imports a helper only the exercise has', async () => {
    const run = await grade('--solutions');
    expect(run.code).toBe(0);
    const ex = Results.parse(JSON.parse(run.stdout)).exercises[0]!;
    expect(ex.status).toBe('pass');
    expect(ex.files).toHaveLength(1);
    expect(ex.files[0]).toMatch(/fixtures\/answer\/solutions\/01-helper\/src\/bank\.ts$/);
  });

  it('fails a wrong answer on its check, names its files, and says how to grade it again', async () => {
    const run = await grade('--answer', join(SOLUTIONS, 'wrong', 'no-lock'));
    expect(run.code).toBe(1);
    const ex = Results.parse(JSON.parse(run.stdout)).exercises[0]!;
    expect(ex.files).toHaveLength(1);
    expect(ex.files[0]).toMatch(/fixtures\/answer\/solutions\/01-helper\/wrong\/no-lock\/src\/bank\.ts$/);
    expect(ex.checks[0]!.reproduce).toMatch(/^pnpm grade 01 --replay /);
    expect(ex.checks[0]).toMatchObject({ name: 'no lost updates', status: 'fail' });
    expect(ex.checks[0]!.message).toMatch(/^lost update: the balance is 1, expected 2/);
    // The copy it graded is gone.
    const graded = join(EXERCISES, '01-helper', '.graded');
    expect(existsSync(graded) ? readdirSync(graded) : []).toEqual([]);
  });

  it('refuses an answer folder that holds none of the files, or none at all, before grading', async () => {
    const empty = await runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--answer', join(SOLUTIONS, 'wrong', 'empty')], { cwd: ROOT });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/it holds none of 01's files \(src\/bank\.ts\)/);
    const missing = await runCli(['grade', '01', '--exercises', EXERCISES, '--ci', '--answer', join(SOLUTIONS, 'wrong', 'nothing-here')], { cwd: ROOT });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/there is no such folder/);
    const all = await runCli(['grade', '--exercises', EXERCISES, '--ci', '--answer', join(SOLUTIONS, 'wrong', 'no-lock')], { cwd: ROOT });
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/name the exercise/);
  });
});
