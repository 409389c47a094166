import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatAnnotations, formatJobSummary, resumeCommands, stopCommands } from '../src/reporters/github.ts';
import { formatJUnit } from '../src/reporters/junit.ts';
import { capLines, formatCourse, formatExercise, formatSummary, progressBar } from '../src/reporters/terminal.ts';
import { Results, type ExerciseResult } from '../src/results.ts';
import { cachedPass, failing, inconclusive, lostUpdates, passing, resultsOf } from './support/results.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('terminal reporter', () => {
  it('prints a pass on one line, with ✓ and no colour when colour is off', () => {
    const text = formatExercise(passing, { color: false });
    expect(text).toBe('✓ 01 threads — Threads vs calls  0.8 s');
    expect(text).not.toMatch(ANSI);
  });

  it('colours only when asked to', () => {
    expect(formatExercise(failing, { color: true })).toMatch(ANSI);
  });

  it('says a cached pass is unchanged since it passed, and how to re-run it', () => {
    expect(formatExercise(cachedPass, { color: false })).toContain('unchanged since it passed (--force to re-run)');
  });

  it('shows the first failing check with its message, details, output and reproduce command', () => {
    const text = formatExercise(failing, { color: false });
    expect(text.split('\n')[0]).toBe('✗ 07 locks — Locks  2.1 s');
    expect(text).toContain('failed: concurrent deposits (stress — failed 37 of 200 runs)');
    expect(text).toContain('Lost updates in 37 of 200 runs');
    expect(text).toContain('balance<40000   37  FORBIDDEN');
    expect(text).toContain('│ depositing');
    expect(text).toContain('Reproduce: pnpm grade 07 --only "concurrent deposits" --seed 1234');
    expect(text).not.toContain('single deposit');
  });

  it('says a free-running failure may not reproduce exactly, and a controlled one says nothing of the kind', () => {
    expect(formatExercise(failing, { color: false })).toContain('a re-run may not fail the same way');
    const controlled: ExerciseResult = { ...failing, checks: [{ ...lostUpdates, kind: 'explore', exactReplay: true, schedule: 'v1 07 x\nT1 T2×3' }] };
    const text = formatExercise(controlled, { color: false });
    expect(text).not.toContain('may not fail the same way');
    expect(text).toContain('Schedule: v1 07 x T1 T2×3');
  });

  it("prints an explore failure's schedule once, and says which schedule failed rather than a rate", () => {
    const schedule = 'threadlings-schedule v1 07 x: T1 T2×3';
    const explored: ExerciseResult = {
      ...failing,
      checks: [{ ...lostUpdates, kind: 'explore', runs: 3, failures: 1, exactReplay: true, schedule, reproduce: `pnpm grade 07 --replay '${schedule}'` }],
    };
    const text = formatExercise(explored, { color: false });
    expect(text).toContain('(explore — failed in schedule 3; the 2 before it passed)');
    expect(text).not.toMatch(/failed 1 of 3/);
    expect(text.split(schedule).length - 1).toBe(1);
    const first = formatExercise({ ...explored, checks: [{ ...explored.checks[0]!, runs: 1 }] }, { color: false });
    expect(first).toContain('(explore — the first schedule tried failed)');
  });

  it('shows an inconclusive verdict with ? and its figures', () => {
    const text = formatExercise(inconclusive, { color: false });
    expect(text.startsWith('? 05 speedup')).toBe(true);
    expect(text).toContain('speed-up: 1.02× (reference 1.05×)');
  });

  it('caps long details and says how many lines were left out', () => {
    expect(capLines('a\nb\nc\nd', 2)).toBe('a\nb\n[… 2 more lines]');
    expect(capLines('a\nb\n', 2)).toBe('a\nb');
    const long: ExerciseResult = { ...failing, checks: [{ ...lostUpdates, details: Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') }] };
    expect(formatExercise(long, { color: false, maxLines: 5 })).toContain('[… 45 more lines]');
  });

  it('closes with the progress bar and the exercise to work on next', () => {
    const course = [
      { id: '01', slug: 'threads', title: 'Threads', status: 'pass' as const, path: 'packages/exercises/01-threads' },
      { id: '02', slug: 'start', title: 'Start', status: 'fail' as const, path: 'packages/exercises/02-start' },
      { id: '03', slug: 'names', title: 'Names', status: undefined, path: 'packages/exercises/03-names' },
    ];
    const text = formatSummary({ course, next: course[1], solutions: false }, { color: false });
    expect(text).toContain(`Progress: ${progressBar(1, 3)} 1/3 exercises pass`);
    expect(text).toContain('Next: 02 start — Start');
    expect(text).toContain('packages/exercises/02-start/README.md');
    const list = formatCourse(course, course[1], { color: false });
    expect(list.split('\n').slice(0, 3).map((l) => l[0])).toEqual(['✓', '✗', '·']);
    expect(list).toContain('← next');
  });

  it('draws the bar in proportion', () => {
    expect(progressBar(0, 4, 4)).toBe('[░░░░]');
    expect(progressBar(2, 4, 4)).toBe('[██░░]');
    expect(progressBar(0, 0, 4)).toBe('[░░░░]');
  });
});

describe('JUnit reporter', () => {
  const results = resultsOf([passing, failing, inconclusive]);

  it('writes well-formed XML with a suite per exercise and a case per check', () => {
    const xml = formatJUnit(results);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: { testsuite: Array<{ '@_name': string; testcase: unknown }> } };
    expect(doc.testsuites.testsuite.map((s) => s['@_name'])).toEqual(['01 threads', '07 locks', '05 speedup']);
    expect(xml).toMatch(/<testsuites[^>]*tests="5"[^>]*failures="1"/);
    expect(xml).toContain('<failure message="Lost updates in 37 of 200 runs');
  });

  it('reports an inconclusive check as skipped, not failed', () => {
    const xml = formatJUnit(resultsOf([inconclusive]));
    expect(xml).toMatch(/failures="0"/);
    expect(xml).toContain('<skipped/>');
    expect(xml).toContain('inconclusive: This machine shows no parallelism');
  });

  it('stays well-formed whatever the student printed: control characters, CDATA ends, markup', () => {
    const nasty = '\u001b[31mred\u0000 ]]> </testcase><x a="1"> & \uD800';
    const ex: ExerciseResult = { ...failing, checks: [{ ...lostUpdates, message: nasty, details: nasty, output: nasty }] };
    const xml = formatJUnit(resultsOf([ex]));
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u001b');
  });
});

