import { fork } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { EXIT, UsageError, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse, findExercise, type Exercise } from '../discover.ts';
import { prepareSource, sourceLayers } from '../grading/source-root.ts';
import { residentMb, POLL_MS } from '../isolation/memory.ts';
import { killGroup, track, untrack } from '../isolation/reaper.ts';

export interface TryFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly solutions?: boolean;
}

const PROGRAM_CHILD = fileURLToPath(new URL('../isolation/program-child.ts', import.meta.url));
const TSX_LOADER = fileURLToPath(import.meta.resolve('tsx'));

/**
 * `threadlings run <exercise>` (`pnpm try 07`): runs the exercise's program (the
 * manifest's `program`) as a student would, outside the checks, its output going straight
 * to the terminal. The exercise's time and memory limits apply, so a deadlocked program
 * is stopped with an explanation rather than hanging forever.
 */
export async function tryProgram(name: string, flags: TryFlags, io: Io): Promise<ExitCode> {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercise = findExercise(discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises, name);
  const program = exercise.manifest.program;
  if (program === undefined) throw new UsageError(`Exercise ${exercise.id} has no program to run (its threadlings.json has no "program"). \`pnpm grade ${exercise.id}\` grades it.`);
  const source = prepareSource(exercise, sourceLayers(workspace, { solutions: flags.solutions === true }, exercise));
  try {
    const job = { exerciseId: exercise.id, exerciseDir: exercise.dir, sourceRoot: source.root, manifest: exercise.manifest, module: join(source.root, program.file), export: program.export };
    return await runTry(exercise, job, io);
  } finally {
    source.dispose();
  }
}

async function runTry(exercise: Exercise, job: { readonly module: string; readonly export: string }, io: Io): Promise<ExitCode> {
  const module = job.module;
  const c = pc.createColors(io.stderr.color);
  const { timeMs, memoryMb } = exercise.manifest.limits;
  io.stderr.write(c.dim(`Running ${relative(io.cwd, module)} (${job.export}()) — stopped after ${timeMs / 1000} s or ${memoryMb} MB\n\n`));

  // The CLI's code cache stays the CLI's: the program is the student's code (bin.ts).
  const { NODE_COMPILE_CACHE: _cache, ...env } = process.env;
  const child = fork(PROGRAM_CHILD, [JSON.stringify(job)], { execArgv: ['--import', TSX_LOADER], stdio: 'inherit', detached: true, env });
  track(child);
  let stopped: string | undefined;
  const stop = (why: string): void => {
    stopped ??= why;
    killGroup(child);
  };
  // The program child reports a hang itself at timeMs, counted from when its threads loaded: this is the backstop.
  const timer = setTimeout(() => stop(`it was still running after ${timeMs / 1000} s (limits.timeMs), and its start-up. Is it deadlocked, or waiting for something that never happens? \`pnpm grade ${exercise.id}\` explains what the threads wait for.`), timeMs + 15_000);
  const poll = setInterval(() => {
    void residentMb(child.pid ?? 0).then((mb) => {
      if (mb !== undefined && mb > memoryMb) stop(`it used ${Math.round(mb)} MB of memory, over its limit of ${memoryMb} MB (limits.memoryMb).`);
    });
  }, POLL_MS);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  clearInterval(poll);
  untrack(child);
  if (stopped !== undefined) {
    io.stderr.write(`\n${c.red('Stopped:')} ${stopped}\n`);
    return EXIT.fail;
  }
  if (signal !== null) {
    io.stderr.write(`\n${c.red('The program was killed by')} ${signal}.\n`);
    return EXIT.fail;
  }
  return code === 0 ? EXIT.pass : EXIT.fail;
}
