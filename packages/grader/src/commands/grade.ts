import { ScheduleError, parseSchedule } from '../explore/schedule.ts';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ConfigError, EXIT, RefusedError, UsageError, type ExitCode } from '../cli/errors.ts';
import type { Io, Output } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverCourse, findExercise, type Exercise } from '../discover.ts';
import { answersFromCache, gradeExercise } from '../grading/pipeline.ts';
import type { Fault } from '../isolation/verdicts.ts';
import { openGradingSession, type GradeOptions } from '../grading/session.ts';
import { checkAgainstBase } from '../grading/base-guard.ts';
import { parseShard, shardOf } from '../grading/shard.ts';
import { sourceLayers } from '../grading/source-root.ts';
import { assembleResults } from '../grading/summarize.ts';
import { formatAnnotations, formatJobSummary, resumeCommands, stopCommands } from '../reporters/github.ts';
import { formatJUnit } from '../reporters/junit.ts';
import { Spinner } from '../reporters/spinner.ts';
import { formatExercise, formatSummary, progressBar } from '../reporters/terminal.ts';
import type { ExerciseResult, ExerciseStatus, Results } from '../results.ts';
import { courseEntries, nextEntry } from './course.ts';

/** The `grade` command's options as commander parses them. */
export interface GradeFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly solutions?: boolean;
  readonly json?: string | boolean;
  readonly junit?: string;
  readonly reporter?: string;
  readonly seed?: string;
  readonly only?: string;
  readonly replay?: string;
  readonly force?: boolean;
  readonly ci?: boolean;
  readonly answer?: string;
  readonly all?: boolean;
  readonly shard?: string;
  readonly base?: string;
}

const REPORTERS = ['terminal', 'github'] as const;

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`Expected \`--seed\` to be an integer, got \`${text}\` (${typeof text}). Example: pnpm grade 07 --seed 1234`);
  }
  return n;
}

/** `--replay` takes schedule text, or the path of a file that holds it. */
function readReplay(value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  const path = resolve(cwd, value);
  return existsSync(path) ? readFileSync(path, 'utf8') : value;
}

/** A `--replay` schedule that cannot be read, or is for another exercise, is a usage error before any grading starts. */
function checkReplay(text: string, exercise: Exercise): void {
  let schedule;
  try {
    schedule = parseSchedule(text);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    throw new UsageError(`--replay: the schedule cannot be read: ${e.message}. Pass the text after "Schedule:" in a report, in single quotes, or the path of a file that holds it.`);
  }
  if (schedule.exercise !== exercise.id) {
    throw new UsageError(`--replay: this schedule belongs to exercise ${schedule.exercise}, not ${exercise.id} (it names check "${schedule.check}"): run \`pnpm grade ${schedule.exercise} --replay …\`.`);
  }
}

/** The exit code of a run: 70 if the kit failed, 2 if an exercise's checks could not run (or --only named none), 1 if something failed, 3 if only inconclusive, else 0. */
export function exitCodeOf(status: ExerciseStatus, faults: ReadonlySet<Fault>): ExitCode {
  if (faults.has('kit')) return EXIT.internal;
  if (faults.has('config')) return EXIT.usage;
  if (status === 'fail' || status === 'error') return EXIT.fail;
  if (status === 'inconclusive') return EXIT.inconclusive;
  return EXIT.pass;
}

/**
 * `threadlings grade [exercise]`: grades one exercise or all of them in order, prints the
 * report, writes the machine-readable reports asked for.
 */
export async function grade(name: string | undefined, flags: GradeFlags, io: Io): Promise<ExitCode> {
  const started = performance.now();
  try {
    return await gradeRun(name, flags, io);
  } catch (e) {
    // A CI job that asked for a report finds one that says why grading could not start.
    const asked = (flags.json !== undefined && flags.json !== false) || flags.junit !== undefined;
    const error: Results['error'] =
      e instanceof RefusedError
        ? { kind: 'refused', message: e.message, files: [...e.files] }
        : e instanceof UsageError || e instanceof ConfigError
          ? { kind: e instanceof UsageError ? 'usage' : 'config', message: e.message, ...(e instanceof ConfigError && e.file !== undefined ? { file: e.file } : {}) }
          : undefined;
    if (error !== undefined) {
      const results: Results = {
        ...assembleResults([], { seed: undefined, solutions: flags.solutions === true, durationMs: performance.now() - started }),
        status: 'error',
        error,
      };
      if (asked) writeMachineReports(results, flags, io);
      // A refused pull request still gets its annotations and job summary.
      if (e instanceof RefusedError && flags.reporter === 'github') writeGithub(results, io.stdout, io.env);
    }
    throw e;
  }
}

