import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, UsageError } from '../cli/errors.ts';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';

/*
 * What is graded. The student's files are graded where they are. A solution, or a wrong
 * answer kept beside it, holds only the files the student edits (a wrong answer only those
 * it changes); it is graded as a copy of the exercise folder with those files laid over
 * it, so the helpers in src/lib, the checks and the limits are exactly the student's.
 * The copy lives in the exercise's git-ignored `.graded/` folder, so that imports of the
 * kit's packages resolve through the exercise's own node_modules, and each grading gets
 * its own copy (two gradings of one exercise at once never share one).
 */

/** Where the graded files come from. */
export interface SourceChoice {
  /** Grade the reference solution. */
  readonly solutions: boolean;
  /** Grade this folder (a wrong answer: the files it changes), over the solution. */
  readonly answer?: string | undefined;
}

/** The folder the copies live in, inside an exercise's folder (git and the fingerprint skip it). */
export const GRADED_DIR = '.graded';

/** The folders laid over the exercise, bottom first: none for the student's own files. */
export function sourceLayers(workspace: Workspace, choice: SourceChoice, exercise: Exercise): string[] {
  if (!choice.solutions && choice.answer === undefined) return [];
  const solution = join(exercise.solutionsDir ?? workspace.solutionsDir, exercise.folder);
  const missing = exercise.manifest.files.filter((f) => !existsSync(join(solution, f)));
  if (missing.length > 0) {
    throw new ConfigError(
      `The solution of ${exercise.id} is incomplete: ${missing.map((f) => relative(workspace.root, join(solution, f))).join(', ')} ` +
        `missing (a solution mirrors the exercise's files at ${relative(workspace.root, solution)}/).`,
    );
  }
  if (choice.answer === undefined) return [solution];
  const answer = choice.answer;
  if (!existsSync(answer) || !statSync(answer).isDirectory()) {
    throw new UsageError(`--answer ${answer}: there is no such folder. Name a folder that holds some of ${exercise.id}'s files (${exercise.manifest.files.join(', ')}), e.g. packages/solutions/${exercise.folder}/wrong/<name>.`);
  }
  if (!exercise.manifest.files.some((f) => existsSync(join(answer, f)))) {
    throw new UsageError(`--answer ${relative(workspace.root, answer) || answer}: it holds none of ${exercise.id}'s files (${exercise.manifest.files.join(', ')}), at the same relative paths.`);
  }
  return [solution, answer];
}

/** A source root ready to grade; `dispose()` removes the copy, if one was made. */
export interface PreparedSource {
  readonly root: string;
  /** Where each of the manifest's files really comes from, for reports. */
  readonly files: readonly string[];
  dispose(): void;
}

let copies = 0;
const SKIPPED = new Set(['node_modules', GRADED_DIR, 'tsconfig.json']);

/** Makes the source root for `layers` (the exercise folder itself when there are none). */
export function prepareSource(exercise: Exercise, layers: readonly string[]): PreparedSource {
  if (layers.length === 0) return { root: exercise.dir, files: exercise.manifest.files.map((f) => join(exercise.dir, f)), dispose: () => {} };
  const root = join(exercise.dir, GRADED_DIR, `${process.pid}-${++copies}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  // Entry by entry: the copy is inside the folder it copies. The exercise's tsconfig.json is
  // left out: its relative `extends` would point elsewhere from the copy, whose typecheck
  // finds the exercise's own one above it.
  for (const entry of readdirSync(exercise.dir)) {
    if (!SKIPPED.has(entry)) cpSync(join(exercise.dir, entry), join(root, entry), { recursive: true });
  }
  const files = exercise.manifest.files.map((f) => {
    const from = [...layers].reverse().find((l) => existsSync(join(l, f)));
    if (from === undefined) return join(exercise.dir, f);
    cpSync(join(from, f), join(root, f));
    return join(from, f);
  });
  return { root, files, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
