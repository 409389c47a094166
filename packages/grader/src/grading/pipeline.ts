import { join, relative } from 'node:path';
import type { Exercise } from '../discover.ts';
import type { GradingChild } from '../isolation/grading-child.ts';
import { checksFromChild, type Fault } from '../isolation/verdicts.ts';
import type { CheckResult, ExerciseResult } from '../results.ts';
import { gradingFingerprint } from '../store/fingerprint.ts';
import { formatTypeProblem, type TypeProblem } from '../typecheck.ts';
import { isPlainGrading, sourceFlag, type GradingSession } from './session.ts';
import { prepareSource, sourceLayers } from './source-root.ts';
import { exerciseMessage, exerciseStatus } from './summarize.ts';

/** One exercise graded, and whose fault it is when not the student's (see Fault). */
export interface Graded {
  readonly result: ExerciseResult;
  readonly fault: Fault;
}

/** What the stages share for one exercise. */
interface ExerciseContext {
  readonly exercise: Exercise;
  readonly session: GradingSession;
  readonly sourceRoot: string;
  /** Where each graded file really lives (the solution's or a wrong answer's, not the copy). */
  readonly files: readonly string[];
  readonly fingerprint: string;
  readonly started: number;
  /** Re-run despite the pass cache. */
  readonly force: boolean;
}

/**
 * Grades one exercise: (discover and manifest validation happened when the exercises
 * were listed) → pass cache → imports → typecheck → checks in an isolated child → result.
 * The first stage with a verdict ends it, so the student sees the failure that matters.
 *
 * The typecheck runs on the typecheck thread while the child already runs the checks (the
 * checks that measure wait for it): a submission that does not compile gets the
 * typecheck's verdict, and its checks' results are thrown away with their child.
 */
export async function gradeExercise(exercise: Exercise, session: GradingSession, force = session.options.force): Promise<Graded> {
  const started = performance.now();
  const source = prepareSource(exercise, sourceLayers(session.workspace, session.options, exercise));
  try {
    const ctx: ExerciseContext = { exercise, session, sourceRoot: source.root, files: source.files, fingerprint: gradingFingerprint(exercise.dir, source.root), started, force };
    const cached = fromPassCache(ctx);
    if (cached !== undefined) return { result: cached, fault: undefined };
    // The child boots (about 0.2 s) while the typecheck thread loads TypeScript and reads the imports.
    const child = session.children.take();
    try {
      const graded = (await importsStage(ctx)) ?? (await typesAndChecks(ctx, child));
      remember(ctx, graded);
      return graded;
    } finally {
      child.dispose();
    }
  } finally {
    source.dispose();
  }
}

/** Whether grading the exercise now would be answered from the pass cache (no grading child needed). */
export function answersFromCache(exercise: Exercise, session: GradingSession): boolean {
  const { store, options } = session;
  if (store === undefined || options.force || !isPlainGrading(options) || options.solutions) return false;
  return store.cachedPass('student', exercise.folder, gradingFingerprint(exercise.dir, exercise.dir)) !== undefined;
}

function fromPassCache(ctx: ExerciseContext): ExerciseResult | undefined {
  const { store, options } = ctx.session;
  if (store === undefined || ctx.force || !isPlainGrading(options)) return undefined;
  const hit = store.cachedPass(options.solutions ? 'solutions' : 'student', ctx.exercise.folder, ctx.fingerprint);
  if (hit === undefined) return undefined;
  return { ...hit, cached: true, durationMs: Math.round(performance.now() - ctx.started), message: 'Unchanged since it passed (--force to re-run).' };
}

