/**
 * The core's own bench: its rows only. `pnpm bench` runs bench/index.ts at the root of
 * the repo, which adds the other packages' rows; the core's test runs this one.
 */
import { coreRows } from './core-rows.ts';
import { runBenchMain } from './runner.ts';

await runBenchMain(coreRows, process.argv.slice(2));
