import type { CheckResult, ExerciseResult, Results } from '../../src/results.ts';

/** Hand-made results for the reporters' tests: a pass, a cached pass, a stress failure, an inconclusive speed-up. */

export const passing: ExerciseResult = {
  id: '01',
  slug: 'threads',
  title: 'Threads vs calls',
  status: 'pass',
  message: 'All 2 checks pass.',
  cached: false,
  durationMs: 812,
  files: ['packages/exercises/01-threads/src/background.ts'],
  checks: [
    { name: 'runs on another thread', kind: 'functional', status: 'pass', message: 'ok', durationMs: 300 },
    { name: 'returns the result', kind: 'functional', status: 'pass', message: 'ok', durationMs: 200 },
  ],
};

export const cachedPass: ExerciseResult = { ...passing, id: '02', slug: 'start-join', title: 'Start and join', cached: true, files: ['packages/exercises/02-start-join/src/start.ts'] };

export const lostUpdates: CheckResult = {
  name: 'concurrent deposits',
  kind: 'stress',
  status: 'fail',
  message: 'Lost updates in 37 of 200 runs (expected 40000, saw 39817 in run 12).',
  details: 'outcome      runs  verdict\nbalance=40000  163  acceptable\nbalance<40000   37  FORBIDDEN',
  runs: 200,
  failures: 37,
  seed: 1234,
  reproduce: 'pnpm grade 07 --only "concurrent deposits" --seed 1234',
  exactReplay: false,
  durationMs: 1500,
  location: { file: 'src/bank.ts', line: 12 },
  output: 'depositing\n',
};

export const failing: ExerciseResult = {
  id: '07',
  slug: 'locks',
  title: 'Locks',
  status: 'fail',
  message: lostUpdates.message,
  cached: false,
  durationMs: 2100,
  files: ['packages/exercises/07-locks/src/bank.ts'],
  checks: [{ name: 'single deposit', kind: 'functional', status: 'pass', message: 'ok', durationMs: 100 }, lostUpdates],
};

export const inconclusive: ExerciseResult = {
  id: '05',
  slug: 'speedup',
  title: 'Concurrency saves time',
  status: 'inconclusive',
  message: 'This machine shows no parallelism right now (calibration reached 1.05×).',
  cached: false,
  durationMs: 4000,
  files: ['packages/exercises/05-speedup/src/work.ts'],
  checks: [
    {
      name: 'cpu speed-up',
      kind: 'speedup',
      status: 'inconclusive',
      message: 'This machine shows no parallelism right now (calibration reached 1.05×).',
      figures: [{ name: 'speed-up', value: 1.02, unit: '×', reference: 1.05 }],
      durationMs: 3900,
    },
  ],
};

export function resultsOf(exercises: ExerciseResult[]): Results {
  const statuses = exercises.map((e) => e.status);
  return {
    version: 1,
    status: statuses.includes('fail') ? 'fail' : statuses.includes('inconclusive') ? 'inconclusive' : 'pass',
    score: exercises.filter((e) => e.status === 'pass').length,
    maxScore: exercises.length,
    solutions: false,
    exercises,
    nodeVersion: 'v20.20.2',
    durationMs: 5000,
  };
}
