import pc from 'picocolors';
import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverExercises, findExercise, type Exercise } from '../discover.ts';
import { hintText } from '../manifest.ts';
import { Store } from '../store/store.ts';
import { nextExercise } from './course.ts';

export interface HintFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly all?: boolean;
}

/** The text shown for hints `from`..`to` (1-based, inclusive) of an exercise. */
export function formatHints(exercise: Exercise, shown: readonly number[], color: boolean): string {
  const c = pc.createColors(color);
  const total = exercise.manifest.hints.length;
  const lines = shown.map((n) => `${c.bold(`Hint ${n} of ${total}`)} for ${exercise.id} ${exercise.slug}:\n${hintText(exercise.manifest.hints[n - 1]!).replace(/^/gm, '  ')}`);
  const last = shown[shown.length - 1] ?? 0;
  lines.push(
    c.dim(last < total ? `Run \`pnpm hint ${exercise.id}\` again for the next hint (${total - last} more).` : `That was the last hint. \`pnpm grade ${exercise.id}\` shows what the checks see.`),
  );
  return `${lines.join('\n\n')}\n`;
}

/**
 * `threadlings hint [exercise] [--all]`: shows the next hint of an exercise (the one to
 * work on by default); each call reveals one more, remembered in the store.
 */
export function hint(name: string | undefined, flags: HintFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercises = discoverExercises(workspace.exercisesDir, workspace.root);
  const store = new Store(workspace.storeDir);
  const exercise = name === undefined ? nextExercise(exercises, store) : findExercise(exercises, name);
  if (exercise === undefined) {
    io.stdout.write(exercises.length === 0 ? 'No exercises yet: nothing to give hints for.\n' : 'Every exercise passes: no hint needed. Name one to see its hints: pnpm hint 07\n');
    return EXIT.pass;
  }
  io.stdout.write(revealHint(exercise, store, flags.all === true, io.stdout.color));
  return EXIT.pass;
}

/** The next hint of an exercise (or all of them), remembering in the store how far the student got. */
export function revealHint(exercise: Exercise, store: Store, all: boolean, color: boolean): string {
  const total = exercise.manifest.hints.length;
  const seen = store.hintsShown(exercise.folder);
  const shown = all ? Array.from({ length: total }, (_, i) => i + 1) : [Math.min(seen + 1, total)];
  store.recordHintsShown(exercise.folder, Math.max(seen, ...shown));
  return formatHints(exercise, shown, color);
}
