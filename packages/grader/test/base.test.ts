import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * `grade --ci --base <ref>` grades a pull request, simulated here with git: a course
 * repository with two exercises, a commit for the base, and on top of it the changes a
 * pull request would make. Only the exercises' own files may change; anything else is
 * refused with the files named, before anything is graded.
 */

// At the fixtures' depth in the grader's folder: their checks import the grader by a relative path.
const repo = mkdtempSync(join(FIXTURES, '..', '.tmp-base-'));
const EXERCISES = join(repo, 'exercises');
const RACY = join(EXERCISES, '02-counter-racy');
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'student', GIT_AUTHOR_EMAIL: 's@example.org', GIT_COMMITTER_NAME: 'student', GIT_COMMITTER_EMAIL: 's@example.org' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const grade = (...args: string[]) => runCli(['grade', '--ci', '--base', 'main', ...args, '--exercises', EXERCISES], { cwd: repo });

/** Back to the base, as a fresh clone of the pull request's branch would start. */
function reset(): void {
  git('checkout', '-q', '-f', 'submission');
  git('reset', '-q', '--hard', 'main');
  git('clean', '-q', '-fdx', '--', '.');
}

beforeAll(() => {
  for (const f of ['01-counter-locked', '02-counter-racy']) cpSync(join(FIXTURES, 'exercises', f), join(EXERCISES, f), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(repo, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  writeFileSync(join(repo, '.gitignore'), '.graded/\n.threadlings/\n*.json.out\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'the course');
  git('checkout', '-q', '-b', 'submission');
});

describe('grade --base', () => {
  it("grades a change of the student's files only, with the checks of the base", async () => {
    reset();
    cpSync(join(EXERCISES, '01-counter-locked', 'src', 'bank.ts'), join(RACY, 'src', 'bank.ts'));
    git('commit', '-q', '-am', 'fix 02');
    const run = await grade('--json', 'results.json.out');
    expect(run.stdout).toMatch(/Against main \([0-9a-f]{12}\): only the student's files changed: exercises\/02-counter-racy\/src\/bank\.ts/);
    const results = JSON.parse(readFileSync(join(repo, 'results.json.out'), 'utf8')) as Results;
    expect(results.error).toBeUndefined();
    expect(results.exercises.map((e) => [e.id, e.status])).toEqual([['01', 'pass'], ['02', 'pass']]);
  }, 120_000);

  it('refuses a pull request that edits the checks, naming the file, before grading anything', async () => {
    reset();
    writeFileSync(join(RACY, 'checks.ts'), "import { defineChecks } from '../../../../src/index.ts';\nexport default defineChecks(() => {});\n");
    git('commit', '-q', '-am', 'make the checks pass');
    const run = await grade('--json', 'results.json.out');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Refused: this change touches files a submission may not change, against main/);
    expect(run.stderr).toMatch(/^ {2}exercises\/02-counter-racy\/checks\.ts$/m);
    expect(run.stdout).not.toMatch(/Grading/);
    const results = JSON.parse(readFileSync(join(repo, 'results.json.out'), 'utf8')) as Results;
    expect(results.status).toBe('error');
    expect(results.error).toMatchObject({ kind: 'refused', files: ['exercises/02-counter-racy/checks.ts'] });
  });

  it('refuses a manifest that names more files as the student\'s, and every other file changed, committed or not', async () => {
    reset();
    const manifest = join(RACY, 'threadlings.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"files": ["src/bank.ts"]', '"files": ["src/bank.ts", "checks.ts"]'));
    git('commit', '-q', '-am', 'widen the files');
    appendFileSync(join(repo, 'pnpm-lock.yaml'), '# changed\n'); // not committed
    writeFileSync(join(RACY, 'src', 'helper.ts'), 'export const forged = true;\n'); // untracked
    const run = await grade();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/changes outside the student's files \(3\):\n {2}exercises\/02-counter-racy\/src\/helper\.ts\n {2}exercises\/02-counter-racy\/threadlings\.json\n {2}pnpm-lock\.yaml/);
  });

  it("refuses a student's file that is a link to another file", async () => {
    reset();
    unlinkSync(join(RACY, 'src', 'bank.ts'));
    symlinkSync(join('..', '..', '01-counter-locked', 'src', 'bank.ts'), join(RACY, 'src', 'bank.ts'));
    git('add', '-A');
    git('commit', '-q', '-m', 'link');
    const run = await grade();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/student's files that are symbolic links, not files:\n {2}exercises\/02-counter-racy\/src\/bank\.ts/);
  });

  it('annotates the refused files for GitHub', async () => {
    reset();
    appendFileSync(join(repo, 'package.json'), '\n');
    const run = await grade('--reporter', 'github');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=threadlings%3A submission refused::/m);
    expect(run.stdout).toMatch(/^::error file=package\.json,title=a submission may not change this file::/m);
  });

  it('check-changes refuses the same, without grading, and passes a change of the student\'s files', async () => {
    reset();
    writeFileSync(join(RACY, 'src', 'bank.ts'), `${readFileSync(join(RACY, 'src', 'bank.ts'), 'utf8')}\n// edited\n`);
    const fine = await runCli(['check-changes', '--base', 'main', '--exercises', EXERCISES], { cwd: repo });
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/only the student's files changed:\n {2}exercises\/02-counter-racy\/src\/bank\.ts/);
    writeFileSync(join(repo, '.npmrc'), 'ignore-scripts=false\n');
    const refused = await runCli(['check-changes', '--base', 'main', '--exercises', EXERCISES], { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changes outside the student's files \(1\):\n {2}\.npmrc/);
  });

  it('exits 2 for a base that is no commit here, saying how to fetch it', async () => {
    reset();
    const run = await runCli(['grade', '--ci', '--base', 'origin/nowhere', '--exercises', EXERCISES], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--base origin\/nowhere: there is no such commit in this repository.*fetch-depth: 0/);
  });
});
