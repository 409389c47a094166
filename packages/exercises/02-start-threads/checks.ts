import { defineChecks, defineScenario } from '@threadlings/grader';

export default defineChecks((t) => {
  const squares = t.source('src/squares.ts');
  const sum = (numbers: readonly number[], workers: number) => {
    const expected = numbers.reduce((a, n) => a + n * n, 0);
    return defineScenario({
      name: `${numbers.length} numbers on ${workers} threads`,
      setup: () => null,
      threads: () => [{ module: squares, export: 'sumOfSquares', args: [numbers, workers], name: 'caller' }],
      judge: (_s, outcome) => {
        const got = outcome.results[0];
        return got === expected
          ? { ok: true, label: `sum=${String(got)}` }
          : { ok: false, message: `sumOfSquares([${numbers.length <= 6 ? numbers.join(', ') : `1..${numbers.length}`}], ${workers}) returned ${String(got)}, expected ${expected}`, label: `sum=${String(got)}` };
      },
    });
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  t.explore('the threads compute the sum of the squares, any interleaving', sum([1, 2, 3, 4], 2), { schedules: 200 });
  t.check('the sum is right for more numbers and more threads', async (ctx) => {
    await ctx.run(sum(range(10), 2));
    await ctx.run(sum(range(9), 3));
  });
  t.structure('the parts run on threads at the same time', sum(range(40), 2), { atLeast: 2 });
});
