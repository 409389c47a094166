import { Command, Option } from 'commander';
import { EXIT, type ExitCode } from './errors.ts';
import { GRADER_VERSION } from '../version.ts';
import type { Io } from './io.ts';

/*
 * The `threadlings` command line. Each command's module is loaded only when it runs, so
 * `pnpm hint` does not pay for loading TypeScript's compiler. Commands return their exit
 * code; errors go up to the one catch site in bin.ts.
 */

const common = (cmd: Command): Command =>
  cmd
    .addOption(new Option('--exercises <dir>', 'folder that holds the exercises (default: packages/exercises)'))
    .addOption(new Option('--store <dir>', 'folder for progress and the pass cache (default: .threadlings at the repository root)'));

/** Parses `argv` (without node and the script) and runs the command. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = EXIT.pass;
  const program = new Command('threadlings')
    .description('Grades the threadlings exercises: concurrent programming in TypeScript on worker threads.')
    .version(GRADER_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  common(program.command('grade'))
    .description('grade the exercises in order, stopping at the first that does not pass (--all grades every one), or the one named (07, 7 or its slug)')
    .argument('[exercise]', 'the exercise to grade')
    .option('--solutions', 'grade the reference solutions instead of your files')
    .option('--all', 'grade every exercise (a plain `pnpm grade` stops at the first that does not pass)')
    .option('--answer <dir>', "grade the exercise's files found in DIR (a wrong answer kept beside a solution), over the solution's")
    .option('--json [file]', 'write the results document as JSON to FILE, or to stdout (use `pnpm -s grade --json`)')
    .option('--junit <file>', 'write a JUnit XML report to FILE')
    .addOption(new Option('--reporter <name>', 'terminal report, or GitHub Actions annotations and job summary').choices(['terminal', 'github']).default('terminal'))
    .option('--seed <n>', 'seed every random choice with N instead of one derived from your files')
    .option('--only <check>', 'run only the check with this name')
    .option('--replay <schedule>', 'replay a schedule (its text, or a file that holds it)')
    .option('--force', 're-run exercises that passed and have not changed since')
    .option('--ci', 'ignore and leave untouched your progress and the pass cache')
    .option('--base <ref>', 'grade a pull request: refuse any change against REF outside the students\' files (checks, manifests, helpers, grader, lockfile...)')
    .option('--shard <k/n>', 'grade the k-th of n parts of the course (for a matrix of CI runners; merge the reports with merge-reports)')
    .action(async (exercise: string | undefined, _opts, cmd: Command) => {
      const { grade } = await import('../commands/grade.ts');
      code = await grade(exercise, cmd.optsWithGlobals(), io);
    });

  common(program.command('hint'))
    .description('show the next hint of an exercise (the one to work on, or the one named)')
    .argument('[exercise]')
    .option('--all', 'show every hint at once')
    .action(async (exercise: string | undefined, _opts, cmd: Command) => {
      const { hint } = await import('../commands/hint.ts');
      code = hint(exercise, cmd.optsWithGlobals(), io);
    });

  common(program.command('progress'))
    .description('list the exercises with their last verdict')
    .action(async (_opts, cmd: Command) => {
      const { progress } = await import('../commands/progress.ts');
      code = progress(cmd.optsWithGlobals(), io);
    });

  common(program.command('reset'))
    .description("restore an exercise's files to the starter from git")
    .argument('<exercise>')
    .option('-y, --yes', 'do not ask first')
    .option('--from <ref>', 'the git revision with the starter (default: HEAD)')
    .action(async (exercise: string, _opts, cmd: Command) => {
      const { reset } = await import('../commands/reset.ts');
      code = await reset(exercise, cmd.optsWithGlobals(), io);
    });

  common(program.command('watch'))
    .description('re-grade the exercise you work on each time you save it')
    .argument('[exercise]')
    .option('--manual', 'do not watch files: re-grade when you press r')
    .action(async (exercise: string | undefined, _opts, cmd: Command) => {
      const { watch } = await import('../commands/watch.ts');
      code = await watch(exercise, cmd.optsWithGlobals(), io);
    });

  common(program.command('run').alias('try'))
    .description("run an exercise's program as you would, outside the checks (`pnpm try 07`)")
    .argument('<exercise>')
    .option('--solutions', 'run the reference solution instead')
    .action(async (exercise: string, _opts, cmd: Command) => {
      const { tryProgram } = await import('../commands/try.ts');
      code = await tryProgram(exercise, cmd.optsWithGlobals(), io);
    });

  common(program.command('kit-check'))
    .description('for instructors: lessons, hints and markers in place; every starter and wrong answer fails on the check it names, every solution passes')
    .argument('[exercise]')
    .option('--runs <n>', 'gradings of each starter, solution and wrong answer', '1')
    .option('--static', 'only read the exercises: grade nothing')
    .action(async (exercise: string | undefined, _opts, cmd: Command) => {
      const { kitCheck } = await import('../commands/kit-check.ts');
      code = await kitCheck(exercise, cmd.optsWithGlobals(), io);
    });

  program
    .command('merge-reports')
    .description('merge the JSON reports of the parts of a sharded grading (grade --shard k/n) into one JSON and one JUnit report')
    .argument('<reports...>', "each part's JSON report")
    .option('--json [file]', 'write the merged results as JSON to FILE, or to stdout')
    .option('--junit <file>', 'write the merged JUnit XML report to FILE')
    .option('--summary <file>', 'append the Markdown job summary to FILE (in GitHub Actions: "$GITHUB_STEP_SUMMARY")')
    .action(async (reports: string[], _opts, cmd: Command) => {
      const { mergeReportsCommand } = await import('../commands/merge-reports.ts');
      code = mergeReportsCommand(reports, cmd.optsWithGlobals(), io);
    });

  common(program.command('check-changes'))
    .description("for a course's CI: refuse a pull request that changes anything but the students' files against REF, without grading")
    .requiredOption('--base <ref>', 'the branch or commit the pull request goes into, e.g. origin/main')
    .action(async (_opts, cmd: Command) => {
      const { checkChanges } = await import('../commands/check-changes.ts');
      code = checkChanges(cmd.optsWithGlobals(), io);
    });

  common(program.command('new-exercise'))
    .description('for instructors: scaffold the next exercise (manifest, lesson, starter, checks, solution and wrong-answer folders)')
    .argument('<slug>', 'lower-case words joined by hyphens, e.g. bounded-buffer')
    .option('--title <title>', "the exercise's title (default: from the slug)")
    .option('--no-install', 'do not run `pnpm install --prefer-offline` to link the new package')
    .action(async (slug: string, _opts, cmd: Command) => {
      const { newExercise } = await import('../commands/new-exercise.ts');
      code = newExercise(slug, cmd.optsWithGlobals(), io);
    });

  await program.parseAsync(argv as string[], { from: 'user' });
  return code;
}