describe('GitHub reporter', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(escapeProperty('a:b,c\n')).toBe('a%3Ab%2Cc%0A');
  });

  it('annotates the student file and line of each failure, one line each', () => {
    const text = formatAnnotations(resultsOf([passing, failing, inconclusive]));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error file=packages/exercises/07-locks/src/bank.ts,line=12,title=07 locks%3A concurrent deposits::' +
        'Lost updates in 37 of 200 runs (expected 40000, saw 39817 in run 12).%0AReproduce: pnpm grade 07 --only "concurrent deposits" --seed 1234',
    );
    expect(lines[1]).toMatch(/^::warning file=packages\/exercises\/05-speedup\/src\/work\.ts,title=05 speedup%3A cpu speed-up::/);
  });

  it('cannot be made to issue a workflow command by a message the student controls', () => {
    const injected: ExerciseResult = {
      ...failing,
      message: 'oops\n::add-mask::secret\n::set-output name=x::y\r::error::fake',
      checks: [{ ...lostUpdates, message: 'oops\n::add-mask::secret', location: { file: 'src/bank.ts\n::error::x', line: 3 } }],
    };
    const text = formatAnnotations(resultsOf([injected]));
    // One command, on one line: nothing the student wrote starts a line.
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).not.toMatch(/\n::(?!error file=)/);
    expect(text).toContain('oops%0A::add-mask::secret%0A::set-output name=x::y%0D::error::fake');
  });

  it('wraps untrusted text between stop-commands and its token', () => {
    expect(stopCommands('abc')).toBe('::stop-commands::abc\n');
    expect(resumeCommands('abc')).toBe('::abc::\n');
  });

  it('summarises in Markdown, with the student text fenced and table cells escaped', () => {
    const sneaky: ExerciseResult = { ...failing, message: 'a | b <script>', checks: [{ ...lostUpdates, details: 'has ``` fences' }] };
    const md = formatJobSummary(resultsOf([passing, sneaky]));
    expect(md).toContain('## threadlings: 1/2 exercises pass');
    expect(md).toContain('| ❌ | 07 locks | a \\| b &lt;script&gt; |');
    expect(md).toContain('````text\n');
  });
});

describe('JSON results', () => {
  it('hand-made results satisfy the schema (the reporters are tested on valid documents)', () => {
    expect(() => Results.parse(resultsOf([passing, cachedPass, failing, inconclusive]))).not.toThrow();
  });
});

describe('exit codes of a grading run', () => {
  it('maps the overall status and any fault to the documented exit codes', async () => {
    const { exitCodeOf } = await import('../src/commands/grade.ts');
    expect(exitCodeOf('pass', new Set())).toBe(0);
    expect(exitCodeOf('fail', new Set())).toBe(1);
    expect(exitCodeOf('error', new Set())).toBe(1);
    expect(exitCodeOf('inconclusive', new Set())).toBe(3);
    expect(exitCodeOf('fail', new Set(['config']))).toBe(2);
    expect(exitCodeOf('pass', new Set(['kit', 'config']))).toBe(70);
  });
});

describe('colour', () => {
  it('is on for a terminal, off elsewhere, off with NO_COLOR, on with FORCE_COLOR', async () => {
    const { wantsColor } = await import('../src/cli/io.ts');
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
