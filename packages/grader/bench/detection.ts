import { parseArgs } from 'node:util';
import { terminateAllThreads } from '@threadlings/core';
import { exploreScenario } from '../src/explore/index.ts';
import { DETECTION_CASES } from '../test/fixtures/detection/scenarios.ts';

/*
 * Detection power, measured: grades each known-buggy program many times with different
 * seeds and prints the share of grading runs that catch it, and checks that the
 * correct twins are never failed. Run: pnpm --filter @threadlings/grader bench:detection
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    'twin-runs': { type: 'string', default: '50' },
    schedules: { type: 'string', default: '500' },
    only: { type: 'string' },
    /** Schedules of depth-first search before random walks and PCT (default: the grader's own choice); 0 measures the random strategies alone. */
    exhaustive: { type: 'string' },
  },
});
const exhaustiveBudget = values.exhaustive === undefined ? undefined : Number(values.exhaustive);
const runs = Number(values.runs);
const twinRuns = Number(values['twin-runs']);
const schedules = Number(values.schedules);

console.log(`detection power: ${runs} grading runs per buggy program, ${twinRuns} per correct twin, up to ${schedules} schedules each${exhaustiveBudget === 0 ? ', random walks and PCT only' : ''}\n`);
console.log('program                              | preempt | caught        | distinct schedules caught | schedules to find (median / max) | ms per grading run | twin failed');
for (const c of DETECTION_CASES) {
  if (values.only !== undefined && !c.name.includes(values.only)) continue;
  let caught = 0;
  const found: number[] = [];
  const distinct = new Set<string>();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const r = await exploreScenario(c.buggy, { check: c.name, exercise: '00', seed: 1 + i * 7919, schedules, ...(exhaustiveBudget === undefined ? {} : { exhaustiveBudget }) });
    if (r.status === 'fail') {
      caught++;
      found.push(r.runs ?? 0);
      if (r.schedule !== undefined) distinct.add(r.schedule);
    }
  }
  const perRun = (performance.now() - t0) / runs;
  let twinFailed = 0;
  for (let i = 0; i < twinRuns; i++) {
    const r = await exploreScenario(c.twin, { check: c.name, exercise: '00', seed: 1 + i * 104729, schedules, ...(exhaustiveBudget === undefined ? {} : { exhaustiveBudget }) });
    if (r.status !== 'pass') twinFailed++;
  }
  found.sort((a, b) => a - b);
  const median = found.length === 0 ? '-' : String(found[Math.floor(found.length / 2)]);
  const max = found.length === 0 ? '-' : String(found[found.length - 1]);
  console.log(
    `${c.name.padEnd(36)} | ${String(c.preemptions).padStart(7)} | ${`${caught}/${runs}`.padStart(9)} ${((100 * caught) / runs).toFixed(1).padStart(5)}% | ${String(distinct.size).padStart(25)} | ${`${median} / ${max}`.padStart(32)} | ${perRun.toFixed(1).padStart(18)} | ${twinFailed}/${twinRuns}`,
  );
}
await terminateAllThreads();
