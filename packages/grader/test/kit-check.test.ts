import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * The kit check names, for an exercise that is not ready, each thing missing and the file
 * it belongs in. (The kit's own exercises are checked by packages/solutions' self-check.)
 */
const ROOT = join(FIXTURES, 'answer');

describe('kit-check', () => {
  it('lists every problem of an exercise that is not ready, by file, and exits 1', async () => {
    const run = await runCli(['kit-check', '--static', '--exercises', join(ROOT, 'exercises')], { cwd: ROOT });
    expect(run.code).toBe(1);
    const out = run.stdout;
    expect(out).toMatch(/01-helper: .*exercises\/01-helper\/README\.md is missing: the lesson, with the headings "## What you will learn"/);
    expect(out).toMatch(/01-helper: .*src\/bank\.ts: no "\/\/ TODO" \(or, in a data file, "# TODO"\) marker/);
    expect(out).toMatch(/01-helper: .*threadlings\.json: field "hints" has 1; give at least 3/);
    expect(out).toMatch(/01-helper: .*threadlings\.json: no "program"/);
    expect(out).toMatch(/01-helper: .*solutions\/01-helper\/starter\.json is missing/);
    expect(out).toMatch(/01-helper: .*solutions\/01-helper\/wrong\/ holds 2 wrong answers: keep at least 3/);
    expect(out).toMatch(/01-helper: .*wrong\/no-lock\/expect\.json is missing/);
    expect(out).toMatch(/01-helper: .*wrong\/empty\/ holds none of the exercise's files \(src\/bank\.ts\)/);
  });

  it('grades the solution: a solution that passes leaves no grading problem', async () => {
    const run = await runCli(['kit-check', '01', '--exercises', join(ROOT, 'exercises')], { cwd: ROOT });
    expect(run.stdout).toMatch(/✓ 01-helper solution: pass/);
  });

  it('refuses --runs that is not a whole number of at least 1', async () => {
    const run = await runCli(['kit-check', '--runs', '0', '--exercises', join(ROOT, 'exercises')], { cwd: ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Expected `--runs` to be a whole number of at least 1, got `0`/);
  });
});
