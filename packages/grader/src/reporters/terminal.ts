import { visibleControls } from '../isolation/output-cap.ts';
import pc from 'picocolors';
import type { CheckResult, ExerciseResult, ExerciseStatus, Figure } from '../results.ts';
import { firstProblem } from '../grading/summarize.ts';

/*
 * The terminal report, in rustlings' spirit: one line per exercise (✓ or ✗), and under a
 * failing one the failure that matters — the first failing check's message, its details
 * (a deadlock report, an interleaving table), what the code printed, and the command that
 * reproduces it. Pure functions of the results: colour is a parameter.
 */

export interface TerminalOptions {
  readonly color: boolean;
  /** Most lines of details and of output shown per failure (the rest is counted). */
  readonly maxLines?: number;
}

type Colors = ReturnType<typeof pc.createColors>;

const MARK: Record<ExerciseStatus, string> = { pass: '✓', fail: '✗', error: '✗', inconclusive: '?' };

function paint(c: Colors, status: ExerciseStatus | CheckResult['status'], text: string): string {
  if (status === 'pass') return c.green(text);
  if (status === 'inconclusive') return c.yellow(text);
  if (status === 'skipped') return c.dim(text);
  return c.red(text);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : by + l))
    .join('\n');
}

/** The first `max` lines of `text` (and at most `maxChars` characters), and a line saying how much more there was. */
export function capLines(text: string, max: number, maxChars = Number.POSITIVE_INFINITY): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const kept: string[] = [];
  let chars = 0;
  for (const line of lines.slice(0, max)) {
    if (chars + line.length > maxChars) {
      kept.push(`${line.slice(0, Math.max(0, maxChars - chars))}…`);
      break;
    }
    kept.push(line);
    chars += line.length + 1;
  }
  const left = lines.length - kept.length;
  return left === 0 ? kept.join('\n') : `${kept.join('\n')}\n[… ${left} more line${left === 1 ? '' : 's'}]`;
}

function formatFigure(f: Figure): string {
  const unit = f.unit === undefined ? '' : f.unit === '×' ? '×' : ` ${f.unit}`;
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
  const ref = f.reference === undefined ? '' : ` (reference ${Number.isInteger(f.reference) ? f.reference : f.reference.toFixed(2)}${unit})`;
  return `${f.name}: ${value}${unit}${ref}`;
}

/** What the runs of a check came to, after its kind: " — failed 37 of 200 runs". */
function runsNote(check: CheckResult): string {
  if (check.runs === undefined || check.failures === undefined) return '';
  // Explore stops at its first failing schedule: "failed 1 of 2 runs" would read as a rate.
  if (check.kind === 'explore') {
    if (check.failures === 0) return '';
    return check.runs === 1 ? ' — the first schedule tried failed' : ` — failed in schedule ${check.runs}; the ${check.runs - 1} before it passed`;
  }
  // A replay runs one schedule: there is no rate to give.
  if (check.kind === 'replay') return '';
  return ` — failed ${check.failures} of ${check.runs} runs`;
}

/** The failure that matters, under its exercise's line. */
export function formatProblem(check: CheckResult, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const max = options.maxLines ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  const runs = runsNote(check);
  lines.push(`${paint(c, check.status, check.status === 'inconclusive' ? 'inconclusive' : check.status === 'error' ? 'error' : 'failed')}: ${c.bold(check.name)} ${c.dim(`(${check.kind}${runs})`)}`);
  // A message or details may quote what a submission threw or printed: no raw control characters.
  lines.push(indent(visibleControls(check.message), '  '));
  if (check.figures !== undefined && check.figures.length > 0) lines.push(indent(check.figures.map(formatFigure).join('\n'), '  '));
  if (check.details !== undefined && check.details.trim() !== '') lines.push('', indent(capLines(visibleControls(check.details), max), '  '));
  if (check.output !== undefined && check.output.trim() !== '') {
    const bar = `  ${c.dim('│')}`;
    const shown = capLines(visibleControls(check.output), Math.min(max, 20), 2000)
      .split('\n')
      .map((l) => (l === '' ? bar : `${bar} ${l}`));
    lines.push('', `  ${c.dim('Your code printed:')}`, ...shown);
  }
  // The checks may already have written the command into the details: say it once.
  const said = check.reproduce !== undefined && check.details?.includes(check.reproduce) === true;
  if (check.reproduce !== undefined && !said) lines.push('', `  Reproduce: ${c.cyan(check.reproduce)}`);
  if (check.exactReplay === false && !said) {
    lines.push(`  ${c.dim('This failure was free-running: the machine chose the interleaving, so a re-run may not fail the same way.')}`);
  }
  // One schedule, printed once: the Reproduce command already holds it.
  const schedule = check.schedule?.split('\n').join(' ');
  if (schedule !== undefined && check.reproduce?.includes(schedule) !== true && check.details?.includes(schedule) !== true) lines.push(`  ${c.dim('Schedule:')} ${schedule}`);
  return lines.join('\n');
}

