/**
 * The CLI's own costs, measured on this machine (medians; the machine is shared, so
 * compare ratios rather than absolute figures):
 *
 * - child start: fork of a grading child until it has loaded the grader (`ready`);
 * - typecheck: the first check in a process (TypeScript loaded, the standard library and
 *   @types/node parsed) and a re-check after an edit (watch mode);
 * - watch feedback: from a save to the verdict of a functional failure, in `pnpm watch`;
 * - grading: `threadlings grade NN --ci` in a fresh process, start to exit.
 *
 *   pnpm --filter @threadlings/grader exec tsx bench/cli.ts [--reps N]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GradingChild } from '../src/isolation/grading-child.ts';
import { Typechecker } from '../src/typecheck.ts';
import { LiveCli } from '../test/support/live-cli.ts';
import { FIXTURES, tempProject } from '../test/support/temp-exercises.ts';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 7;
const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function row(name: string, values: number[], unit = 'ms'): void {
  console.log(`${name.padEnd(44)} median ${median(values).toFixed(0).padStart(6)} ${unit}   (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}, n=${values.length})`);
}

async function childStart(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const child = GradingChild.start();
    await child.ready;
    times.push(performance.now() - t0);
    child.dispose();
  }
  return times;
}

function typecheck(): { cold: number; warm: number[] } {
  const root = tempProject({ 'exercises/01-count': 'cli/watch/exercises/01-count' });
  const dir = join(root, 'exercises/01-count');
  const file = join(dir, 'src/count.ts');
  const t0 = performance.now();
  const checker = new Typechecker();
  checker.check(dir, ['src/count.ts']);
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < reps; i++) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\+= \d+/, `+= ${i + 2}`));
    const t1 = performance.now();
    checker.check(dir, ['src/count.ts']);
    warm.push(performance.now() - t1);
  }
  return { cold, warm };
}

async function watchFeedback(): Promise<number[]> {
  const root = tempProject({ 'exercises/01-count': 'cli/watch/exercises/01-count' });
  const file = join(root, 'exercises/01-count/src/count.ts');
  const cli = new LiveCli(['watch', '01', '--exercises', 'exercises', '--store', 'store'], root);
  await cli.waitFor(/Watching/);
  const figures: number[] = [];
  for (let i = 0; i < reps; i++) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\+= \d+/, `+= ${i + 3}`));
    const line = await cli.waitFor(/\(verdict [\d.]+ s after the save\)/);
    await cli.waitFor(/Watching/);
    figures.push(Number(/([\d.]+) s/.exec(line)![1]) * 1000);
  }
  cli.type('q');
  await cli.exited;
  return figures;
}

function grading(exercises: string, id: string): number[] {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['--import', TSX, BIN, 'grade', id, '--ci', '--exercises', exercises], { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  return times;
}

console.log(`threadlings CLI costs on node ${process.version}, ${reps} repetitions\n`);
row('grading child start (fork → grader loaded)', await childStart());
const tc = typecheck();
row('typecheck, first in a process', [tc.cold]);
row('typecheck, after an edit (watch)', tc.warm);
row('watch: save → verdict, functional failure', await watchFeedback());
row('grade 01 (one functional check), whole CLI', grading(join(FIXTURES, 'cli/watch/exercises'), '01'));
row('grade 02 counter-racy (200 stress runs), whole CLI', grading(join(FIXTURES, 'exercises'), '02'));
process.exit(0);
