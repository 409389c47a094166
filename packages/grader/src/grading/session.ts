import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../cli/errors.ts';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';
import { ChildPool } from '../isolation/child-pool.ts';
import type { Progress } from '../isolation/protocol.ts';
import { Store } from '../store/store.ts';
import { Typechecker } from '../typecheck.ts';

/** What a grading run was asked to do (the `grade` command's options). */
export interface GradeOptions {
  /** Grade the reference solutions instead of the student's files. */
  readonly solutions: boolean;
  readonly seed?: number | undefined;
  readonly only?: string | undefined;
  /** Schedule text (already read from a file if a file was named). */
  readonly replay?: string | undefined;
  /** Re-run despite the pass cache. */
  readonly force: boolean;
  /** Neither read nor write progress and the pass cache. */
  readonly ci: boolean;
}

/**
 * Everything that lives as long as the CLI process and is shared by the gradings in it:
 * the store, a warm typechecker, the pool of grading children. Watch mode keeps one
 * session for its whole life.
 */
export interface Session {
  readonly workspace: Workspace;
  readonly options: GradeOptions;
  /** Undefined with --ci: nothing is read from or written to the store. */
  readonly store: Store | undefined;
  readonly typechecker: Typechecker;
  readonly children: ChildPool;
  /** Called while an exercise's checks run (drives the progress bar). */
  onProgress?: ((exercise: Exercise, progress: Progress) => void) | undefined;
}

/** @param childEntry the grading child's module; tests may supply their own. */
export function openSession(workspace: Workspace, options: GradeOptions, childEntry?: string): Session {
  return {
    workspace,
    options,
    store: options.ci ? undefined : new Store(workspace.storeDir),
    typechecker: new Typechecker(),
    children: new ChildPool(childEntry),
  };
}

/** Whether a grading is the plain one whose verdict the pass cache and progress may keep. */
export function isPlainGrading(options: GradeOptions): boolean {
  return options.seed === undefined && options.only === undefined && options.replay === undefined;
}

/**
 * The folder whose files are graded: the exercise's own, or its solution's.
 * @throws ConfigError when --solutions is asked for and the solution folder is missing.
 */
export function sourceRootOf(workspace: Workspace, solutions: boolean, exercise: Exercise): string {
  if (!solutions) return exercise.dir;
  const dir = join(workspace.solutionsDir, exercise.folder);
  const missing = exercise.manifest.files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new ConfigError(
      `The solution of ${exercise.id} is incomplete: ${missing.map((f) => relative(workspace.root, join(dir, f))).join(', ')} ` +
        `missing (a solution mirrors the exercise's files at ${relative(workspace.root, dir)}/).`,
    );
  }
  return dir;
}
