import { SharedInt } from '@threadlings/core';
import { defineChecks, defineScenario } from '@threadlings/grader';

export default defineChecks((t) => {
  const counter = t.source('src/lib/counter.ts');
  const account = t.source('src/lib/account.ts');

  const increments = defineScenario({
    name: 'A and B increment a counter once each',
    setup: () => ({ counter: new SharedInt(0, { name: 'counter' }) }),
    threads: (s) => ['A', 'B'].map((name) => ({ module: counter, export: 'increment', args: [s.counter], name })),
    judge: (s) =>
      s.counter.peek() === 2
        ? { ok: true, label: 'counter=2' }
        : { ok: false, message: `lost update: the counter is ${s.counter.peek()} after two increments, expected 2`, label: `counter=${s.counter.peek()}` },
  });

  const withdrawals = defineScenario({
    name: 'alice and bob withdraw 80 each from 100',
    setup: () => ({ balance: new SharedInt(100, { name: 'balance' }) }),
    threads: (s) => ['alice', 'bob'].map((name) => ({ module: account, export: 'withdraw', args: [s.balance, 80], name })),
    judge: (s, outcome) => {
      const balance = s.balance.peek();
      const through = outcome.results.filter((r) => r === true).length;
      if (balance < 0) return { ok: false, message: `overdrawn: both withdrawals of 80 went through and the balance is ${balance}`, label: `balance=${balance}` };
      if (through === 2) return { ok: true, label: `balance=${balance}, both went through: an update was lost, but the account is not overdrawn` };
      return { ok: true, label: `balance=${balance}, ${through === 1 ? 'one withdrawal was refused' : 'both were refused'}` };
    },
  });

  t.schedule('a schedule that loses an update', increments, { file: 'schedules/lost-update.txt', expect: 'fail' });
  t.schedule('a schedule that overdraws the account', withdrawals, { file: 'schedules/overdraw.txt', expect: 'fail' });
});
