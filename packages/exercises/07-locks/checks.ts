import { Lock, SharedInt } from '@threadlings/core';
import { defineChecks, defineScenario, type CheckContext, type RunOutcome } from '@threadlings/grader';

/** Two or more clerks applying amounts to one balance that starts at `start`. */
function clerks(bank: string, start: number, amounts: readonly (readonly number[])[], judge: (balance: number, outcome: RunOutcome) => { ok: true; label: string } | { ok: false; message: string; label: string }) {
  return defineScenario({
    name: `${amounts.length} clerks`,
    setup: () => ({ balance: new SharedInt(start, { name: 'balance' }), lock: new Lock({ name: 'lock' }) }),
    threads: (s) => amounts.map((a, i) => ({ module: bank, export: 'applyAll', args: [s.balance, s.lock, a], name: `clerk-${i + 1}` })),
    judge: (s, outcome) => judge(s.balance.peek(), outcome),
    allowErrors: true,
  });
}

const refused = (outcome: RunOutcome): number => outcome.errors.filter((e) => e !== undefined).length;
const unexpected = (outcome: RunOutcome): string | undefined => outcome.errors.find((e) => e !== undefined && e.name !== 'InsufficientFunds')?.message;

export default defineChecks((t) => {
  const bank = t.source('src/bank.ts');
  const expectBalance = (expected: number) => (balance: number, outcome: RunOutcome) => {
    const other = unexpected(outcome);
    if (other !== undefined) return { ok: false as const, message: `a clerk raised: ${other}`, label: 'raised' };
    return balance === expected
      ? { ok: true as const, label: `balance=${balance}` }
      : { ok: false as const, message: `lost update: the balance is ${balance}, expected ${expected}`, label: `balance=${balance}` };
  };

  t.check('one clerk applies deposits and withdrawals', async (ctx: CheckContext) => {
    const { outcome, label } = await ctx.run(clerks(bank, 0, [[10, 20, -5]], expectBalance(25)));
    ctx.assert(outcome.errors[0] === undefined, `applyAll(balance, lock, [10, 20, -5]) raised ${outcome.errors[0]?.message}`, 'src/bank.ts');
    ctx.equal(label, 'balance=25', 'the balance after [10, 20, -5]', 'src/bank.ts');
  });

  t.check('a withdrawal larger than the balance is refused with InsufficientFunds', async (ctx: CheckContext) => {
    const { outcome, state } = await ctx.run(clerks(bank, 0, [[5, -10]], () => ({ ok: true, label: 'ran' })));
    ctx.assert(outcome.errors[0]?.name === 'InsufficientFunds', `a withdrawal of 10 from a balance of 5 should raise InsufficientFunds, it ${outcome.errors[0] === undefined ? 'did not raise' : `raised ${outcome.errors[0].name}`}`, 'src/bank.ts');
    ctx.equal(state.balance.peek(), 5, 'the balance after a refused withdrawal', 'src/bank.ts');
  });

  // Judged on how the balance was reached too (the history of the controlled run): each
  // deposit is one write of the balance by the clerk making it, not a total computed some other way.
  const deposits = [[1, 1], [1, 1]] as const;
  t.explore(
    'no lost updates, any interleaving',
    clerks(bank, 0, deposits, (balance, outcome) => {
      const verdict = expectBalance(4)(balance, outcome);
      if (!verdict.ok || outcome.history === undefined) return verdict;
      for (const [i, amounts] of deposits.entries()) {
        const name = `clerk-${i + 1}`;
        const writes = outcome.history.filter((h) => h.thread === name && h.op === 'write' && h.object === "SharedInt 'balance'").length;
        if (writes !== amounts.length) {
          return {
            ok: false as const,
            message: `${name} wrote the balance ${writes} time${writes === 1 ? '' : 's'} for its ${amounts.length} deposits: each deposit is a read and a write of the balance, under the lock`,
            label: `writes=${writes}`,
          };
        }
      }
      return verdict;
    }),
  );

  t.explore(
    'the balance never goes below zero, any interleaving',
    clerks(bank, 5, [[-5], [-5]], (balance, outcome) => {
      const other = unexpected(outcome);
      if (other !== undefined) return { ok: false, message: `a clerk raised: ${other}`, label: 'raised' };
      if (balance < 0) return { ok: false, message: `overdrawn: two withdrawals of 5 from a balance of 5 both went through (balance ${balance})`, label: `balance=${balance}` };
      if (balance !== 0 || refused(outcome) !== 1) return { ok: false, message: `expected one withdrawal to go through and one to be refused, saw a balance of ${balance} and ${refused(outcome)} refused`, label: `balance=${balance}` };
      return { ok: true, label: 'balance=0' };
    }),
  );

  t.explore(
    'the lock is released when a withdrawal is refused',
    clerks(bank, 0, [[-100], [5, 5]], (balance, outcome) => {
      const other = unexpected(outcome);
      if (other !== undefined) return { ok: false, message: `a clerk raised: ${other}`, label: 'raised' };
      return balance === 10 && refused(outcome) === 1
        ? { ok: true, label: 'balance=10' }
        : { ok: false, message: `expected the withdrawal of 100 refused and both deposits made (balance 10), saw a balance of ${balance}`, label: `balance=${balance}` };
    }),
  );

  t.structure('audit entries are written outside the lock, at the same time', clerks(bank, 0, [Array.from({ length: 40 }, () => 1), Array.from({ length: 40 }, () => 1)], expectBalance(80)), { atLeast: 2 });

  t.stress('no lost updates on real threads', clerks(bank, 0, [0, 1, 2, 3].map(() => Array.from({ length: 300 }, () => 1)), expectBalance(1200)), { runs: 60, failure: 'lost updates' });
});
