/**
 * `pnpm bench`: every package's rows, against CPython's threading where there is a
 * counterpart. This list is where rows are registered: a package exports its
 * `RowProvider`s (see packages/core/bench/provider.ts) and they are added here. The
 * entry lives at the root rather than in a package so that the core never depends on
 * the packages built on it.
 */
import { coreRows } from '../packages/core/bench/core-rows.ts';
import type { RowProvider } from '../packages/core/bench/provider.ts';
import { runBenchMain } from '../packages/core/bench/runner.ts';
import { exploreRows } from '../packages/grader/bench/explore-rows.ts';

const providers: readonly RowProvider[] = [
  ...coreRows,
  ...exploreRows,
];

await runBenchMain(providers, process.argv.slice(2));
