import { defineChecks, defineScenario } from '@threadlings/grader';
import { ACCOUNTS, OPENING_BALANCE, openBank } from './src/lib/ledger.ts';

type Move = readonly [from: number, to: number, amount: number, times: number];

export default defineChecks((t) => {
  const bank = t.source('src/bank.ts');
  const transfers = (moves: readonly Move[], expected?: readonly number[]) =>
    defineScenario({
      name: moves.map(([f, to]) => `${f}→${to}`).join(', '),
      setup: () => openBank(),
      threads: (s) => moves.map(([from, to, amount, times]) => ({ module: bank, export: 'transfer', args: [s, from, to, amount, times], name: `${from}→${to}` })),
      judge: (s) => {
        const balances = s.balances.toArray();
        const total = balances.reduce((a, b) => a + b, 0);
        const label = `balances=${balances.join(',')}`;
        if (total !== ACCOUNTS * OPENING_BALANCE) return { ok: false, message: `money was ${total > ACCOUNTS * OPENING_BALANCE ? 'created' : 'lost'}: the balances add up to ${total}, expected ${ACCOUNTS * OPENING_BALANCE} (${balances.join(', ')})`, label };
        if (expected !== undefined && balances.join() !== expected.join()) return { ok: false, message: `expected the balances ${expected.join(', ')}, saw ${balances.join(', ')}`, label };
        return { ok: true, label };
      },
    });

  t.check('a transfer moves the money', async (ctx) => {
    await ctx.run(transfers([[0, 1, 30, 1]], [70, 130, 100, 100]));
  });
  t.explore('transfers in opposite directions never deadlock nor lose money, any interleaving', transfers([[0, 1, 1, 2], [1, 0, 1, 2]], [100, 100, 100, 100]));
  t.explore('three transfers in a circle never deadlock, any interleaving', transfers([[0, 1, 1, 1], [1, 2, 1, 1], [2, 0, 1, 1]], [100, 100, 100, 100]));
  t.check('a transfer from an account to itself works', async (ctx) => {
    await ctx.run(transfers([[2, 2, 10, 1]], [100, 100, 100, 100]), { timeLimitMs: 5000 });
  });
  t.structure('transfers between different accounts run at the same time', transfers([[0, 1, 1, 20], [2, 3, 1, 20]], [80, 120, 80, 120]), { atLeast: 2 });
  t.stress('transfers both ways finish on real threads', transfers([[0, 1, 1, 200], [1, 0, 1, 200], [2, 3, 1, 200], [3, 2, 1, 200]], [100, 100, 100, 100]), { runs: 30 });
});
