import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the CLI finds exercises, solutions and its store. */
export interface Workspace {
  /** The project root: the folder with `pnpm-workspace.yaml` (or `.git`). Paths in reports are relative to it. */
  readonly root: string;
  /** Holds one folder per exercise (`packages/exercises`). */
  readonly exercisesDir: string;
  /** Mirrors the exercise folders with the reference solutions: the sibling `solutions` folder. */
  readonly solutionsDir: string;
  /** The git-ignored store of progress, hints and the pass cache (`.threadlings/`). */
  readonly storeDir: string;
}

export interface WorkspaceOptions {
  readonly cwd: string;
  /** `--exercises DIR`. */
  readonly exercises?: string | undefined;
  /** `--store DIR`. */
  readonly store?: string | undefined;
}

const ROOT_MARKERS = ['pnpm-workspace.yaml', '.git'];

/** The nearest folder at or above `start` that holds a root marker, or undefined. */
export function findRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The kit's own root, found from where this file lives (packages/grader/src/cli). */
const KIT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function resolveWorkspace(options: WorkspaceOptions): Workspace {
  const exercisesDir = options.exercises === undefined ? undefined : resolve(options.cwd, options.exercises);
  const root = exercisesDir !== undefined ? (findRoot(exercisesDir) ?? dirname(exercisesDir)) : (findRoot(options.cwd) ?? KIT_ROOT);
  const exercises = exercisesDir ?? join(root, 'packages', 'exercises');
  return {
    root,
    exercisesDir: exercises,
    solutionsDir: join(dirname(exercises), 'solutions'),
    storeDir: options.store === undefined ? join(root, '.threadlings') : resolve(options.cwd, options.store),
  };
}
