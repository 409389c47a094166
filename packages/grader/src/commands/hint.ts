import pc from 'picocolors';
import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse, findExercise, type Exercise } from '../discover.ts';
import { hintText } from '../manifest.ts';
import { Store } from '../store/store.ts';
import { nextExercise } from './course.ts';

export interface HintFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly all?: boolean;
}

/** The text shown for hints `from`..`to` (1-based, inclusive) of an exercise. */
export function formatHints(exercise: Exercise, shown: readonly number[], color: boolean, failedCheck?: string, left = 0): string {
  const c = pc.createColors(color);
  const total = exercise.manifest.hints.length;
  const lines = shown.map((n) => {
    const h = exercise.manifest.hints[n - 1]!;
    const about = typeof h !== 'string' && h.check === failedCheck ? ` (about the check that failed: "${h.check}")` : '';
    return `${c.bold(`Hint ${n} of ${total}`)} for ${exercise.id} ${exercise.slug}${about}:\n${hintText(h).replace(/^/gm, '  ')}`;
  });
  lines.push(
    c.dim(left > 0 ? `Run \`pnpm hint ${exercise.id}\` again for the next hint (${left} more).` : `That was the last hint. \`pnpm grade ${exercise.id}\` shows what the checks see.`),
  );
  return `${lines.join('\n\n')}\n`;
}

/**
 * `threadlings hint [exercise] [--all]`: shows the next hint of an exercise (the one to
 * work on by default); each call reveals one more, remembered in the store.
 */
export function hint(name: string | undefined, flags: HintFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercises = discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises;
  const store = new Store(workspace.storeDir);
  const exercise = name === undefined ? nextExercise(exercises, store) : findExercise(exercises, name);
  if (exercise === undefined) {
    io.stdout.write(exercises.length === 0 ? 'No exercises yet: nothing to give hints for.\n' : 'Every exercise passes: no hint needed. Name one to see its hints: pnpm hint 07\n');
    return EXIT.pass;
  }
  io.stdout.write(revealHint(exercise, store, flags.all === true, io.stdout.color));
  return EXIT.pass;
}

/**
 * The order in which an exercise's hints are revealed (1-based): those tied to the check
 * that failed last come first, then the rest in the manifest's order.
 */
export function hintOrder(exercise: Exercise, failedCheck: string | undefined): number[] {
  const all = exercise.manifest.hints.map((_, i) => i + 1);
  const tied = all.filter((n) => {
    const h = exercise.manifest.hints[n - 1]!;
    return typeof h !== 'string' && h.check === failedCheck;
  });
  return [...tied, ...all.filter((n) => !tied.includes(n))];
}

/** The hints tied to a check, if any. */
export function hasHintFor(exercise: Exercise, check: string): boolean {
  return exercise.manifest.hints.some((h) => typeof h !== 'string' && h.check === check);
}

/**
 * The next hint of an exercise (or all of them), remembering in the store which were shown.
 * After a check failed, the hints written for that check come first.
 */
export function revealHint(exercise: Exercise, store: Store, all: boolean, color: boolean): string {
  const failed = store.failedCheck(exercise.folder);
  const order = hintOrder(exercise, failed);
  const seen = store.hintsSeen(exercise.folder);
  const next = order.find((n) => !seen.includes(n));
  const shown = all ? order : [next ?? order[order.length - 1]!];
  const nowSeen = [...seen, ...shown.filter((n) => !seen.includes(n))];
  store.recordHintsSeen(exercise.folder, nowSeen);
  return formatHints(exercise, shown, color, failed, order.length - nowSeen.length);
}
