import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES, tempProject } from './support/temp-exercises.ts';

/*
 * The CLI end to end through the real checks runner, in the isolated child: hostile
 * submissions each get a clear verdict and grading goes on; their twins pass; the pass
 * cache; options passed through; nothing the student prints becomes a workflow command.
 */

const HOSTILE = join(FIXTURES, 'hostile', 'exercises');
const INJECT = join(FIXTURES, 'cli', 'inject', 'exercises');

describe('isolation, through the CLI', () => {
  it('gives every hostile submission its own verdict and goes on to the next exercise', async () => {
    const run = await runCli(['grade', '--exercises', HOSTILE, '--ci', '--json'], { cwd: FIXTURES });
    expect(run.code).toBe(1);
    const results = Results.parse(JSON.parse(run.stdout));
    const verdicts = Object.fromEntries(results.exercises.map((e) => [e.slug, `${e.status}: ${e.checks[0]!.name}`]));
    expect(verdicts).toEqual({
      abort: 'error: process crash',
      allocate: 'error: memory limit',
      loop: 'error: time limit',
      flood: 'error: output limit',
      exit: 'error: process exit',
      signal: 'error: process crash',
    });
    const flood = results.exercises.find((e) => e.slug === 'flood')!;
    expect(flood.checks[0]!.output).toMatch(/\[… [\d.]+ MB more output cut\]$/);
  });

  it('passes the well-behaved twins under the same limits', async () => {
    const run = await runCli(['grade', '--exercises', HOSTILE, '--ci', '--solutions', '--json'], { cwd: FIXTURES });
    expect(run.code).toBe(0);
    const results = Results.parse(JSON.parse(run.stdout));
    expect(results).toMatchObject({ status: 'pass', score: 6, maxScore: 6, solutions: true });
  });
});

describe('the pass cache, through the CLI', () => {
  it('answers at once for an exercise unchanged since it passed; --force and --ci re-run it; an edit re-grades it', async () => {
    const root = tempProject({ 'exercises/05-exit': 'hostile/exercises/05-exit' });
    const work = join(root, 'exercises/05-exit/src/work.ts');
    cpSync(join(FIXTURES, 'hostile/solutions/05-exit/src/work.ts'), work);
    const opts = ['grade', '05', '--exercises', 'exercises', '--store', 'store'];
    const first = await runCli(opts, { cwd: root });
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain('unchanged since it passed');
    const second = await runCli(opts, { cwd: root });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('✓ 05 exit — Exits the process  unchanged since it passed (--force to re-run)');
    expect((await runCli([...opts, '--force'], { cwd: root })).stdout).not.toContain('unchanged since it passed');
    expect((await runCli([...opts, '--ci'], { cwd: root })).stdout).not.toContain('unchanged since it passed');
    writeFileSync(work, `${readFileSync(work, 'utf8')}\n// an edit\n`);
    expect((await runCli(opts, { cwd: root })).stdout).toMatch(/✓ 05 exit — Exits the process {2}[\d.]+ s/);
  });
});

describe('options passed through to the checks', () => {
  it('--only naming no check is a usage error (exit 2) that lists the checks', async () => {
    const run = await runCli(['grade', '05', '--exercises', HOSTILE, '--ci', '--solutions', '--only', 'nope'], { cwd: FIXTURES });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('has no check named "nope"');
    expect(run.stdout).toContain('"work returns 42"');
  });

  it('--seed reaches the checks and their reproduce command', async () => {
    const run = await runCli(['grade', '01', '--exercises', INJECT, '--ci', '--seed', '4242', '--json'], { cwd: FIXTURES });
    const check = Results.parse(JSON.parse(run.stdout)).exercises[0]!.checks[0]!;
    expect(check.seed).toBe(4242);
    expect(check.reproduce).toContain('--seed 4242');
  });
});

describe('the GitHub reporter against a submission that tries to inject commands', () => {
  it('keeps what the student printed between stop-commands and its token, and escapes what the student raised', async () => {
    const run = await runCli(['grade', '--exercises', INJECT, '--ci', '--reporter', 'github'], { cwd: FIXTURES });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[0]!)![1]!;
    const end = lines.indexOf(`::${token}::`);
    const inside = lines.slice(0, end);
    const after = lines.slice(end + 1).filter((l) => l !== '');
    // The student's lines are printed, but only where the runner does not read commands.
    expect(inside.some((l) => l.includes('::add-mask::secret'))).toBe(true);
    expect(after.join('\n')).not.toContain('::add-mask::');
    // After the block: exactly one annotation, on one line, with the raised message escaped.
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^::error file=[^,]*inject\/exercises\/01-inject\/src\/work\.ts,title=01 inject%3A work returns 42::/);
    expect(after[0]).toContain('bad%0A::set-output name=x::y%0D%0A::warning::raised by the student');
    expect(run.stdout.match(/::stop-commands::/g)).toHaveLength(1);
  });
});
