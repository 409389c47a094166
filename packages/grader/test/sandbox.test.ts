import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv } from '../src/isolation/grading-child.ts';
import { visibleControls } from '../src/isolation/output-cap.ts';
import { SANDBOX_CWD, sandboxReadable, swapCase } from '../src/isolation/sandbox.ts';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * Hostile submissions, graded by the real CLI and grading child: each tries to forge a pass
 * or to reach outside its grading, and must get a failing verdict that says what it tried.
 * Each has a twin (its "solution") that behaves and passes.
 */
const ROOT = join(FIXTURES, 'sandbox');
const EXERCISES = join(ROOT, 'exercises');
const SECRETS = { GITHUB_TOKEN: 'ghs_secret', GITHUB_OUTPUT: '/tmp/out', GITHUB_ENV: '/tmp/env', AWS_SECRET_ACCESS_KEY: 'aws', NPM_TOKEN: 'npm' };
const grade = (id: string, ...args: string[]) => runCli(['grade', id, '--exercises', EXERCISES, '--ci', '--json', ...args], { cwd: ROOT, env: SECRETS });
const first = (stdout: string) => Results.parse(JSON.parse(stdout)).exercises[0]!.checks[0]!;

describe('hostile submissions', () => {
  it.each([
    ['01', /tampering/, /bytes that are not a message of the grader/],
    ['02', /tampering/, /a message claiming to be "results", without the grader's secret/],
  ])('exercise %s: a forged report on the grading channel fails as tampering, never passes', async (id, name, what) => {
    const run = await grade(id);
    expect(run.code).toBe(1);
    const check = first(run.stdout);
    expect(check).toMatchObject({ kind: 'stage', status: 'error' });
    expect(check.name).toMatch(name);
    expect(check.message).toMatch(what);
  });

  it.each([
    ['05', /src\/work\.ts:1: "@threadlings\/core\/internal" is the kit's own machinery: import from "@threadlings\/core" only/],
    ['06', /src\/work\.ts:5: require\(\) of a module computed at run time: name the module in a string/],
    ['07', /src\/work\.ts:2: "\.\.\/answers\/work\.ts" is outside the exercise's src\/ \(answers\/work\.ts\)/],
    ['08', /src\/work\.ts:1: "node:child_process" reaches around the grader/],
  ])('exercise %s: an import that reaches around the grader is refused, naming the file and line, before any code runs', async (id, message) => {
    const run = await grade(id);
    expect(run.code).toBe(1);
    const check = first(run.stdout);
    expect(check).toMatchObject({ name: 'imports', kind: 'stage', status: 'error' });
    expect(check.message).toMatch(message);
  });

  it('finds no token, CI variable or secret in its environment', async () => {
    const run = await grade('03');
    expect(run.stdout + run.stderr).not.toContain('ghs_secret');
    expect(run.code).toBe(0);
  });

  it('cannot put control sequences on the terminal: they are shown made visible', async () => {
    const run = await runCli(['grade', '04', '--exercises', EXERCISES], { cwd: ROOT });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r✓ 04 controls — passes');
    expect(run.stdout).not.toMatch(/\x1b\[2J|\x07/);
  });

  it('exercise 09: with --ci, can write no file: not beside another exercise\'s checks, the grader\'s sources, nor in the temporary folder', async () => {
    const planted = [join(EXERCISES, '01-forge', 'planted.ts'), fileURLToPath(new URL('../src/planted.ts', import.meta.url)), join(tmpdir(), 'threadlings-planted.txt')];
    for (const f of planted) rmSync(f, { force: true });
    const run = await grade('09');
    // The submission returns 42 only if every write was refused.
    expect(planted.filter((f) => existsSync(f))).toEqual([]);
    expect(run.stdout).not.toContain('planted:');
    expect(run.code).toBe(0);
  });

  it("exercise 10: with --ci, cannot read the solution's file to copy the answer", async () => {
    const run = await grade('10');
    expect(run.code).toBe(1);
    expect(first(run.stdout)).toMatchObject({ name: 'work returns 42', status: 'fail' });
    expect(first(run.stdout).message).toMatch(/expected 42 for what work\(\) returns, saw 0/);
  });

  it('exercise 11: cannot signal the CLI, start a process, debug itself, hook the loader, start a raw worker or run esbuild\'s build, whichever way it reaches them at run time', async () => {
    const run = await grade('11');
    // The submission returns 42 only if every probe was refused, and names those that were not.
    expect(run.stdout).not.toContain('got through');
    expect(run.code).toBe(0);
  });

  it.each(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'])('exercise %s has a twin that passes', async (id) => {
    expect((await grade(id, '--solutions')).code).toBe(0);
  });
});

describe('the pieces', () => {
  it('keeps what Node and a terminal need in a grading child’s environment, and nothing else', () => {
    expect(childEnv({ PATH: '/bin', HOME: '/h', TMPDIR: '/t', THREADLINGS_X: '1', ...SECRETS, CI: 'true', NODE_OPTIONS: '--require /evil.js' })).toEqual({
      PATH: '/bin',
      HOME: '/h',
      TMPDIR: '/t',
      THREADLINGS_X: '1',
    });
  });

  it('grants the case-swapped path of its working folder, which tsx probes, however the folder is spelt', () => {
    expect(swapCase('/tmp/tmp.GJFULIc1yU/kit')).toBe('/TMP/TMP.gjfuliC1Yu/KIT');
    const readable = sandboxReadable({ root: '/nowhere', exercisesDir: '/nowhere/exercises', solutionsDir: '/nowhere/solutions', storeDir: '/nowhere/.threadlings' });
    expect(readable).toContain(swapCase(SANDBOX_CWD.replace(/\/$/, '')));
    expect(readable.some((p) => p.includes('solutions'))).toBe(false);
  });

  it('makes control characters visible, keeping newlines and tabs', () => {
    expect(visibleControls('a\x1b[31mb\tc\nd\r\x00\x7f')).toBe('a\\x1b[31mb\tc\nd\\r\\x00\\x7f');
  });
});

describe('the channel’s framing', () => {
  it('splits lines across chunks and keeps a character split between two chunks whole', async () => {
    const { lines } = await import('../src/isolation/channel.ts');
    const got: string[] = [];
    const feed = lines((l) => got.push(l));
    const bytes = Buffer.from('{"steps":"T1×2 A→B"}\nsecond\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of ×
    feed(bytes.subarray(0, cut));
    feed(bytes.subarray(cut));
    expect(got).toEqual(['{"steps":"T1×2 A→B"}', 'second']);
  });
});

describe('failing closed', () => {
  it('leaves a report that says grading did not finish, not an earlier pass, when the CLI is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadlings-closed-'));
    const out = join(dir, 'results.json');
    writeFileSync(out, JSON.stringify({ status: 'pass', note: 'an earlier run' }));
    const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    const hostile = join(FIXTURES, 'hostile');
    const cli = spawn(process.execPath, ['--import', tsx, bin, 'grade', '03', '--exercises', join(hostile, 'exercises'), '--ci', '--json', out], { cwd: hostile, stdio: 'ignore' });
    const exited = new Promise((resolve) => cli.on('exit', resolve));
    // The hand-shake: the CLI has replaced the old report before it grades anything.
    for (let i = 0; i < 400 && !(existsSync(out) && readFileSync(out, 'utf8').includes('interrupted')); i++) await new Promise((r) => setTimeout(r, 50));
    cli.kill('SIGKILL');
    await exited;
    const left = Results.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(left.status).toBe('error');
    expect(left.error).toMatchObject({ kind: 'interrupted' });
  });
});
