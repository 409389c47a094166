import { relative } from 'node:path';
import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse } from '../discover.ts';
import { formatCourse } from '../reporters/terminal.ts';
import { Store } from '../store/store.ts';
import { courseEntries, nextEntry } from './course.ts';

export interface ProgressFlags {
  readonly exercises?: string;
  readonly store?: string;
}

/** `threadlings progress`: every exercise with its last verdict (✓ ✗ ? or · not graded yet) and a bar. */
export function progress(flags: ProgressFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercises = discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises;
  if (exercises.length === 0) {
    io.stdout.write(`No exercises yet: none found in ${relative(io.cwd, workspace.exercisesDir) || '.'}.\n`);
    return EXIT.pass;
  }
  const course = courseEntries(exercises, workspace, new Store(workspace.storeDir));
  io.stdout.write(`${formatCourse(course, nextEntry(course), { color: io.stdout.color })}\n`);
  io.stdout.write('Verdicts are those of your last `pnpm grade`; progress is kept in .threadlings/ at the root of the repository.\n');
  return EXIT.pass;
}
