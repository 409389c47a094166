import { spawnSync } from 'node:child_process';
import pc from 'picocolors';
import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse } from '../discover.ts';
import { readExercise } from '../kit/check.ts';
import { scaffoldExercise } from '../kit/scaffold.ts';

export interface NewExerciseFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly title?: string;
  readonly install?: boolean;
}

/**
 * `threadlings new-exercise <slug>` (`pnpm new-exercise`): scaffolds the next exercise and
 * its solution folder, links it into the workspace (`pnpm install --prefer-offline`), and prints
 * what the kit check says is still to write.
 */
export function newExercise(slug: string, flags: NewExerciseFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercises = discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises;
  const made = scaffoldExercise(workspace, exercises, { slug, title: flags.title });
  const c = pc.createColors(io.stdout.color);
  io.stdout.write(`${c.green('Created')} exercise ${made.id} (${made.folder}):\n${made.files.map((f) => `  ${f}`).join('\n')}\n\n`);
  if (flags.install !== false) {
    // A new workspace package: link @threadlings/core and the grader into its node_modules.
    // What it needs is in pnpm's store already: only what is missing is fetched.
    io.stdout.write(`Linking it into the workspace: pnpm install --prefer-offline\n`);
    const run = spawnSync('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: workspace.root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', shell: process.platform === 'win32' });
    if (run.status !== 0) {
      io.stdout.write(`${c.yellow('pnpm install --prefer-offline did not succeed')}${run.error === undefined ? '' : ` (${run.error.message})`}: run \`pnpm install\` yourself before grading it.\n${`${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.trim() !== '').slice(-5).join('\n')}\n`);
    }
  }
  const fresh = discoverCourse(workspace).exercises.find((e) => e.id === made.id)!;
  const todo = readExercise(workspace, fresh);
  io.stdout.write(`\nStill to write (the kit check says):\n${todo.map((p) => `  - ${p}`).join('\n')}\n  - the solution in ${fresh.manifest.files.map((f) => `packages/solutions/${made.folder}/${f}`).join(', ')} (it starts as the starter, and fails)\n  - at least three wrong answers in packages/solutions/${made.folder}/wrong/<name>/\n\n`);
  io.stdout.write(`Then: pnpm grade ${made.id} (the starter fails), pnpm grade ${made.id} --solutions, pnpm kit:check ${made.id}. docs/instructor-guide.md walks through it.\n`);
  return EXIT.pass;
}
