/** @threadlings/grader/kit: the kit check, for the kit's own tests and instructors' tooling. */
export { checkKit, judgeTarget, readExercise, LESSON_HEADINGS, MIN_HINTS, type KitCheckOptions } from './check.ts';
export { kitTargets, Expectation, MIN_WRONG_ANSWERS, type KitTarget } from './targets.ts';
export { resolveWorkspace, type Workspace } from '../cli/workspace.ts';
export { discoverExercises, type Exercise } from '../discover.ts';
export { gradeExercise } from '../grading/pipeline.ts';
export { openGradingSession } from '../grading/session.ts';
