import { firstProblem } from '../grading/summarize.ts';
import type { ExerciseResult, Results } from '../results.ts';

/*
 * GitHub Actions: annotations on the student's files and a Markdown job summary.
 * Student-controlled text (messages quoting their errors, their output) must not be able
 * to issue workflow commands. Two defences, as GitHub Classroom does: the human report is
 * printed between `::stop-commands::TOKEN` and `::TOKEN::` (TOKEN random per run, never
 * shown to the graded code), and every annotation's data and properties are escaped so
 * that a newline cannot start a new command.
 */

/** Escapes an annotation's message (the part after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes an annotation property value (file, title). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** From this line on, the runner reads no workflow command until `resumeCommands(token)`. */
export function stopCommands(token: string): string {
  return `::stop-commands::${token}\n`;
}

export function resumeCommands(token: string): string {
  return `::${token}::\n`;
}

/** The student's file that a failure points at, relative to the repository root. */
function annotatedFile(ex: ExerciseResult, location: { file: string } | undefined): string | undefined {
  if (location === undefined) return ex.files[0];
  const wanted = location.file.replace(/\\/g, '/');
  return ex.files.find((f) => f === wanted || f.endsWith(`/${wanted}`)) ?? ex.files.find((f) => wanted.endsWith(`/${f}`)) ?? ex.files[0];
}

/** One `::error` (or `::warning` for inconclusive) line per exercise that did not pass. */
export function formatAnnotations(results: Results): string {
  const lines: string[] = [];
  if (results.error !== undefined) {
    const title = results.error.kind === 'refused' ? 'threadlings: submission refused' : `threadlings: grading could not start (${results.error.kind} error)`;
    lines.push(`::error title=${escapeProperty(title)}::${escapeData(results.error.message)}`);
    for (const f of results.error.files ?? []) lines.push(`::error file=${escapeProperty(f)},title=${escapeProperty('a submission may not change this file')}::${escapeData(`${f} is not one of the exercises' files: revert this change.`)}`);
  }
  for (const ex of results.exercises) {
    if (ex.status === 'pass') continue;
    const problem = firstProblem(ex.checks);
    const file = annotatedFile(ex, problem?.location);
    const props = [file === undefined ? undefined : `file=${escapeProperty(file)}`, problem?.location?.line === undefined ? undefined : `line=${problem.location.line}`, `title=${escapeProperty(`${ex.id} ${ex.slug}${problem === undefined ? '' : `: ${problem.name}`}`)}`]
      .filter((p) => p !== undefined)
      .join(',');
    const text = [ex.message, problem?.reproduce === undefined ? undefined : `Reproduce: ${problem.reproduce}`].filter((p) => p !== undefined).join('\n');
    lines.push(`::${ex.status === 'inconclusive' ? 'warning' : 'error'} ${props}::${escapeData(text)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A fenced block whose fence is longer than any run of backticks inside. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text.replace(/\n+$/, '')}\n${f}`;
}

const ICON = { pass: '✅', fail: '❌', error: '❌', inconclusive: '⚠️' } as const;

/** The Markdown job summary ($GITHUB_STEP_SUMMARY). */
export function formatJobSummary(results: Results): string {
  const out = [`## threadlings: ${results.score}/${results.maxScore} exercises pass${results.solutions ? ' (reference solutions)' : ''}`, ''];
  if (results.error !== undefined) out.push(`${results.error.kind === 'refused' ? 'The submission was refused' : 'Grading could not start'}:`, '', fence(results.error.message), '');
  if (results.exercises.length === 0) return `${out.join('\n')}No exercise was graded.\n`;
  out.push('| | exercise | verdict |', '|---|---|---|');
  for (const ex of results.exercises) out.push(`| ${ICON[ex.status]} | ${cell(`${ex.id} ${ex.slug}`)} | ${cell(ex.message)} |`);
  for (const ex of results.exercises) {
    const problem = firstProblem(ex.checks);
    if (ex.status === 'pass' || problem === undefined) continue;
    const parts = [problem.message, problem.details, problem.output === undefined ? undefined : `Your code printed:\n${problem.output}`, problem.reproduce === undefined ? undefined : `Reproduce: ${problem.reproduce}`]
      .filter((p) => p !== undefined && p !== '')
      .join('\n\n');
    out.push('', `<details><summary>${cell(`${ex.id} ${ex.slug}: ${problem.name}`)}</summary>`, '', fence(parts), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}
