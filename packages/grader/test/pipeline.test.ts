import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWorkspace } from '../src/cli/workspace.ts';
import { discoverExercises } from '../src/discover.ts';
import { gradeExercise } from '../src/grading/pipeline.ts';
import { openGradingSession, type GradeOptions, type GradingSession } from '../src/grading/session.ts';
import { ExerciseResult } from '../src/results.ts';
import { FIXTURES, tempProject } from './support/temp-exercises.ts';

/*
 * The grading pipeline in-process, with a stand-in for runChecks in the child (the CLI's
 * end-to-end tests use the real one): stages stop at the first failure, the pass cache
 * hits and misses as it should.
 */

const FAKE_CHILD = fileURLToPath(new URL('./support/fake-child.ts', import.meta.url));
const plain: GradeOptions = { solutions: false, force: false, ci: false };
const sessions: GradingSession[] = [];

function session(root: string, options: Partial<GradeOptions> = {}): GradingSession {
  const s = openGradingSession(resolveWorkspace({ cwd: root, exercises: join(root, 'exercises'), store: join(root, '.threadlings') }), { ...plain, ...options }, FAKE_CHILD);
  sessions.push(s);
  return s;
}

afterEach(() => {
  for (const s of sessions.splice(0)) s.children.close();
});

describe('the grading pipeline', () => {
  it('stops at a type error, before any check runs, and points at the line', async () => {
    const root = tempProject({ 'exercises/01-broken': 'cli/typecheck/exercises/01-broken' });
    const s = session(root);
    const [ex] = discoverExercises(s.workspace.exercisesDir, root);
    const { result } = await gradeExercise(ex!, s);
    ExerciseResult.parse(result);
    expect(result.status).toBe('error');
    expect(result.checks.map((c) => c.name)).toEqual(['typecheck']);
    expect(result.checks[0]!.location).toEqual({ file: 'src/bank.ts', line: 5 });
    expect(result.message).toMatch(/does not compile.*src\/bank\.ts:5:\d+ Type 'string'/);
    expect(result.files).toEqual(['exercises/01-broken/src/bank.ts']);
  });

  it('re-grades nothing that passed and has not changed since, and says so', async () => {
    const root = tempProject({ 'exercises/01-abort': 'hostile/exercises/01-abort' });
    cpSync(join(FIXTURES, 'hostile/solutions/01-abort/src/work.ts'), join(root, 'exercises/01-abort/src/work.ts'));
    const [ex] = discoverExercises(join(root, 'exercises'), root);
    const first = await gradeExercise(ex!, session(root));
    expect(first.result).toMatchObject({ status: 'pass', cached: false });

    const second = await gradeExercise(ex!, session(root));
    expect(second.result).toMatchObject({ status: 'pass', cached: true, message: 'Unchanged since it passed (--force to re-run).' });

    const forced = await gradeExercise(ex!, session(root, { force: true }));
    expect(forced.result.cached).toBe(false);

    writeFileSync(join(root, 'exercises/01-abort/src/work.ts'), 'export function work(): number { return 41; }\n');
    const edited = await gradeExercise(ex!, session(root));
    expect(edited.result).toMatchObject({ status: 'fail', cached: false });
  });

  it('neither reads nor writes the cache with --ci, nor for a grading with --seed', async () => {
    const root = tempProject({ 'exercises/01-abort': 'hostile/exercises/01-abort' });
    cpSync(join(FIXTURES, 'hostile/solutions/01-abort/src/work.ts'), join(root, 'exercises/01-abort/src/work.ts'));
    const [ex] = discoverExercises(join(root, 'exercises'), root);
    expect((await gradeExercise(ex!, session(root, { ci: true }))).result.cached).toBe(false);
    expect((await gradeExercise(ex!, session(root, { seed: 7 }))).result.cached).toBe(false);
    expect((await gradeExercise(ex!, session(root))).result.cached).toBe(false);
    expect((await gradeExercise(ex!, session(root, { seed: 7 }))).result.cached).toBe(false);
    expect((await gradeExercise(ex!, session(root, { ci: true }))).result.cached).toBe(false);
    expect((await gradeExercise(ex!, session(root))).result.cached).toBe(true);
  });

  it('grades the solution instead with --solutions: same checks, other source root', async () => {
    const root = tempProject({ 'exercises/05-exit': 'hostile/exercises/05-exit', 'solutions/05-exit': 'hostile/solutions/05-exit' });
    const [ex] = discoverExercises(join(root, 'exercises'), root);
    const { result } = await gradeExercise(ex!, session(root, { solutions: true }));
    expect(result).toMatchObject({ status: 'pass', files: ['solutions/05-exit/src/work.ts'] });
    const student = await gradeExercise(ex!, session(root));
    expect(student.result.checks[0]!.name).toBe('process exit');
  });
});
