import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { tempProject } from './support/temp-exercises.ts';

/*
 * The CLI end to end, in its own process, on fixture exercises: exit codes, the results
 * document, the JUnit and GitHub reports, hints, progress, reset, try. (Gradings that
 * reach the checks are in cli-checks.test.ts.)
 */

function typecheckProject(): string {
  return tempProject({ 'exercises/01-broken': 'cli/typecheck/exercises/01-broken', 'solutions/01-broken': 'cli/typecheck/solutions/01-broken' });
}

describe('exit codes', () => {
  it('says clearly that there are no exercises yet, and exits 0', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'threadlings-empty-'));
    const run = await runCli(['grade', '--exercises', 'exercises'], { cwd: empty });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No exercises yet: none found in exercises.');
  });

  it('exits 2 on a bad manifest, naming the file and the field', async () => {
    const root = tempProject({ 'exercises/01-bad': 'cli/bad-manifest/exercises/01-bad' });
    const run = await runCli(['grade', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exercises/01-bad/threadlings.json is not a valid exercise manifest');
    expect(run.stderr).toContain('field "limits.memoryMb"');
  });

  it('still writes the reports a CI job asked for when grading cannot start, saying why', async () => {
    const root = tempProject({ 'exercises/01-bad': 'cli/bad-manifest/exercises/01-bad' });
    const run = await runCli(['grade', '--exercises', 'exercises', '--json', 'out/results.json', '--junit', 'out/junit.xml'], { cwd: root });
    expect(run.code).toBe(2);
    const doc = Results.parse(JSON.parse(readFileSync(join(root, 'out/results.json'), 'utf8')));
    expect(doc).toMatchObject({ status: 'error', exercises: [], error: { kind: 'config' } });
    expect(doc.error!.message).toContain('field "limits.memoryMb"');
    const xml = readFileSync(join(root, 'out/junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('grading could not start (config error)');
    expect(xml).toMatch(/<error [^>]*type="config"/);
    // On stdout too, for `pnpm -s grade --json`: an unknown exercise is a usage error.
    const usage = await runCli(['grade', '42', '--exercises', 'exercises', '--json'], { cwd: typecheckProject() });
    expect(usage.code).toBe(2);
    expect(Results.parse(JSON.parse(usage.stdout))).toMatchObject({ status: 'error', error: { kind: 'usage' } });
  });

  it('exits 2 on an unknown exercise, option or malformed value', async () => {
    const root = typecheckProject();
    const cases = [['grade', '42'], ['grade', '--bogus'], ['grade', '01', '--seed', 'x'], ['grade', '--only', 'a'], ['hint', 'nope'], ['reset'], ['grade', '--reporter', 'xml']];
    for (const args of cases) {
      const run = await runCli([...args, '--exercises', 'exercises'], { cwd: root });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).not.toContain('bug in threadlings');
    }
  });

  it('exits 1 when an exercise fails, and stops at the type error before any check', async () => {
    const run = await runCli(['grade', '--exercises', 'exercises', '--ci'], { cwd: typecheckProject() });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ 01 broken — Does not compile');
    expect(run.stdout).toMatch(/src\/bank\.ts:5:\d+ Type 'string' is not assignable to type 'number'/);
    expect(run.stdout).toContain('Progress: ');
    expect(run.stdout).toContain('0/1 exercises pass');
    // Plain output: no colour without a terminal.
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('prints help and exits 0', async () => {
    const run = await runCli(['--help'], { cwd: typecheckProject() });
    expect(run.code).toBe(0);
    for (const cmd of ['grade', 'hint', 'progress', 'reset', 'watch', 'run|try']) expect(run.stdout).toContain(cmd);
  });
});

describe('machine-readable reports', () => {
  it('--json prints only the results document on stdout, valid under the schema', async () => {
    const run = await runCli(['grade', '--exercises', 'exercises', '--ci', '--json'], { cwd: typecheckProject() });
    expect(run.code).toBe(1);
    const results = Results.parse(JSON.parse(run.stdout));
    expect(results).toMatchObject({ version: 1, status: 'error', score: 0, maxScore: 1, solutions: false });
    expect(results.exercises[0]).toMatchObject({ id: '01', slug: 'broken', status: 'error', files: ['exercises/01-broken/src/bank.ts'] });
    expect(results.exercises[0]!.checks[0]).toMatchObject({ name: 'typecheck', kind: 'stage', location: { file: 'src/bank.ts', line: 5 } });
    // The human report went to stderr.
    expect(run.stderr).toContain('✗ 01 broken');
  });

  it('--json FILE and --junit FILE write the documents; the JUnit XML is well-formed', async () => {
    const root = typecheckProject();
    const run = await runCli(['grade', '01', '--exercises', 'exercises', '--ci', '--json', 'out/results.json', '--junit', 'out/junit.xml'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ 01 broken');
    Results.parse(JSON.parse(readFileSync(join(root, 'out/results.json'), 'utf8')));
    const xml = readFileSync(join(root, 'out/junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<testcase classname="threadlings.01-broken" name="typecheck"');
  });

  it('--reporter github wraps the report in stop-commands, annotates the file and line, and writes the job summary', async () => {
    const root = typecheckProject();
    const summary = join(root, 'summary.md');
    const run = await runCli(['grade', '--exercises', 'exercises', '--ci', '--reporter', 'github'], { cwd: root, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const stop = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[0]!);
    expect(stop).not.toBeNull();
    const end = lines.indexOf(`::${stop![1]}::`);
    expect(end).toBeGreaterThan(0);
    expect(lines.slice(0, end).join('\n')).toContain('✗ 01 broken');
    const annotation = lines.slice(end + 1).find((l) => l.startsWith('::error '));
    expect(annotation).toMatch(/^::error file=exercises\/01-broken\/src\/bank\.ts,line=5,title=01 broken%3A typecheck::Your code does not compile/);
    expect(readFileSync(summary, 'utf8')).toContain('## threadlings: 0/1 exercises pass');
  });

  it('uses a new stop-commands token on every run', async () => {
    const root = typecheckProject();
    const a = await runCli(['grade', '--exercises', 'exercises', '--ci', '--reporter', 'github'], { cwd: root });
    const b = await runCli(['grade', '--exercises', 'exercises', '--ci', '--reporter', 'github'], { cwd: root });
    expect(a.stdout.split('\n')[0]).not.toBe(b.stdout.split('\n')[0]);
  });
});

describe('hints and progress', () => {
  it('reveals one more hint each call, remembers it, and shows them all with --all', async () => {
    const root = tempProject({ 'exercises/01-abort': 'hostile/exercises/01-abort' });
    const manifest = join(root, 'exercises/01-abort/threadlings.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { hints: string[] };
    m.hints = ['first hint', 'second hint'];
    writeFileSync(manifest, JSON.stringify(m));
    const opts = ['--exercises', 'exercises', '--store', 'store'];
    const one = await runCli(['hint', '01', ...opts], { cwd: root });
    expect(one.stdout).toContain('Hint 1 of 2 for 01 abort:\n  first hint');
    expect(one.stdout).toContain('again for the next hint (1 more)');
    const two = await runCli(['hint', ...opts], { cwd: root });
    expect(two.stdout).toContain('Hint 2 of 2');
    expect(two.stdout).toContain('That was the last hint.');
    const all = await runCli(['hint', '01', '--all', ...opts], { cwd: root });
    expect(all.stdout).toContain('first hint');
    expect(all.stdout).toContain('second hint');
  });

  it('stops at the first exercise that does not pass, points at the hint for the check that failed, and grades every one with --all', async () => {
    const root = tempProject({ 'exercises/01-helper': 'answer/exercises/01-helper', 'exercises/02-helper': 'answer/exercises/01-helper' });
    for (const [folder, id] of [['01-helper', '01'], ['02-helper', '02']] as const) {
      const file = join(root, 'exercises', folder, 'threadlings.json');
      const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...m, id, order: Number(id), hints: ['a nudge', 'a second nudge', { check: 'no lost updates', text: 'hold the lock around the read and the write' }] }));
    }
    const opts = ['--exercises', 'exercises', '--store', 'store'];
    const first = await runCli(['grade', ...opts], { cwd: root });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/✗ 01 helper/);
    expect(first.stdout).not.toMatch(/✗ 02 helper/);
    expect(first.stdout).toContain('Stopped at 01 helper, the first exercise that does not pass');
    expect(first.stdout).toContain('pnpm hint 01 for a hint about "no lost updates"');
    // The fixture has no lesson: no pointer to a README that is not there.
    expect(first.stdout).not.toContain('README.md');
    const hint = await runCli(['hint', ...opts], { cwd: root });
    expect(hint.stdout).toContain('Hint 3 of 3 for 01 helper (about the check that failed: "no lost updates"):\n  hold the lock');
    expect(hint.stdout).toContain('again for the next hint (2 more)');
    expect((await runCli(['hint', ...opts], { cwd: root })).stdout).toContain('Hint 1 of 3 for 01 helper:\n  a nudge');
    const all = await runCli(['grade', '--all', ...opts], { cwd: root });
    expect(all.stdout).toMatch(/✗ 01 helper/);
    expect(all.stdout).toMatch(/✗ 02 helper/);
    expect(all.stdout).not.toContain('Stopped at');
  });

  it('lists every exercise with its last verdict', async () => {
    const root = typecheckProject();
    const opts = ['--exercises', 'exercises', '--store', 'store'];
    expect((await runCli(['progress', ...opts], { cwd: root })).stdout).toMatch(/^· 01 broken/m);
    await runCli(['grade', ...opts], { cwd: root });
    const after = await runCli(['progress', ...opts], { cwd: root });
    expect(after.stdout).toMatch(/^✗ 01 broken .*← next/m);
    expect(after.stdout).toContain('0/1 exercises pass');
  });
});

describe('reset', () => {
  function gitProject(): { root: string; file: string; starter: string } {
    const root = typecheckProject();
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', 'exercises'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'starter'], { cwd: root });
    const file = join(root, 'exercises/01-broken/src/bank.ts');
    const starter = readFileSync(file, 'utf8');
    writeFileSync(file, '// my work\n');
    return { root, file, starter };
  }

  it('restores the starter from git with --yes', async () => {
    const { root, file, starter } = gitProject();
    const run = await runCli(['reset', '01', '--yes', '--exercises', 'exercises', '--store', 'store'], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Restored exercises/01-broken/src/bank.ts from HEAD');
    expect(readFileSync(file, 'utf8')).toBe(starter);
  });

  it('refuses without a terminal to ask on and without --yes, changing nothing', async () => {
    const { root, file } = gitProject();
    const run = await runCli(['reset', '01', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('run it in a terminal to confirm, or pass --yes');
    expect(readFileSync(file, 'utf8')).toBe('// my work\n');
  });

  it('says so when there is nothing to restore', async () => {
    const { root, file, starter } = gitProject();
    writeFileSync(file, starter);
    const run = await runCli(['reset', '01', '--yes', '--exercises', 'exercises'], { cwd: root });
    expect(run.stdout).toContain('already match HEAD; nothing to restore');
  });

  it('explains that reset needs git outside a repository', async () => {
    const root = typecheckProject();
    const run = await runCli(['reset', '01', '--yes', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not in a git repository');
  });
});

describe('try', () => {
  it("runs an exercise's program as a student would, showing its output", async () => {
    const root = typecheckProject();
    const run = await runCli(['run', '01', '--solutions', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deposited');
  });

  it("shows every line the program's threads print with console.log and console.error, in order per thread, though they end at once", async () => {
    const root = tempProject({ 'exercises/01-output': 'cli/output/exercises/01-output' });
    for (let i = 0; i < 3; i++) {
      const run = await runCli(['try', '01', '--exercises', 'exercises'], { cwd: root });
      expect(run.code).toBe(0);
      const out = run.stdout.split('\n');
      expect(out.filter((l) => /^(main|thread \d):/.test(l))).toHaveLength(8);
      expect(out.indexOf('main: first')).toBeLessThan(out.indexOf('main: last'));
      for (const n of [1, 2, 3]) {
        expect(out.indexOf(`thread ${n}: first`)).toBeGreaterThan(-1);
        expect(out.indexOf(`thread ${n}: first`)).toBeLessThan(out.indexOf(`thread ${n}: second`));
        expect(run.stderr).toContain(`thread ${n}: on stderr`);
      }
    }
  });

  it('reports a program that deadlocks as the grader does, naming the cycle, without waiting for the time limit', async () => {
    const root = tempProject({ 'exercises/02-deadlock': 'cli/output/exercises/02-deadlock' });
    const run = await runCli(['try', '02', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The program was stopped: Found a deadlock: "A→B" waits to acquire Lock \'b\' (at src/work.ts:7), held by "B→A"');
    expect(run.stderr).not.toContain('still running after');
  });

  it('stops a program that runs past the time limit, and says why', async () => {
    const root = tempProject({ 'exercises/03-loop': 'hostile/exercises/03-loop' });
    const run = await runCli(['try', '03', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The program was stopped: The run did not finish within its time limit of 2000 ms: "MainThread" is running, using');
  });

  it('survives a program that crashes the process', async () => {
    const root = tempProject({ 'exercises/06-signal': 'hostile/exercises/06-signal' });
    const run = await runCli(['try', '06', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The program was killed by SIGSEGV');
  });

  it('reports what a program raised (process.abort() is refused in a thread)', async () => {
    const root = tempProject({ 'exercises/01-abort': 'hostile/exercises/01-abort' });
    const run = await runCli(['try', '01', '--exercises', 'exercises'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Thread "MainThread" raised TypeError: process.abort() is not supported in workers (at src/work.ts:3).');
    expect(run.stderr).toContain('at work (src/work.ts:3:11)');
  });
});

