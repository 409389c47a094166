/**
 * What `pnpm bench` is made of: rows, each from a provider. A package adds rows by
 * exporting providers and listing them in the bench entry (bench/index.ts at the root
 * of the repo). The runner takes care of repetitions, interleaving with CPython,
 * medians, ratios and output.
 */

/** How a provider is asked for one sample. */
export interface BenchContext {
  /** Tiny sizes, for tests: the figures only have to be numbers. */
  readonly quick: boolean;
}

/**
 * The CPython counterpart of a row: a case of a Python script that speaks the protocol of
 * packages/core/bench/cpython_bench.py (`--cases a,b [--quick]` runs one sample of each
 * and prints `{"python": "3.11.7", "results": {"a": 1.5, "b": 2.5}}`).
 */
export interface CpythonCase {
  /** The case name the script knows. */
  readonly case: string;
  /** Absolute path of the script; the core's cpython_bench.py when omitted. */
  readonly script?: string;
}

/**
 * One row of the bench.
 *
 * @example
 * ```ts
 * const exploreRate: RowProvider = {
 *   name: 'explore-2x20',
 *   unit: 'schedules/s',
 *   cpython: null,                       // no CPython counterpart: ratio is null
 *   run: async ({ quick }) => schedulesPerSecond(quick ? 50 : 5_000),
 * };
 * ```
 */
export interface RowProvider {
  /** The row's name in the table and in `--json` (kebab-case, unique). */
  readonly name: string;
  /** Unit of both figures, e.g. `ns/op`, `µs`, `schedules/s`. */
  readonly unit: string;
  /**
   * Measures one sample on Node. Called once per repetition; the row shows the median.
   * Measure inside worker threads where the row is about threads, as students' code runs.
   */
  run(ctx: BenchContext): Promise<number>;
  /** The same workload on CPython; null or omitted when there is none (the ratio is then null). */
  readonly cpython?: CpythonCase | null;
  /**
   * For the table only: the ratio node / cpython this row aims to stay at or below.
   * Rows whose unit is a rate (higher is better) should not set it.
   */
  readonly target?: number;
}

/** One row of the result, as `pnpm -s bench --json` prints it. */
export interface BenchRow {
  readonly name: string;
  readonly unit: string;
  /** Median of the Node samples. */
  readonly node: number;
  /** Median of the CPython samples; null without a CPython case or without python3. */
  readonly cpython: number | null;
  /** node / cpython (lower is better for times); null when cpython is null. */
  readonly ratio: number | null;
}

export interface BenchResult {
  readonly rows: BenchRow[];
}
