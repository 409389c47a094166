import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckResult } from '../../src/results.ts';
import { serveGradingChild } from '../../src/isolation/serve.ts';

/*
 * A grading child with a stand-in for runChecks, to test the CLI's supervision of the
 * process on its own: it imports the first graded file and calls its `work()` on the
 * child's main thread, where nothing but the process limits can stop it.
 */
serveGradingChild(async (job) => {
  // A runner with a bug: results that do not fit the schema.
  if (process.env['THREADLINGS_FAKE_CHILD_INVALID_RESULTS'] === '1') return [{ name: 'work' }] as unknown as CheckResult[];
  job.onProgress?.({ check: 'work', done: 0, total: 1 });
  const mod = (await import(pathToFileURL(join(job.sourceRoot, job.manifest.files[0]!)).href)) as { work(): number };
  const t0 = performance.now();
  const value = mod.work();
  const check: CheckResult = {
    name: 'work',
    kind: 'functional',
    status: value === 42 ? 'pass' : 'fail',
    message: value === 42 ? 'work() returns 42' : `work() returned ${value}, expected 42`,
    durationMs: performance.now() - t0,
  };
  return [check];
});
