import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';
import type { CourseEntry } from '../reporters/terminal.ts';
import type { ExerciseStatus } from '../results.ts';
import type { Store } from '../store/store.ts';

/**
 * Every exercise of the course with its last known status: from this run's verdicts
 * where there are some, else from the store.
 */
export function courseEntries(exercises: readonly Exercise[], workspace: Workspace, store: Store | undefined, fresh: ReadonlyMap<string, ExerciseStatus> = new Map()): CourseEntry[] {
  return exercises.map((e) => {
    const failed = store?.failedCheck(e.folder);
    return {
      id: e.id,
      slug: e.slug,
      title: e.manifest.title,
      status: fresh.get(e.folder) ?? store?.status(e.folder),
      path: relative(workspace.root, e.dir),
      lesson: existsSync(join(e.dir, 'README.md')),
      hintFor: failed !== undefined && e.manifest.hints.some((h) => typeof h !== 'string' && h.check === failed) ? failed : undefined,
    };
  });
}

/** The exercise to work on: the first, in order, that does not pass. */
export function nextEntry(course: readonly CourseEntry[]): CourseEntry | undefined {
  return course.find((e) => e.status !== 'pass');
}

/** The exercise to work on, as an Exercise. */
export function nextExercise(exercises: readonly Exercise[], store: Store | undefined): Exercise | undefined {
  return exercises.find((e) => store?.status(e.folder) !== 'pass');
}