/** One exercise's verdict: a line, and the failure that matters under a failing one. */
export function formatExercise(result: ExerciseResult, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const head = `${paint(c, result.status, MARK[result.status])} ${c.bold(`${result.id} ${result.slug}`)} ${c.dim(`— ${result.title}`)}`;
  if (result.cached) return `${head}  ${c.dim('unchanged since it passed (--force to re-run)')}`;
  const timing = c.dim(seconds(result.durationMs));
  if (result.status === 'pass') return `${head}  ${timing}`;
  const problem = firstProblem(result.checks);
  const lines = [`${head}  ${timing}`];
  if (problem === undefined) lines.push(indent(result.message, '    '));
  else lines.push(indent(formatProblem(problem, options), '    '));
  const others = result.checks.filter((ch) => ch !== problem && ch.status !== 'pass' && ch.status !== 'skipped').length;
  if (others > 0) lines.push(`    ${c.dim(`(${others} more check${others === 1 ? '' : 's'} did not pass: they may share this cause; fix this one first)`)}`);
  return lines.join('\n');
}

/** `[██████░░░░░░]` for `done` of `total`. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** An exercise of the course with its last known status (undefined: never graded). */
export interface CourseEntry {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly status: ExerciseStatus | undefined;
  /** The exercise folder relative to the project root. */
  readonly path: string;
  /** Whether the folder has a README.md (the lesson). */
  readonly lesson?: boolean;
  /** The check that failed, when the exercise has a hint written for it. */
  readonly hintFor?: string | undefined;
}

export interface SummaryInput {
  readonly course: readonly CourseEntry[];
  /** The exercise to work on next, if any is not passing. */
  readonly next: CourseEntry | undefined;
  readonly solutions: boolean;
}

/** The closing lines: the course's progress and the exercise to work on next. */
export function formatSummary(input: SummaryInput, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const passed = input.course.filter((e) => e.status === 'pass').length;
  const total = input.course.length;
  const label = input.solutions ? 'solutions pass' : 'exercises pass';
  const lines = [`${c.bold('Progress:')} ${progressBar(passed, total)} ${passed}/${total} ${label}`];
  if (input.solutions) return lines.join('\n');
  if (input.next === undefined) {
    lines.push(c.green('Every exercise passes. Well done!'));
  } else {
    const n = input.next;
    lines.push(`${c.bold('Next:')} ${n.id} ${n.slug} — ${n.title}`);
    const hint = n.hintFor === undefined ? `${c.cyan(`pnpm hint ${n.id}`)} for a hint` : `${c.cyan(`pnpm hint ${n.id}`)} for a hint about "${n.hintFor}"`;
    lines.push(`      ${n.lesson === false ? '' : `read ${c.cyan(`${n.path}/README.md`)}; `}${hint}; ${c.cyan(`pnpm watch`)} to re-grade as you save`);
  }
  return lines.join('\n');
}

/** The list of `pnpm progress`: every exercise with ✓, ✗, ? or · (not graded yet). */
export function formatCourse(course: readonly CourseEntry[], next: CourseEntry | undefined, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const lines = course.map((e) => {
    const mark = e.status === undefined ? c.dim('·') : paint(c, e.status, MARK[e.status]);
    const pointer = e === next ? c.cyan('  ← next') : '';
    return `${mark} ${e.id} ${e.slug.padEnd(24)} ${c.dim(e.title)}${pointer}`;
  });
  const passed = course.filter((e) => e.status === 'pass').length;
  lines.push('', `${progressBar(passed, course.length)} ${passed}/${course.length} exercises pass`);
  return lines.join('\n');
}