/** The typecheck and the checks at once: the typecheck's errors, if any, or else the checks' verdict. */
async function typesAndChecks(ctx: ExerciseContext, child: GradingChild): Promise<Graded> {
  const t0 = performance.now();
  const typed = ctx.session.typechecker.check(ctx.sourceRoot, ctx.exercise.manifest.files);
  const checked = checksStage(ctx, child);
  // The checks of code that does not compile (or was not typechecked) say nothing: their child goes.
  const discardChecks = async (): Promise<void> => {
    child.dispose();
    await checked.catch(() => undefined);
  };
  let problems: TypeProblem[];
  try {
    problems = await typed;
  } catch (e) {
    await discardChecks();
    throw e;
  }
  if (problems.length === 0) {
    // The checks that measure may run now.
    child.typesChecked();
    return checked;
  }
  await discardChecks();
  return typecheckVerdict(ctx, problems, Math.round(performance.now() - t0));
}

function typecheckVerdict(ctx: ExerciseContext, problems: readonly TypeProblem[], durationMs: number): Graded {
  const first = problems[0]!;
  const check: CheckResult = {
    name: 'typecheck',
    kind: 'stage',
    status: 'error',
    message:
      `Your code does not compile: TypeScript found ${problems.length === 1 ? 'an error' : `${problems.length} errors`}. ` +
      `The checks run once it compiles. First: ${formatTypeProblem(first)}`,
    ...(problems.length > 1 ? { details: problems.map(formatTypeProblem).join('\n') } : {}),
    durationMs,
    location: { file: first.file, line: first.line },
  };
  return { result: resultOf(ctx, [check]), fault: undefined };
}

/** Imports the student's files may not make (import-guard.ts): refused before any of their code runs. */
async function importsStage(ctx: ExerciseContext): Promise<Graded | undefined> {
  const t0 = performance.now();
  const problems = await ctx.session.typechecker.imports(ctx.sourceRoot, ctx.exercise.manifest.files);
  if (problems.length === 0) return undefined;
  const first = problems[0]!;
  const check: CheckResult = {
    name: 'imports',
    kind: 'stage',
    status: 'error',
    message: `${first.file}:${first.line}: ${first.message}. The checks run once your files import only what an exercise may.`,
    ...(problems.length > 1 ? { details: problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n') } : {}),
    durationMs: Math.round(performance.now() - t0),
    location: { file: first.file, line: first.line },
  };
  return { result: resultOf(ctx, [check]), fault: undefined };
}

/** The checks in the child; the ones that measure wait for `child.typesChecked()`. */
async function checksStage(ctx: ExerciseContext, child: GradingChild): Promise<Graded> {
  const { exercise, session } = ctx;
  const t0 = performance.now();
  child.onProgress = (p) => session.onProgress?.(exercise, p);
  const report = await child.run(
    {
      exerciseId: exercise.id,
      exerciseDir: exercise.dir,
      sourceRoot: ctx.sourceRoot,
      manifest: exercise.manifest,
      seed: session.options.seed,
      replay: session.options.replay,
      only: session.options.only,
      sourceFlag: sourceFlag(session.workspace, session.options),
      awaitTyped: true,
    },
    exercise.manifest.limits,
  );
  const { checks, fault } = checksFromChild(exercise.id, report, Math.round(performance.now() - t0));
  return { result: resultOf(ctx, checks), fault };
}

function resultOf(ctx: ExerciseContext, checks: CheckResult[]): ExerciseResult {
  const { exercise, session } = ctx;
  return {
    id: exercise.id,
    slug: exercise.slug,
    title: exercise.manifest.title,
    status: exerciseStatus(checks),
    message: exerciseMessage(checks),
    cached: false,
    durationMs: Math.round(performance.now() - ctx.started),
    files: ctx.files.map((f) => relative(session.workspace.root, f)),
    checks,
  };
}

/** A plain grading's verdict goes to the store: progress, and the pass cache. */
function remember(ctx: ExerciseContext, graded: Graded): void {
  const { store, options } = ctx.session;
  if (store === undefined || graded.fault !== undefined || !isPlainGrading(options)) return;
  store.recordVerdict(options.solutions ? 'solutions' : 'student', ctx.exercise.folder, ctx.fingerprint, graded.result);
}
