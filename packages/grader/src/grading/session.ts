import { sandboxEnabled, sandboxReadable } from '../isolation/sandbox.ts';
import { relative } from 'node:path';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';
import { ChildPool } from '../isolation/child-pool.ts';
import type { Progress } from '../isolation/protocol.ts';
import { Store } from '../store/store.ts';
import { typecheckThread, type TypecheckThread } from '../typecheck-thread.ts';

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
  /** `--answer DIR`: grade this folder's files (a wrong answer), over the solution's. */
  readonly answer?: string | undefined;
}

/**
 * Everything that lives as long as the CLI process and is shared by the gradings in it:
 * the store, a warm typechecker, the pool of grading children. Watch mode keeps one
 * session for its whole life.
 */
export interface GradingSession {
  readonly workspace: Workspace;
  readonly options: GradeOptions;
  /** Undefined with --ci: nothing is read from or written to the store. */
  readonly store: Store | undefined;
  /** The process's typecheck thread (typecheck-thread.ts), shared by every session. */
  readonly typechecker: TypecheckThread;
  readonly children: ChildPool;
  /** Called while an exercise's checks run (drives the progress bar). */
  onProgress?: ((exercise: Exercise, progress: Progress) => void) | undefined;
}

/**
 * @param childEntry the grading child's module; tests may supply their own.
 * @param exercises the exercises it will grade, for a sandboxed child to be let read (those of
 * packs live outside the workspace's exercises folder).
 */
export function openGradingSession(workspace: Workspace, options: GradeOptions, childEntry?: string, exercises: readonly Exercise[] = []): GradingSession {
  return {
    workspace,
    options,
    store: options.ci ? undefined : new Store(workspace.storeDir),
    typechecker: typecheckThread(),
    children: new ChildPool(childEntry, sandboxEnabled(process.env, options.ci) ? sandboxReadable(workspace, exercises.map((e) => e.dir)) : undefined),
  };
}

/** Whether a grading is the plain one whose verdict the pass cache and progress may keep. */
export function isPlainGrading(options: GradeOptions): boolean {
  return options.seed === undefined && options.only === undefined && options.replay === undefined && options.answer === undefined;
}

/** The `--solutions` or `--answer DIR` flag that names what a grading graded, for the commands it prints. */
export function sourceFlag(workspace: Workspace, options: GradeOptions): string {
  if (options.answer !== undefined) return ` --answer ${relative(workspace.root, options.answer) || '.'}`;
  return options.solutions ? ' --solutions' : '';
}
