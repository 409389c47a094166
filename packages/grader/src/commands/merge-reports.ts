import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { mergeReports } from '../grading/merge.ts';
import { formatJobSummary } from '../reporters/github.ts';
import { formatJUnit } from '../reporters/junit.ts';
import { exitCodeOf, writeFile } from './grade.ts';

export interface MergeFlags {
  readonly json?: string | boolean;
  readonly junit?: string;
  readonly summary?: string;
}

/**
 * `threadlings merge-reports <part.json...>`: one JSON and one JUnit report from the parts
 * of a sharded grading. Exits as `pnpm grade` of the whole course would have.
 */
export function mergeReportsCommand(files: readonly string[], flags: MergeFlags, io: Io): ExitCode {
  if (flags.json === undefined && flags.junit === undefined && flags.summary === undefined) {
    throw new UsageError('merge-reports writes a report: give --json FILE (or --json for stdout), --junit FILE and/or --summary FILE, as in `threadlings merge-reports part-*.json --json results.json --junit results.xml`.');
  }
  const parts = files.map((f) => {
    const path = resolve(io.cwd, f);
    if (!existsSync(path)) throw new UsageError(`${f}: there is no such file. Pass the JSON reports the parts wrote (pnpm grade --ci --shard k/n --json FILE).`);
    return { file: f, text: readFileSync(path, 'utf8') };
  });
  const merged = mergeReports(parts);
  const json = `${JSON.stringify(merged, null, 2)}\n`;
  if (flags.json === true) io.stdout.write(json);
  else if (typeof flags.json === 'string') writeFile(resolve(io.cwd, flags.json), json);
  if (flags.junit !== undefined) writeFile(resolve(io.cwd, flags.junit), formatJUnit(merged));
  // Appended, as GitHub Actions expects of $GITHUB_STEP_SUMMARY.
  if (flags.summary !== undefined) appendFileSync(resolve(io.cwd, flags.summary), formatJobSummary(merged));
  const human = flags.json === true ? io.stderr : io.stdout;
  human.write(`Merged ${parts.length} parts: ${merged.score}/${merged.maxScore} exercises pass (${merged.status}).\n`);
  return exitCodeOf(merged.status, new Set());
}
