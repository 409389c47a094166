import { defineChecks, defineScenario } from '@threadlings/grader';
import { POOL_SIZE, newStats, readStats } from './src/lib/database.ts';

type Judge = (stats: { inUse: number; peak: number; served: number }, failed: unknown) => string | undefined;

export default defineChecks((t) => {
  const app = t.source('src/app.ts');
  const load = (queries: readonly (readonly number[])[], judge: Judge) =>
    defineScenario({
      name: `${queries.length} clients`,
      setup: () => newStats(),
      threads: (s) => [{ module: app, export: 'serve', args: [s, queries], name: 'app' }],
      judge: (s, outcome) => {
        const stats = readStats(s);
        const problem = judge(stats, outcome.results[0]);
        return problem === undefined ? { ok: true, label: `peak=${stats.peak}` } : { ok: false, message: problem, label: `peak=${stats.peak}, served=${stats.served}` };
      },
    });
  const clients = (n: number, perClient: number, fail = false) =>
    Array.from({ length: n }, (_, i) => [...(fail ? [-(i + 1)] : []), ...Array.from({ length: perClient }, (_, j) => i * 100 + j + 1)]);
  const neverAbove: Judge = ({ peak }) =>
    peak > POOL_SIZE ? `${peak} connections were in use at once, more than the ${POOL_SIZE} the database accepts: the pool let too many clients in` : undefined;
  const allServed = (expected: number): Judge => ({ served }, failed) =>
    served === expected ? undefined : `${served} queries were served, expected ${expected}${typeof failed === 'number' && failed > 0 ? ` (${failed} reported failed)` : ''}`;

  t.check('every query is served', async (ctx) => {
    await ctx.run(load(clients(4, 3), allServed(12)));
  });

  // Before the explore checks, which a pool of one (a Lock) passes only after exploring every schedule: it fails here at once.
  t.structure(`all ${POOL_SIZE} connections are used at once under load`, load(clients(6, 2), allServed(12)), { atLeast: POOL_SIZE });

  t.explore(`never more than ${POOL_SIZE} connections in use, any interleaving`, load(clients(5, 1), (s, f) => neverAbove(s, f) ?? allServed(5)(s, f)));

  t.explore(
    'a failed query gives its connection back',
    load(clients(POOL_SIZE + 1, 1, true), (s, failed) => {
      if (failed !== POOL_SIZE + 1) return `serve() reported ${String(failed)} failed queries, expected ${POOL_SIZE + 1}`;
      return allServed(POOL_SIZE + 1)(s, failed);
    }),
    { schedules: 100 },
  );

  t.stress(`never more than ${POOL_SIZE} connections in use on real threads`, load(clients(6, 4), (s, f) => neverAbove(s, f) ?? allServed(24)(s, f)), { runs: 40, failure: 'too many connections' });
});
