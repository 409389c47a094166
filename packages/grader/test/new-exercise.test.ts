import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { tempProject } from './support/temp-exercises.ts';

/*
 * `new-exercise` scaffolds the next exercise; the kit check lists what is still to write;
 * once an instructor has written it (the lesson, the hints, a solution, three wrong
 * answers), the kit check passes. The instructor's part is played here by rewriting the
 * scaffold's placeholders.
 */
const root = tempProject({ 'exercises/01-helper': 'answer/exercises/01-helper' });
const exercises = join(root, 'exercises');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli([...args, '--exercises', exercises], { cwd: root });

/** Replaces each placeholder line of `file` with what an instructor would write. */
function write(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}
const noPlaceholders = (text: string) => text.replaceAll('TODO(instructor): ', 'Written: ').replaceAll('TODO(instructor)', 'Written');

const ATOMIC = `    counter.add(0, 1);\n`;
const RACY = /    \/\/ TODO: another thread[^\n]*\n    const seen = counter.get\(0\);\n    counter.set\(0, seen \+ 1\);\n/;

describe('new-exercise', () => {
  it('refuses a slug that is not lower-case words joined by hyphens, and one already taken', async () => {
    const bad = await cli('new-exercise', 'Bounded_Buffer', '--no-install');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected the slug to be lower-case words joined by hyphens, got `Bounded_Buffer`/);
    const taken = await cli('new-exercise', 'helper', '--no-install');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/There is an exercise "helper" already: 01-helper/);
  });

  it('numbers the exercise after the last one, and the kit check lists what is still to write', async () => {
    const made = await cli('new-exercise', 'shared-counter', '--title', 'A shared counter', '--no-install');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Created exercise 02 \(02-shared-counter\)/);
    const manifest = JSON.parse(readFileSync(join(exercises, '02-shared-counter', 'threadlings.json'), 'utf8')) as { id: string; order: number; title: string };
    expect(manifest).toMatchObject({ id: '02', order: 2, title: 'A shared counter' });
    expect(readFileSync(join(exercises, '02-shared-counter', 'README.md'), 'utf8')).toMatch(/^# 02 · A shared counter\n/);

    const check = await cli('kit-check', '02');
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/02-shared-counter: exercises\/02-shared-counter\/README\.md: the scaffold's "TODO\(instructor\)" is still on lines 5, 9/);
    expect(check.stdout).toMatch(/exercises\/02-shared-counter\/threadlings\.json: the scaffold's "TODO\(instructor\)" is still on lines/);
    expect(check.stdout).toMatch(/solutions\/02-shared-counter\/wrong\/ holds 0 wrong answers: keep at least 3/);
    // The starter is a real exercise already: it fails on the check its starter.json names.
    expect(check.stdout).toMatch(/✓ 02-shared-counter starter: fails "no increment is lost, any interleaving"/);
    // The solution starts as the starter, and fails until it is written.
    expect(check.stdout).toMatch(/✗ 02-shared-counter solution: fails "no increment is lost, any interleaving"/);
  }, 120_000);

  it('passes the kit check once the instructor has written the lesson, the solution and three wrong answers', async () => {
    const exercise = join(exercises, '02-shared-counter');
    const solution = join(root, 'solutions', '02-shared-counter');
    for (const f of ['README.md', 'threadlings.json', 'checks.ts', 'src/work.ts']) write(join(exercise, f), noPlaceholders);
    write(join(solution, 'starter.json'), noPlaceholders);
    write(join(solution, 'src', 'work.ts'), (t) => noPlaceholders(t).replace(RACY, ATOMIC));
    const wrong = (name: string, fails: string, body: string) => {
      mkdirSync(join(solution, 'wrong', name, 'src'), { recursive: true });
      writeFileSync(join(solution, 'wrong', name, 'expect.json'), JSON.stringify({ fails, mistake: `the mistake of ${name}` }));
      write(join(exercise, 'src', 'work.ts'), (t) => t); // the starter stays as it is
      writeFileSync(join(solution, 'wrong', name, 'src', 'work.ts'), noPlaceholders(readFileSync(join(exercise, 'src', 'work.ts'), 'utf8')).replace(RACY, body));
    };
    wrong('lock-per-thread', 'no increment is lost, any interleaving', `    const lock = new Lock();\n    lock.with(() => counter.set(0, counter.get(0) + 1));\n`);
    write(join(solution, 'wrong', 'lock-per-thread', 'src', 'work.ts'), (t) => t.replace("import { SharedInt32Array, Thread } from '@threadlings/core';", "import { Lock, SharedInt32Array, Thread } from '@threadlings/core';"));
    wrong('lock-around-the-write', 'no increment is lost, any interleaving', `    const seen = counter.get(0);\n    LOCK.with(() => counter.set(0, seen + 1));\n`);
    write(join(solution, 'wrong', 'lock-around-the-write', 'src', 'work.ts'), (t) =>
      t.replace("import { SharedInt32Array, Thread } from '@threadlings/core';", "import { Lock, SharedInt32Array, Thread } from '@threadlings/core';\n\nconst LOCK = new Lock();"),
    );
    wrong('skips-the-first', 'one thread alone counts every increment', `    if (i > 0) counter.add(0, 1);\n`);

    const check = await cli('kit-check', '02');
    expect(check.stdout).toMatch(/✓ 02-shared-counter solution: pass/);
    expect(check.stdout).toMatch(/✓ 02-shared-counter wrong\/skips-the-first: fails "one thread alone counts every increment"/);
    expect(check.stdout).toMatch(/The kit check passes\./);
    expect(check.code).toBe(0);
  }, 180_000);

  it('names files of a solution that grading never reads', async () => {
    writeFileSync(join(root, 'solutions', '02-shared-counter', 'src', 'helper.ts'), 'export const x = 1;\n');
    const check = await cli('kit-check', '02', '--static');
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/solutions\/02-shared-counter\/src\/helper\.ts: a file grading never reads .*remove it, or add it to the manifest's "files"/);
  });
});
