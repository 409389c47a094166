import { BoundedSemaphore, Semaphore, ValueError, type SharedInt32Array } from '@threadlings/core';
import { defineChecks, defineScenario, type CheckContext, type RunOutcome, type Verdict } from '@threadlings/grader';
import { POOL_SIZE, newStats, readStats } from './src/lib/database.ts';

type Stats = { inUse: number; peak: number; served: number };

/** Query ids per client: `perClient` that succeed, after one that fails when `fail`. */
const clients = (n: number, perClient: number, fail = false): number[][] =>
  Array.from({ length: n }, (_, i) => [...(fail ? [-(i + 1)] : []), ...Array.from({ length: perClient }, (_, j) => i * 100 + j + 1)]);

const tooMany = ({ peak }: Stats): string | undefined =>
  peak > POOL_SIZE ? `${peak} connections were in use at once, more than the ${POOL_SIZE} the database accepts: the pool let too many clients in` : undefined;

const served = (stats: Stats, expected: number): string | undefined =>
  stats.served === expected ? undefined : `${stats.served} queries were served, expected ${expected}`;

const verdict = (stats: Stats, problem: string | undefined): Verdict =>
  problem === undefined ? { ok: true, label: `peak=${stats.peak}` } : { ok: false, message: problem, label: `peak=${stats.peak}, served=${stats.served}` };

export default defineChecks((t) => {
  const app = t.source('src/app.ts');

  /** The whole application: `serve` opens its pool with `openPool()` and starts one client thread per list. */
  const application = (queries: readonly (readonly number[])[], judge: (stats: Stats) => string | undefined) =>
    defineScenario({
      name: `${queries.length} clients`,
      setup: () => newStats(),
      threads: (s) => [{ module: app, export: 'serve', args: [s, queries], name: 'app' }],
      judge: (s) => {
        const stats = readStats(s);
        return verdict(stats, judge(stats));
      },
    });

  /**
   * `client` alone, one thread per list, on a BoundedSemaphore of POOL_SIZE made here: an
   * extra release raises ValueError in the client that makes it, at its line.
   */
  const onBoundedPool = (queries: readonly (readonly number[])[], judge: (stats: Stats, pool: Semaphore, outcome: RunOutcome) => string | undefined) =>
    defineScenario({
      name: `${queries.length} client${queries.length === 1 ? '' : 's'} on a BoundedSemaphore(${POOL_SIZE})`,
      setup: (): { stats: SharedInt32Array; pool: Semaphore } => ({ stats: newStats(), pool: new BoundedSemaphore(POOL_SIZE, { name: 'pool' }) }),
      threads: (s) => queries.map((ids, i) => ({ module: app, export: 'client', args: [s.stats, s.pool, ids], name: `client-${i + 1}` })),
      judge: (s, outcome) => {
        const stats = readStats(s.stats);
        return verdict(stats, judge(stats, s.pool, outcome));
      },
    });

  /** What the clients returned, against the failed queries they were given. */
  const reported = (outcome: RunOutcome, expected: number): string | undefined => {
    const sum = outcome.results.reduce((a: number, b) => a + (typeof b === 'number' ? b : 0), 0);
    return sum === expected ? undefined : `the clients reported ${sum} failed queries, expected ${expected}`;
  };
  const permitsBack = (pool: Semaphore): string | undefined =>
    pool.value === POOL_SIZE
      ? undefined
      : `with every client done, the pool holds ${pool.value} permit${pool.value === 1 ? '' : 's'}, expected all ${POOL_SIZE} back: ${pool.value < POOL_SIZE ? 'a query kept its connection' : 'a connection was given back twice'}`;

  t.check('every query is served', async (ctx: CheckContext) => {
    await ctx.run(application(clients(4, 3), (s) => served(s, 12)));
  });

  t.explore(`never more than ${POOL_SIZE} connections in use, any interleaving`, application(clients(POOL_SIZE + 1, 1), (s) => tooMany(s) ?? served(s, POOL_SIZE + 1)), {
    schedules: 100,
  });

  t.check('an extra release fails loudly with ValueError', async (ctx: CheckContext) => {
    const pool = await ctx.runProgram('src/app.ts', { export: 'openPool' });
    if (!(pool instanceof Semaphore)) {
      ctx.fail(`openPool() returned ${pool === null || typeof pool !== 'object' ? String(pool) : `a ${pool.constructor.name}`}, expected a semaphore of ${POOL_SIZE} permits`, 'src/app.ts');
    }
    const kind = pool.constructor.name;
    ctx.assert(pool.value === POOL_SIZE, `openPool() returned a ${kind} of ${pool.value} permits, but the database has ${POOL_SIZE} connections`, 'src/app.ts');
    // One connection taken and given back, then given back once more: the bug, made on purpose.
    pool.acquire();
    pool.release();
    let raised: unknown;
    try {
      pool.release();
    } catch (e) {
      raised = e;
    }
    if (raised === undefined) {
      ctx.fail(
        `openPool() returned a ${kind}: a release() with every connection already back was accepted in silence, and the pool now has ${pool.value} permits for the database's ${POOL_SIZE} connections. ` +
          `Make an extra release fail loudly: a BoundedSemaphore raises ValueError instead.`,
        'src/app.ts',
      );
    }
    ctx.assert(
      raised instanceof ValueError,
      `an extra release() on the pool raised ${raised instanceof Error ? `${raised.name}: ${raised.message}` : String(raised)}, expected ValueError "Semaphore released too many times"`,
      'src/app.ts',
    );
    ctx.equal(pool.value, POOL_SIZE, 'the permits of the pool after the refused release', 'src/app.ts');
  });

  t.check('a failed query releases its connection exactly once', async (ctx: CheckContext) => {
    await ctx.run(onBoundedPool([[-1, 1]], (s, pool, outcome) => served(s, 1) ?? reported(outcome, 1) ?? permitsBack(pool)));
  });

  t.explore(
    `never more than ${POOL_SIZE} connections in use when queries fail, any interleaving`,
    onBoundedPool(clients(POOL_SIZE + 1, 1, true), (s, pool, outcome) => tooMany(s) ?? served(s, POOL_SIZE + 1) ?? reported(outcome, POOL_SIZE + 1) ?? permitsBack(pool)),
    { schedules: 150 },
  );
});
