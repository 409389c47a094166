import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';
import { gradeExercise } from '../grading/pipeline.ts';
import { openGradingSession } from '../grading/session.ts';
import type { ExerciseResult } from '../results.ts';
import { PLACEHOLDER, placeholders } from './scaffold.ts';
import { kitTargets, type KitTarget } from './targets.ts';

/*
 * The kit check: what every exercise must be before students get it. First what can be
 * read (the lesson's headings, `// TODO` markers, hints, the wrong answers' files), then
 * gradings: the starter and every wrong answer fail on the check each names, the solution
 * passes (inconclusive is allowed: a speed-up cannot be shown on a busy machine), `runs`
 * times each. Hints and expectations must name checks that exist.
 */

/** The lesson's headings, in order, after the title `# NN · Title`. */
export const LESSON_HEADINGS = ['What you will learn', 'The idea', 'In Python', 'Here', 'Your task', 'How it is graded', 'Going further'] as const;

/** The fewest hints an exercise gives. */
export const MIN_HINTS = 3;

/** Problems a reader can see without running anything. */
export function readExercise(workspace: Workspace, exercise: Exercise): string[] {
  const problems: string[] = [];
  const at = (f: string): string => relative(workspace.root, join(exercise.dir, f));
  const lesson = join(exercise.dir, 'README.md');
  if (!existsSync(lesson)) problems.push(`${at('README.md')} is missing: the lesson, with the headings ${LESSON_HEADINGS.map((h) => `"## ${h}"`).join(', ')}`);
  else {
    const text = readFileSync(lesson, 'utf8');
    const title = `# ${exercise.id} · `;
    if (!text.startsWith(title)) problems.push(`${at('README.md')}: the first line must be the title, "${title}${exercise.manifest.title}"`);
    const found = [...text.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]!);
    const inOrder = found.filter((h) => (LESSON_HEADINGS as readonly string[]).includes(h));
    const missing = LESSON_HEADINGS.filter((h) => !found.includes(h));
    if (missing.length > 0) problems.push(`${at('README.md')} lacks the heading${missing.length === 1 ? '' : 's'} ${missing.map((h) => `"## ${h}"`).join(', ')}`);
    else if (inOrder.join('\n') !== LESSON_HEADINGS.join('\n')) problems.push(`${at('README.md')}: the headings must come in this order: ${LESSON_HEADINGS.join(', ')}`);
  }
  const { files, hints, program } = exercise.manifest;
  // A TODO in a comment: `// TODO` in code, `# TODO` in a data file (a schedule).
  if (!files.some((f) => /(\/\/|#)\s*TODO/.test(readFileSync(join(exercise.dir, f), 'utf8')))) {
    problems.push(`${files.map(at).join(', ')}: no "// TODO" (or, in a data file, "# TODO") marker shows the student where to work`);
  }
  if (hints.length < MIN_HINTS) problems.push(`${at('threadlings.json')}: field "hints" has ${hints.length}; give at least ${MIN_HINTS}, from a nudge to nearly the answer`);
  if (program === undefined) problems.push(`${at('threadlings.json')}: no "program": \`pnpm try ${exercise.id}\` has nothing to run`);
  const solution = join(exercise.solutionsDir ?? workspace.solutionsDir, exercise.folder);
  for (const file of [...filesUnder(exercise.dir, SKIPPED_DIRS), ...filesUnder(solution)]) {
    const lines = placeholders(file);
    if (lines.length > 0) problems.push(`${relative(workspace.root, file)}: the scaffold's "${PLACEHOLDER}" ${lines.length === 1 ? `is still on line ${lines[0]}` : `is still on lines ${lines.join(', ')}`}: write what it asks for there`);
  }
  problems.push(...strayFiles(workspace, exercise));
  return problems;
}

/** Folders of an exercise that are not its text: installed packages, graded copies. */
const SKIPPED_DIRS = ['node_modules', '.graded'];

/** Every file under `dir` (none when it does not exist), skipping the folders named. */
function filesUnder(dir: string, skip: readonly string[] = []): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !relative(dir, f).split(/[\\/]/).some((part) => skip.includes(part)));
}

/**
 * Files of a solution folder that grading never reads: a solution, and a wrong answer, are
 * graded with the manifest's files only, so a changed helper beside them would be ignored.
 */
