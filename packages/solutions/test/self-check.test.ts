import { describe, expect, it } from 'vitest';
import { discoverExercises, gradeExercise, judgeTarget, kitTargets, openGradingSession, readExercise, resolveWorkspace } from '@threadlings/grader/kit';

/*
 * The kit's self-check: for every exercise, the lesson and the starter are in shape, the
 * starter fails on the check its starter.json names, the solution passes, and every wrong
 * answer fails on the check its expect.json names. One grading each (`pnpm kit:check
 * --runs 20` repeats them).
 */
const workspace = resolveWorkspace({ cwd: import.meta.dirname });
const exercises = discoverExercises(workspace.exercisesDir, workspace.root);

describe('the course', () => {
  it('has exercises, numbered in the order they are to be done, each with its solution folder', () => {
    expect(exercises.length).toBeGreaterThan(0);
    expect(exercises.map((e) => Number(e.id))).toEqual(exercises.map((e) => e.manifest.order));
    const problems: string[] = [];
    for (const e of exercises) kitTargets(workspace, e, problems);
    expect(problems.filter((p) => p.endsWith('is missing: an exercise\'s solution mirrors its files there'))).toEqual([]);
  });
});

for (const exercise of exercises) {
  describe(exercise.folder, () => {
    const problems: string[] = [];
    const targets = kitTargets(workspace, exercise, problems);

    it('has a lesson with every heading, // TODO markers, hints, a program, a starter.json and three wrong answers', () => {
      expect([...readExercise(workspace, exercise), ...problems]).toEqual([]);
    });

    for (const target of targets) {
      const title = target.kind === 'solution' ? 'the solution passes' : `${target.kind === 'starter' ? 'the starter' : `the wrong answer ${target.name}`} fails on "${target.expect!.fails}"`;
      it(title, { timeout: 180_000 }, async () => {
        const session = openGradingSession(workspace, { solutions: target.kind === 'solution', answer: target.dir, force: true, ci: true });
        try {
          const { result } = await gradeExercise(exercise, session);
          expect(judgeTarget(target, result)).toBeUndefined();
        } finally {
          session.children.close();
        }
      });
    }
  });
}
