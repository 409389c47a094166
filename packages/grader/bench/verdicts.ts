/**
 * The fixtures' verdicts, graded again and again: each fixture exercise of
 * test/fixtures/exercises/ is graded REPEAT times (default 20) with runChecks, in this
 * process, one after another, as the grading child would; every verdict must be the
 * expected one every time (no flake either way). The first repetition uses each check's
 * default seed, the others --seed values, so the chaos differs from one to the next.
 *
 *   pnpm --filter @threadlings/grader exec tsx bench/verdicts.ts [REPEAT] [fixture-prefix...]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { liveWorkerCount } from '@threadlings/core';
import { runChecks } from '../src/checks/run.ts';
import { Manifest } from '../src/manifest.ts';
import type { CheckResult } from '../src/results.ts';

interface Expectation {
  /** The check that decides, and the statuses it may have. */
  readonly check: string;
  readonly status: readonly CheckResult['status'][];
  readonly message?: RegExp;
}

const EXPECTED: Record<string, Expectation> = {
  '01-counter-locked': { check: 'no lost updates', status: ['pass'] },
  '02-counter-racy': { check: 'no lost updates', status: ['fail'], message: /^Lost updates in \d+ of 200 runs \(expected 10000, saw \d+ in run \d+\)$/ },
  '03-transfer-deadlock': { check: 'transfers both ways finish', status: ['fail'], message: /^Found a deadlock: "/ },
  '04-transfer-ordered': { check: 'transfers both ways finish', status: ['pass'] },
  '05-event-never-set': { check: 'the consumer gets the value', status: ['fail'], message: /^Every thread is waiting.*Event 'ready'/ },
  '06-event-set': { check: 'the consumer waits without spinning', status: ['pass'] },
  '07-spin-hang': { check: 'the consumer gets the value', status: ['fail'], message: /^The run did not finish within its time limit of 1000 ms: "consumer" is running/ },
  '08-serial-downloads': { check: 'downloads overlap', status: ['fail'], message: /^The waits did not overlap enough/ },
  '09-serial-crunch': { check: 'the CPU work runs concurrently', status: ['fail'], message: /never more than 1 thread was inside it/ },
  '10-parallel-work': { check: 'the CPU work is faster on 2 threads', status: ['pass', 'inconclusive'] },
  '11-busy-wait': { check: 'the consumer waits without spinning', status: ['fail'], message: /that is busy waiting/ },
  '12-throws-on-import': { check: 'deposits add up', status: ['fail'], message: /^src\/bank\.ts failed to load in thread/ },
  '13-exits-in-thread': { check: 'deposits add up', status: ['fail'], message: /died before it finished/ },
  '14-thread-flood': { check: 'deposits add up', status: ['fail'], message: /started too many threads/ },
  '15-few-threads': { check: 'deposits add up under stress', status: ['pass'] },
  '16-lost-notify': { check: 'the consumer gets the value', status: ['fail'], message: /Condition 'changed' for a notify\(\)/ },
  '17-transfer-backoff': { check: 'transfers both ways finish', status: ['pass'] },
  // Fails only on a machine that steadily shows parallelism; inconclusive on a busy one.
  '18-uneven-split': { check: 'the CPU work is faster on 2 threads', status: ['fail', 'inconclusive'], message: /^(Too little speed-up|This machine|The speed-up of your code cannot be judged)/ },
  '19-speedup-throws': { check: 'the CPU work is faster on 2 threads', status: ['fail'], message: /not split into threads yet/ },
};

const root = fileURLToPath(new URL('../test/fixtures/exercises/', import.meta.url));
const repeat = Number(process.argv[2] ?? 20);
const only = process.argv.slice(3);
const folders = readdirSync(root).filter((f) => f in EXPECTED && (only.length === 0 || only.some((p) => f.startsWith(p)))).sort();

/** Whether the grading ended as expected: every check before the deciding one passed, the deciding one as expected. */
function judge(folder: string, results: readonly CheckResult[]): string | undefined {
  const want = EXPECTED[folder]!;
  const at = results.findIndex((r) => r.name === want.check);
  if (at < 0) return `no check "${want.check}"`;
  const before = results.slice(0, at).find((r) => r.status !== 'pass');
  if (before !== undefined) return `"${before.name}" ${before.status}: ${before.message}`;
  const got = results[at]!;
  if (!want.status.includes(got.status)) return `${got.status}: ${got.message}`;
  if (want.message !== undefined && !want.message.test(got.message)) return `message: ${got.message}`;
  return undefined;
}

const rows: string[] = [];
let flakes = 0;
for (const folder of folders) {
  const dir = `${root}${folder}/`;
  const manifest = Manifest.parse(JSON.parse(readFileSync(`${dir}threadlings.json`, 'utf8')));
  let ok = 0;
  const statuses = new Map<string, number>();
  const times: number[] = [];
  for (let rep = 0; rep < repeat; rep++) {
    const t0 = performance.now();
    const results = await runChecks({ exerciseId: manifest.id, exerciseDir: dir, sourceRoot: dir, manifest, ...(rep === 0 ? {} : { seed: rep * 7919 }) });
    times.push(performance.now() - t0);
    const deciding = results.find((r) => r.name === EXPECTED[folder]!.check);
    const key = deciding?.status ?? 'missing';
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const wrong = judge(folder, results);
    if (wrong === undefined) ok++;
    else {
      flakes++;
      console.log(`  ${folder} repetition ${rep + 1}: UNEXPECTED ${wrong}`);
    }
    if (liveWorkerCount() !== 0) console.log(`  ${folder} repetition ${rep + 1}: ${liveWorkerCount()} workers left alive`);
  }
  times.sort((a, b) => a - b);
  const row = `${folder.padEnd(22)} ${`${ok}/${repeat}`.padStart(6)} as expected   [${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}]   median ${(times[times.length >> 1]! / 1000).toFixed(2)} s`;
  rows.push(row);
  console.log(row);
}
console.log(`\n${flakes === 0 ? 'Every verdict held' : `${flakes} unexpected verdicts`} over ${repeat} gradings of ${folders.length} fixtures.`);
process.exitCode = flakes === 0 ? 0 : 1;
