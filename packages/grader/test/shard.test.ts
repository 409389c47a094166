import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exercise } from '../src/discover.ts';
import { mergeReports } from '../src/grading/merge.ts';
import { parseShard, splitCourse } from '../src/grading/shard.ts';
import type { Manifest } from '../src/manifest.ts';
import type { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

const exercise = (id: string, typicalMs?: number): Exercise =>
  ({ id, slug: `e${id}`, dir: `/x/${id}`, folder: `${id}-e${id}`, manifest: { id, order: Number(id), ...(typicalMs === undefined ? {} : { typicalMs }) } as unknown as Manifest }) as Exercise;

describe('splitCourse', () => {
  it('puts every exercise in exactly one part, each part in course order', () => {
    const course = ['01', '02', '03', '04', '05', '06', '07'].map((id, i) => exercise(id, 1000 * ((i % 3) + 1)));
    for (const n of [1, 2, 3, 7, 9]) {
      const parts = splitCourse(course, n);
      expect(parts).toHaveLength(n);
      expect(parts.flat().map((e) => e.id).sort()).toEqual(course.map((e) => e.id));
      for (const p of parts) expect(p.map((e) => e.id)).toEqual([...p.map((e) => e.id)].sort());
    }
  });

  it('balances by typical grading time: one heavy exercise gets a part of its own', () => {
    const course = [exercise('01', 40_000), exercise('02', 5000), exercise('03', 5000), exercise('04', 5000), exercise('05', 5000)];
    const parts = splitCourse(course, 2).map((p) => p.map((e) => e.id));
    expect(parts).toEqual([['01'], ['02', '03', '04', '05']]);
  });

  it('is stable: the same course gives the same split, whatever order it is listed in', () => {
    const course = ['01', '02', '03', '04', '05', '06'].map((id) => exercise(id));
    const ids = (parts: Exercise[][]) => parts.map((p) => p.map((e) => e.id));
    expect(ids(splitCourse(course, 3))).toEqual(ids(splitCourse([...course].reverse(), 3)).map((p) => p));
  });
});

describe('parseShard', () => {
  it('reads k/n and refuses the rest with the form expected', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(() => parseShard('0/3')).toThrow(/k must be between 1 and 3/);
    expect(() => parseShard('4/3')).toThrow(/k must be between 1 and 3/);
    expect(() => parseShard('1/0')).toThrow(/n must be between 1 and 1000/);
    expect(() => parseShard('two')).toThrow(/Expected `--shard` to be k\/n, the k-th of n parts/);
  });
});

/*
 * A course of six exercises with mixed verdicts (a pass, a failed check, a forged report, refused
 * imports), all decided without timing, graded whole and in three parts: the merged report
 * gives the same verdicts, in the same order, as the whole run.
 */
describe('grade --shard and merge-reports', () => {
  const course = ['02-forge-line', '03-environment', '04-controls', '05-instruments', '07-borrow', '08-spawn'];
  // At the fixtures' depth in the grader's folder, as the sandbox fixtures expect.
  const root = mkdtempSync(join(FIXTURES, '..', '.tmp-shard-'));
  for (const f of course) cpSync(join(FIXTURES, 'sandbox', 'exercises', f), join(root, 'exercises', f), { recursive: true });
  const cli = (...args: string[]) => runCli([...args, '--exercises', join(root, 'exercises')], { cwd: root });
  const read = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8')) as Results;
  const verdicts = (r: Results) => r.exercises.map((e) => [e.id, e.status, e.checks.map((c) => `${c.name}:${c.status}`)]);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeAll(async () => {
    // One after another: the verdicts must not depend on how busy the machine is, and four gradings at once make it busy.
    for (const args of [['--json', 'whole.json'], ...[1, 2, 3].map((k) => ['--shard', `${k}/3`, '--json', `part-${k}.json`])]) {
      const r = await cli('grade', '--ci', '--seed', '7', ...args);
      expect([0, 1]).toContain(r.code);
    }
  }, 240_000);

  it('grades each exercise in exactly one part', () => {
    const parts = [1, 2, 3].map((k) => read(`part-${k}.json`));
    expect(parts.map((p) => p.shard?.index)).toEqual([1, 2, 3]);
    expect(parts.flatMap((p) => p.exercises.map((e) => e.id)).sort()).toEqual(['02', '03', '04', '05', '07', '08']);
    for (const p of parts) expect(p.exercises.length).toBeGreaterThan(0);
  });

  it('merged, the three parts give the same verdicts as one run', async () => {
    const merge = await runCli(['merge-reports', 'part-3.json', 'part-1.json', 'part-2.json', '--json', 'merged.json', '--junit', 'merged.xml'], { cwd: root });
    expect(merge.code).toBe(1);
    expect(merge.stdout).toMatch(/Merged 3 parts: 1\/6 exercises pass \(error\)/);
    const whole = read('whole.json');
    const merged = read('merged.json');
    expect(verdicts(merged)).toEqual(verdicts(whole));
    expect(new Set(merged.exercises.map((e) => e.status))).toEqual(new Set(['pass', 'fail', 'error']));
    expect([merged.status, merged.score, merged.maxScore]).toEqual([whole.status, whole.score, whole.maxScore]);
    const xml = readFileSync(join(root, 'merged.xml'), 'utf8');
    for (const f of course) expect(xml).toContain(`threadlings.${f}`);
  });

  it('refuses a missing part, a part given twice, and parts of different versions, by name', async () => {
    const missing = await runCli(['merge-reports', 'part-1.json', 'part-3.json', '--json', 'm.json'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Part 2 of 3 is missing/);
    const twice = await runCli(['merge-reports', 'part-1.json', 'part-1.json', 'part-2.json', '--json', 'm.json'], { cwd: root });
    expect(twice.stderr).toMatch(/part-1\.json and part-1\.json are both part 1 of 3/);
    const other = { ...read('part-2.json'), grader: '9.9.9' };
    writeFileSync(join(root, 'part-2-other.json'), JSON.stringify(other));
    const versions = await runCli(['merge-reports', 'part-1.json', 'part-2-other.json', 'part-3.json', '--json', 'm.json'], { cwd: root });
    expect(versions.code).toBe(2);
    expect(versions.stderr).toMatch(/different versions of the grader: part-1\.json by 0\.\d+\.\d+, part-2-other\.json by 9\.9\.9/);
    const whole = await runCli(['merge-reports', 'whole.json', '--json', 'm.json'], { cwd: root });
    expect(whole.stderr).toMatch(/whole\.json is the report of a whole run, not of a part/);
  });

  it('exits 2 with the form expected for --shard 0/3, 4/3 and a malformed value', async () => {
    for (const bad of ['0/3', '4/3', 'half']) {
      const run = await cli('grade', '--ci', '--shard', bad);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/Expected `--shard` to be k\/n, the k-th of n parts, with 1 ≤ k ≤ n \(e\.g\. --shard 2\/3\)/);
    }
  });

  it('a direct merge of documents holds the parts in the course order', () => {
    const parts = [3, 1, 2].map((k) => ({ file: `part-${k}.json`, text: readFileSync(join(root, `part-${k}.json`), 'utf8') }));
    expect(mergeReports(parts).exercises.map((e) => e.id)).toEqual(['02', '03', '04', '05', '07', '08']);
  });
});
