import pc from 'picocolors';
import { EXIT, UsageError, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse, findExercise } from '../discover.ts';
import { checkKit } from '../kit/check.ts';

export interface KitCheckFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly runs?: string;
  readonly static?: boolean;
}

/**
 * `threadlings kit-check [exercise]` (`pnpm kit:check`): for instructors and the kit's CI.
 * Every lesson has its headings, every starter its `// TODO` markers and hints; every
 * starter and wrong answer fails on the check it names and every solution passes, in each
 * of `--runs` gradings.
 */
export async function kitCheck(name: string | undefined, flags: KitCheckFlags, io: Io): Promise<ExitCode> {
  const runs = flags.runs === undefined ? 1 : Number(flags.runs);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new UsageError(`Expected \`--runs\` to be a whole number of at least 1, got \`${flags.runs}\`. Example: pnpm kit:check --runs 20`);
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const all = discoverCourse(workspace, (problem) => io.stderr.write(`warning: ${problem}\n`)).exercises;
  const exercises = name === undefined ? all : [findExercise(all, name)];
  const c = pc.createColors(io.stdout.color);
  io.stdout.write(`Checking ${exercises.length} exercise${exercises.length === 1 ? '' : 's'}${flags.static === true ? ' (reading only)' : `, ${runs} grading${runs === 1 ? '' : 's'} of each starter, solution and wrong answer`}\n`);
  const problems = await checkKit(workspace, exercises, {
    runs,
    static: flags.static === true,
    onGraded: (t, run, problem, result) => {
      const mark = problem === undefined ? c.green('✓') : c.red('✗');
      const what = t.kind === 'wrong' ? `wrong/${t.name}` : t.kind;
      const verdict = result.checks.find((k) => k.status === 'fail' || k.status === 'error');
      io.stdout.write(`  ${mark} ${t.exercise.folder} ${what}${runs > 1 ? ` #${run}` : ''}: ${verdict === undefined ? result.status : `fails "${verdict.name}"`} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
    },
  });
  if (problems.length === 0) {
    io.stdout.write(`\n${c.green('The kit check passes.')}\n`);
    return EXIT.pass;
  }
  io.stdout.write(`\n${c.red(`${problems.length} problem${problems.length === 1 ? '' : 's'}:`)}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  return EXIT.fail;
}
