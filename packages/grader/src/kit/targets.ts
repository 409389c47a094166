import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';

/*
 * What the kit check grades for each exercise, from the solution's folder:
 *
 *   packages/solutions/NN-slug/starter.json            { "fails": "<check>", "mistake": "…" }
 *   packages/solutions/NN-slug/src/…                   the solution: it must pass
 *   packages/solutions/NN-slug/wrong/<name>/expect.json  { "fails": "<check>", "mistake": "…" }
 *   packages/solutions/NN-slug/wrong/<name>/src/…      a wrong answer: the files it changes
 */

/** What a starter or a wrong answer must fail on, and why. */
export const Expectation = z
  .object({
    /** The exact name of the check that must reject it. */
    fails: z.string().min(1),
    /** The mistake, in one sentence. */
    mistake: z.string().min(1),
  })
  .strict();
export type Expectation = z.infer<typeof Expectation>;

/** One thing the kit check grades. */
export interface KitTarget {
  readonly exercise: Exercise;
  readonly kind: 'starter' | 'solution' | 'wrong';
  /** `starter`, `solution`, or the wrong answer's folder name. */
  readonly name: string;
  /** The wrong answer's folder. */
  readonly dir?: string;
  /** Undefined for the solution, which must pass. */
  readonly expect?: Expectation;
}

/** The fewest wrong answers an exercise keeps. */
export const MIN_WRONG_ANSWERS = 3;

function readExpectation(file: string, root: string, problems: string[]): Expectation | undefined {
  const shown = relative(root, file);
  if (!existsSync(file)) {
    problems.push(`${shown} is missing: write { "fails": "<the check that must reject it>", "mistake": "<what it gets wrong>" }`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${shown} is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  const parsed = Expectation.safeParse(raw);
  if (!parsed.success) {
    problems.push(`${shown}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ')} (expected { "fails": "<check>", "mistake": "…" })`);
    return undefined;
  }
  return parsed.data;
}

/** The starter, the solution and the wrong answers of an exercise; what is missing or malformed goes to `problems`. */
export function kitTargets(workspace: Workspace, exercise: Exercise, problems: string[]): KitTarget[] {
  const solution = join(exercise.solutionsDir ?? workspace.solutionsDir, exercise.folder);
  const shown = relative(workspace.root, solution);
  if (!existsSync(solution)) {
    problems.push(`${shown}/ is missing: an exercise's solution mirrors its files there`);
    return [];
  }
  const targets: KitTarget[] = [];
  const starter = readExpectation(join(solution, 'starter.json'), workspace.root, problems);
  if (starter !== undefined) targets.push({ exercise, kind: 'starter', name: 'starter', expect: starter });
  targets.push({ exercise, kind: 'solution', name: 'solution' });
  const wrongDir = join(solution, 'wrong');
  const wrong = existsSync(wrongDir) ? readdirSync(wrongDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
  if (wrong.length < MIN_WRONG_ANSWERS) {
    problems.push(`${shown}/wrong/ holds ${wrong.length} wrong answer${wrong.length === 1 ? '' : 's'}: keep at least ${MIN_WRONG_ANSWERS}, one folder each with the files it changes and an expect.json`);
  }
  for (const name of wrong) {
    const dir = join(wrongDir, name);
    const expect = readExpectation(join(dir, 'expect.json'), workspace.root, problems);
    if (!exercise.manifest.files.some((f) => existsSync(join(dir, f)))) {
      problems.push(`${relative(workspace.root, dir)}/ holds none of the exercise's files (${exercise.manifest.files.join(', ')}) at their relative paths`);
      continue;
    }
    if (expect !== undefined) targets.push({ exercise, kind: 'wrong', name, dir, expect });
  }
  return targets;
}
