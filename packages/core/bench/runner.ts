/**
 * The bench runner: repetitions, interleaving with CPython, medians, ratios, output.
 *
 *   read options → find python3 → sample every row, Node and CPython interleaved → medians → print
 *
 * Samples are interleaved row by row (Node then CPython, and the other way round on the
 * next repetition), so that a slow spell of this noisy machine hits both columns alike.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { parseArgs, promisify } from 'node:util';
import { terminateAllThreads } from '../src/index.ts';
import type { BenchContext, BenchResult, BenchRow, RowProvider } from './provider.ts';

const run = promisify(execFile);
const CORE_SCRIPT = new URL('./cpython_bench.py', import.meta.url).pathname;
const DEFAULT_REPS = 9;

export interface BenchOptions {
  readonly json: boolean;
  readonly quick: boolean;
  readonly reps: number;
  /** Names of the rows to run; all when undefined. */
  readonly only: readonly string[] | undefined;
  /** The python command. */
  readonly python: string;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const USAGE = `Usage: pnpm bench [options]

Compares @threadlings/core with CPython's threading on this machine (medians; ratio = node / cpython).

Options:
  --json          print {"rows": [{name, unit, node, cpython, ratio}]} instead of the table
                  (use \`pnpm -s bench --json\`: without -s pnpm prints its banner first)
  --quick         tiny sizes and one repetition: checks that everything runs, figures mean nothing
  --reps N        repetitions per row (default ${DEFAULT_REPS}; 1 with --quick)
  --only a,b      run only these rows
  --python CMD    the Python interpreter (default: $PYTHON, else python3)
  -h, --help      show this help`;

export function parseOptions(argv: readonly string[], known: readonly string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        reps: { type: 'string' },
        only: { type: 'string' },
        python: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  let reps = values.quick ? 1 : DEFAULT_REPS;
  if (values.reps !== undefined) {
    reps = Number(values.reps);
    if (!Number.isInteger(reps) || reps < 1) throw new UsageError(`Expected \`--reps\` to be an integer >= 1, got \`${values.reps}\``);
  }
  let only: string[] | undefined;
  if (values.only !== undefined) {
    only = values.only.split(',').filter((s) => s !== '');
    const unknown = only.filter((name) => !known.includes(name));
    if (unknown.length > 0 || only.length === 0) {
      throw new UsageError(`Expected \`--only\` to list rows among ${known.join(', ')}, got \`${values.only}\``);
    }
  }
  return {
    json: values.json,
    quick: values.quick,
    reps,
    only,
    python: values.python ?? process.env['PYTHON'] ?? 'python3',
  };
}

/** The Python version, or undefined when the interpreter cannot be run. */
async function pythonVersion(python: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(python, ['-c', 'import platform; print(platform.python_version())']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function cpythonSample(python: string, provider: RowProvider, ctx: BenchContext): Promise<number> {
  const c = provider.cpython!;
  const script = c.script ?? CORE_SCRIPT;
  const args = [script, '--cases', c.case, ...(ctx.quick ? ['--quick'] : [])];
  let stdout: string;
  try {
    ({ stdout } = await run(python, args, { maxBuffer: 1 << 20 }));
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`${python} ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
  const value = (JSON.parse(stdout) as { results?: Record<string, unknown> }).results?.[c.case];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${script} printed no number for case ${c.case}: ${stdout.trim().slice(0, 200)}`);
  }
  return value;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function checkSample(row: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`row ${row}: run() returned \`${String(value)}\` (${typeof value}), not a finite number >= 0`);
  }
  return value;
}