async function gradeRun(name: string | undefined, flags: GradeFlags, io: Io): Promise<ExitCode> {
  const reporter = flags.reporter ?? 'terminal';
  if (!(REPORTERS as readonly string[]).includes(reporter)) {
    throw new UsageError(`Expected \`--reporter\` to be one of ${REPORTERS.join(', ')}, got \`${reporter}\`.`);
  }
  if (flags.answer !== undefined && (name === undefined || flags.solutions === true)) {
    throw new UsageError(`--answer grades one exercise's files from another folder: name the exercise, and leave out --solutions, as in \`pnpm grade 07 --answer packages/solutions/07-locks/wrong/no-finally\`.`);
  }
  if (name === undefined && (flags.only !== undefined || flags.replay !== undefined)) {
    throw new UsageError(`${flags.only !== undefined ? '--only' : '--replay'} applies to one exercise: name it, as in \`pnpm grade 07 ${flags.only !== undefined ? `--only "${flags.only}"` : '--replay FILE'}\`.`);
  }
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (shard !== undefined && name !== undefined) {
    throw new UsageError(`--shard grades one part of the whole course: leave out the exercise (${name}), as in \`pnpm grade --ci --shard ${shard.index}/${shard.total}\`.`);
  }
  const options: GradeOptions = {
    solutions: flags.solutions === true,
    seed: parseSeed(flags.seed),
    only: flags.only,
    replay: readReplay(flags.replay, io.cwd),
    force: flags.force === true,
    ci: flags.ci === true,
    answer: flags.answer === undefined ? undefined : resolve(io.cwd, flags.answer),
  };
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  if (flags.base !== undefined) {
    if (options.solutions || options.answer !== undefined) throw new UsageError('--base grades a submission: the student\'s files. Leave out --solutions and --answer.');
    const { commit, changed } = checkAgainstBase(workspace, flags.base);
    (flags.json === true ? io.stderr : io.stdout).write(`Against ${flags.base} (${commit.slice(0, 12)}): only the student's files changed${changed.length === 0 ? ' (none did)' : `: ${changed.join(', ')}`}.\n`);
  }
  const { exercises } = discoverCourse(workspace, (problem) => (flags.json === true ? io.stderr : io.stdout).write(`warning: ${problem}\n`));
  const selected = name !== undefined ? [findExercise(exercises, name)] : shard !== undefined ? shardOf(exercises, shard) : exercises;
  if (options.replay !== undefined) checkReplay(options.replay, selected[0]!);
  // The human report goes to stdout, unless the JSON document does.
  const human: Output = flags.json === true ? io.stderr : io.stdout;
  const session = openGradingSession(workspace, options, undefined, selected);
  for (const ex of selected) sourceLayers(workspace, options, ex); // a missing solution or answer is a usage error before anything runs
  const github = reporter === 'github' ? { token: randomBytes(16).toString('hex') } : undefined;
  if (github !== undefined) human.write(stopCommands(github.token));
  if (session.store?.warning !== undefined) human.write(`warning: ${session.store.warning}\n`);

  // Fail closed: until grading ends, a report file says that it did not finish. A CLI that is
  // killed or stopped leaves that behind, never an earlier run's pass.
  writeMachineReports(interruptedResults(options.solutions), { ...flags, json: flags.json === true ? undefined : flags.json }, io);
  const started = performance.now();
  const graded: ExerciseResult[] = [];
  const faults = new Set<Fault>();
  if (selected.length === 0 && shard !== undefined) {
    human.write(`Part ${shard.index} of ${shard.total} of the course holds no exercise: the course has ${exercises.length}, fewer than the parts. Nothing to grade here.\n`);
  } else if (selected.length === 0) {
    human.write(`No exercises yet: none found in ${relative(io.cwd, workspace.exercisesDir) || '.'}. They come with a later release of the kit; nothing to grade.\n`);
  } else {
    // The first grading child boots while the typecheck thread loads TypeScript (not for a pass the cache answers).
    if (!answersFromCache(selected[0]!, session)) {
      session.children.prepareSpare();
      session.typechecker.warm();
    }
    const spinner = new Spinner(human);
    session.onProgress = (ex, p) => spinner.update(`${ex.id} ${ex.slug} ${progressBar(p.done, p.total, 12)} ${p.done}/${p.total} ${p.check}`);
    human.write(`Grading ${selected.length === 1 ? `exercise ${selected[0]!.id}` : `${selected.length} exercises`}${options.answer !== undefined ? ` (the files of ${relative(io.cwd, options.answer) || '.'})` : options.solutions ? ' (reference solutions)' : ''}\n\n`);
    // A student's `pnpm grade` stops at the first exercise that does not pass, as the one to work on;
    // --all, and every machine report, grade them all.
    const stopAtFirst = name === undefined && shard === undefined && flags.all !== true && !options.ci && flags.json === undefined && flags.junit === undefined && reporter === 'terminal';
    // Close the grading children however the loop ends: a live spare child would keep the CLI from exiting.
    try {
      for (const [i, ex] of selected.entries()) {
        spinner.update(`${ex.id} ${ex.slug} (${i + 1}/${selected.length})`);
        const { result, fault } = await gradeExercise(ex, session);
        spinner.clear();
        if (fault !== undefined) faults.add(fault);
        graded.push(result);
        human.write(`${formatExercise(result, { color: human.color, maxLines: selected.length === 1 || stopAtFirst ? 200 : 25 })}\n`);
        if (stopAtFirst && (result.status === 'fail' || result.status === 'error') && i < selected.length - 1) {
          human.write(`\nStopped at ${ex.id} ${ex.slug}, the first exercise that does not pass: fix it and \`pnpm grade\` again (\`pnpm grade --all\` grades every exercise).\n`);
          break;
        }
      }
    } finally {
      session.children.close();
    }
    // A run of one check (--only, --replay) says nothing of the exercise as a whole.
    const partial = options.only !== undefined || options.replay !== undefined;
    if (partial) {
      const what = options.replay !== undefined ? 'the check the schedule names ran (--replay)' : `only the check "${options.only}" ran (--only)`;
      human.write(`\n${selected[0]!.id} ${selected[0]!.slug}: ${what}; \`pnpm grade ${selected[0]!.id}\` runs them all.\n`);
    }
    const fresh = new Map(partial ? [] : graded.map((r, i) => [selected[i]!.folder, r.status] as const));
    // Grading other files than the student's (--solutions, --answer) says nothing of the student's course.
    const alternate = options.solutions || options.answer !== undefined;
    const course = courseEntries(alternate ? selected : exercises, workspace, alternate ? undefined : session.store, fresh);
    human.write(`\n${formatSummary({ course, next: nextEntry(course), solutions: alternate }, { color: human.color })}\n`);
  }
  const results: Results = {
    ...assembleResults(graded, { seed: options.seed, solutions: options.solutions, durationMs: performance.now() - started }),
    ...(shard === undefined ? {} : { shard: { ...shard, exercises: selected.map((e) => e.id), course: exercises.map((e) => e.id) } }),
  };
  if (github !== undefined) {
    human.write(resumeCommands(github.token));
    writeGithub(results, human, io.env);
  }
  writeMachineReports(results, flags, io);
  return exitCodeOf(results.status, faults);
}

/** Writes a report file, making its folder first. */
export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** The report a file holds while grading runs: an error that says grading did not finish. */
function interruptedResults(solutions: boolean): Results {
  return {
    ...assembleResults([], { seed: undefined, solutions, durationMs: 0 }),
    status: 'error',
    error: { kind: 'interrupted', message: 'grading did not finish: the grader was stopped or killed before it wrote its results' },
  };
}

function writeMachineReports(results: Results, flags: GradeFlags, io: Io): void {
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (flags.json === true) io.stdout.write(json);
  else if (typeof flags.json === 'string') writeFile(resolve(io.cwd, flags.json), json);
  if (flags.junit !== undefined) writeFile(resolve(io.cwd, flags.junit), formatJUnit(results));
}

function writeGithub(results: Results, out: Output, env: NodeJS.ProcessEnv): void {
  out.write(formatAnnotations(results));
  const summaryFile = env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') appendFileSync(summaryFile, formatJobSummary(results));
}