function strayFiles(workspace: Workspace, exercise: Exercise): string[] {
  const solution = join(exercise.solutionsDir ?? workspace.solutionsDir, exercise.folder);
  const own = new Set(exercise.manifest.files.map((f) => f.split(/[\\/]/).join('/')));
  const stray = filesUnder(solution).filter((file) => {
    const path = relative(solution, file).split(/[\\/]/);
    const inner = path[0] === 'wrong' ? path.slice(path.length === 2 ? 1 : 2) : path;
    const name = inner.join('/');
    return !(own.has(name) || name === 'README.md' || (path[0] === 'wrong' ? name === 'expect.json' : name === 'starter.json'));
  });
  if (stray.length === 0) return [];
  return [
    `${stray.map((f) => relative(workspace.root, f)).join(', ')}: ${stray.length === 1 ? 'a file' : 'files'} grading never reads (a solution or a wrong answer is graded with the exercise's files only: ${exercise.manifest.files.join(', ')}); remove ${stray.length === 1 ? 'it' : 'them'}, or add ${stray.length === 1 ? 'it' : 'them'} to the manifest's "files"`,
  ];
}

/** The verdict of one grading of a target: undefined when it is as expected. */
export function judgeTarget(target: KitTarget, result: ExerciseResult): string | undefined {
  const failed = result.checks.find((c) => c.status === 'fail' || c.status === 'error');
  if (target.expect === undefined) {
    if (failed === undefined) return undefined;
    return `fails "${failed.name}" (${failed.status}), but a solution must pass: ${failed.message.split('\n')[0]}`;
  }
  if (failed === undefined) return `${result.status === 'pass' ? 'passes' : `is ${result.status}`}, but must fail on "${target.expect.fails}" (${target.expect.mistake})`;
  if (failed.name === target.expect.fails) return undefined;
  return `fails on "${failed.name}" instead of "${target.expect.fails}": ${failed.message.split('\n')[0]}`;
}

export interface KitCheckOptions {
  /** Gradings of each starter, solution and wrong answer (default 1). */
  readonly runs?: number;
  /** Grade nothing: only what can be read. */
  readonly static?: boolean;
  /** Told of each grading as it ends. */
  readonly onGraded?: (target: KitTarget, run: number, problem: string | undefined, result: ExerciseResult) => void;
}

/** Every problem of the exercises, each naming the exercise and the file. */
export async function checkKit(workspace: Workspace, exercises: readonly Exercise[], options: KitCheckOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const exercise of exercises) {
    const own: string[] = readExercise(workspace, exercise);
    const targets = kitTargets(workspace, exercise, own);
    if (options.static !== true) own.push(...(await gradeTargets(workspace, targets, options)));
    problems.push(...own.map((p) => `${exercise.folder}: ${p}`));
  }
  return problems;
}

async function gradeTargets(workspace: Workspace, targets: readonly KitTarget[], options: KitCheckOptions): Promise<string[]> {
  const problems: string[] = [];
  let checkNames: string[] | undefined;
  for (const target of targets) {
    const session = openGradingSession(workspace, { solutions: target.kind === 'solution', answer: target.dir, force: true, ci: true });
    try {
      for (let run = 1; run <= (options.runs ?? 1); run++) {
        const { result } = await gradeExercise(target.exercise, session);
        const problem = judgeTarget(target, result);
        options.onGraded?.(target, run, problem, result);
        if (target.kind === 'solution' && run === 1) checkNames = result.checks.filter((c) => c.kind !== 'stage').map((c) => c.name);
        if (problem !== undefined) problems.push(`${describe(workspace, target)} ${problem}${options.runs !== undefined && options.runs > 1 ? ` (grading ${run} of ${options.runs})` : ''}`);
      }
    } finally {
      session.children.close();
    }
  }
  if (checkNames !== undefined && checkNames.length > 0) problems.push(...unknownChecks(workspace, targets, checkNames));
  return problems;
}

function describe(workspace: Workspace, target: KitTarget): string {
  if (target.kind === 'starter') return `the starter (${target.exercise.manifest.files.map((f) => relative(workspace.root, join(target.exercise.dir, f))).join(', ')})`;
  if (target.kind === 'solution') return `the solution (${relative(workspace.root, join(target.exercise.solutionsDir ?? workspace.solutionsDir, target.exercise.folder))}/)`;
  return `the wrong answer ${relative(workspace.root, target.dir!)}/`;
}

/** Hints and expectations that name a check the exercise does not have. */
function unknownChecks(workspace: Workspace, targets: readonly KitTarget[], names: readonly string[]): string[] {
  const problems: string[] = [];
  const exercise = targets[0]!.exercise;
  const known = names.map((n) => `"${n}"`).join(', ');
  exercise.manifest.hints.forEach((h, i) => {
    if (typeof h !== 'string' && !names.includes(h.check)) problems.push(`${relative(workspace.root, join(exercise.dir, 'threadlings.json'))}: field "hints[${i}].check" names "${h.check}", which is no check of this exercise (its checks: ${known})`);
  });
  for (const t of targets) {
    if (t.expect !== undefined && !names.includes(t.expect.fails)) problems.push(`${describe(workspace, t)}: its "fails" names "${t.expect.fails}", which is no check of this exercise (its checks: ${known})`);
  }
  return problems;
}