/** Samples every provider `reps` times, interleaving Node and CPython, and returns the medians. */
export async function runBench(providers: readonly RowProvider[], options: Omit<BenchOptions, 'json' | 'only'>, withPython: boolean): Promise<BenchResult> {
  const ctx: BenchContext = { quick: options.quick };
  const node = providers.map((): number[] => []);
  const py = providers.map((): number[] => []);
  for (let rep = 0; rep < options.reps; rep++) {
    for (const [i, p] of providers.entries()) {
      const sides = [async () => node[i]!.push(checkSample(p.name, await p.run(ctx)))];
      if (withPython && p.cpython != null) sides.push(async () => py[i]!.push(await cpythonSample(options.python, p, ctx)));
      if (rep % 2 === 1) sides.reverse();
      for (const side of sides) await side();
    }
  }
  const rows = providers.map((p, i): BenchRow => {
    const n = median(node[i]!);
    const c = py[i]!.length > 0 ? median(py[i]!) : null;
    return { name: p.name, unit: p.unit, node: n, cpython: c, ratio: c === null ? null : n / c };
  });
  return { rows };
}

function fmt(x: number | null): string {
  if (x === null) return '—';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** The table a person reads. Pure: rows in, text out. */
export function formatTable(result: BenchResult, providers: readonly RowProvider[], header: string, notes: readonly string[], judge = true): string {
  const head = ['row', 'unit', 'node', 'cpython', 'node/cpython', 'target'];
  const body = result.rows.map((r) => {
    const goal = providers.find((p) => p.name === r.name)?.target;
    const verdict = !judge || goal === undefined || r.ratio === null ? '' : r.ratio <= goal ? ' met' : ' MISSED';
    return [r.name, r.unit, fmt(r.node), fmt(r.cpython), r.ratio === null ? '—' : `${r.ratio.toFixed(3)}×`, goal === undefined ? '' : `≤ ${goal}×${verdict}`];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c < 2 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [header, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...notes].join('\n');
}

/**
 * `pnpm bench`: parses `argv`, runs `providers` and prints the table or JSON.
 * @returns the process exit code: 0, 2 for a usage error.
 */
export async function runBenchCli(providers: readonly RowProvider[], argv: readonly string[]): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(argv, providers.map((p) => p.name));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = options.only;
  const chosen = only === undefined ? providers : providers.filter((p) => only.includes(p.name));
  const version = await pythonVersion(options.python);
  const warnings: string[] = [];
  if (version === undefined) {
    warnings.push(`${options.python} was not found (or does not run): only the Node figures are shown, cpython and ratio are null.`);
  }
  const cpus = os.availableParallelism();
  const load = os.loadavg()[0]!;
  if (load > cpus / 2) {
    warnings.push(
      `the machine was busy before the bench started (load average ${load.toFixed(1)} on ${cpus} CPUs): ` +
        'other processes compete for the cores, and hand-offs and contention suffer most. Run it again on an idle machine.',
    );
  }
  if (options.json) for (const w of warnings) process.stderr.write(`bench: ${w}\n`);
  let result: BenchResult;
  try {
    result = await runBench(chosen, options, version !== undefined);
  } finally {
    await terminateAllThreads();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const header =
    `threadlings bench: @threadlings/core on Node ${process.version} worker threads vs CPython ${version ?? '(not found)'} threading` +
    ` — ${cpus} CPUs, medians of ${options.reps}${options.quick ? ' (quick: figures mean nothing)' : ''}`;
  const notes = [
    'ratio = node / cpython: lower is better. ns/op: one acquire()+release(), or one locked increment with 2 threads',
    "contending; µs: one round trip between two threads. Targets are the issue's; these machines are noisy.",
    ...warnings.map((w) => `Note: ${w}`),
  ];
  process.stdout.write(`${formatTable(result, chosen, header, notes, !options.quick)}\n`);
  return 0;
}

/**
 * The bench's one catch site: runs {@link runBenchCli} and sets the exit code. An error
 * that escapes is a fault of the bench (or of a row), reported as a bug, exit code 70.
 */
export async function runBenchMain(providers: readonly RowProvider[], argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await runBenchCli(providers, argv);
  } catch (e) {
    process.stderr.write(`bench: a row failed, which is a bug in the kit: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
