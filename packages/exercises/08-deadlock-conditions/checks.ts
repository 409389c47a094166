import { Lock, SharedInt } from '@threadlings/core';
import { defineChecks, defineScenario, type CheckContext } from '@threadlings/grader';

const CLERKS = ['alice', 'bob', 'carol'] as const;
const ACCOUNTS = ['a', 'b', 'c'] as const;
const CONDITIONS = ['mutual exclusion', 'hold and wait', 'no preemption', 'circular wait'];

/** Clerk i moves money from account i to account i + 1 (round the ring). */
const fromOf = (i: number): number => i;
const toOf = (i: number): number => (i + 1) % CLERKS.length;

export default defineChecks((t) => {
  const transfer = t.source('src/lib/transfer.ts');

  const ring = defineScenario({
    name: 'three clerks transfer round a ring of accounts',
    setup: () => ({
      accounts: ACCOUNTS.map((n) => new SharedInt(10, { name: `account-${n}` })),
      locks: ACCOUNTS.map((n) => new Lock({ name: `lock-${n}` })),
    }),
    threads: (s) =>
      CLERKS.map((name, i) => ({ module: transfer, export: 'transfer', args: [s.accounts[fromOf(i)], s.locks[fromOf(i)], s.accounts[toOf(i)], s.locks[toOf(i)]], name })),
    judge: (s) => {
      const total = s.accounts.reduce((sum, a) => sum + a.peek(), 0);
      return { ok: true, label: `every transfer went through; balances ${s.accounts.map((a) => a.peek()).join(', ')}, total ${total}` };
    },
  });

  t.schedule('a schedule that deadlocks the transfers', ring, { file: 'schedules/deadlock.txt', expect: 'deadlock' });

  t.check('the locks held and the clerk each one waits for', async (ctx: CheckContext) => {
    const given = (await ctx.runProgram('src/lib/answers.ts', { export: 'answers' })) as { holds?: Record<string, unknown>; waitsFor?: Record<string, unknown> };
    // In the deadlock every clerk holds the lock of the account it takes from and waits for
    // the lock of the one it gives to, which the next clerk round the ring holds.
    CLERKS.forEach((clerk, i) => {
      const held = `lock-${ACCOUNTS[fromOf(i)]}`;
      const holder = CLERKS[toOf(i)];
      const h = given.holds?.[clerk];
      ctx.assert(h !== undefined, `holds.${clerk} is not filled in: which lock does ${clerk} hold once every clerk is stuck?`, 'src/conditions.ts');
      ctx.assert(
        h === held,
        `holds.${clerk} is ${JSON.stringify(h)}, but ${clerk} holds ${held} in the deadlock: her first step takes the lock of the account she takes money from (account ${ACCOUNTS[fromOf(i)]})`,
        'src/conditions.ts',
      );
      const w = given.waitsFor?.[clerk];
      ctx.assert(w !== undefined, `waitsFor.${clerk} is not filled in: which clerk holds the lock ${clerk} is waiting for?`, 'src/conditions.ts');
      ctx.assert(
        w === holder,
        `waitsFor.${clerk} is ${JSON.stringify(w)}, but ${clerk} waits for lock-${ACCOUNTS[toOf(i)]}, which ${holder} holds: she waits for ${holder}` +
          (w === CLERKS[(i + CLERKS.length - 1) % CLERKS.length] ? ` (${JSON.stringify(w)} is the clerk waiting for ${clerk}: the arrow points the other way)` : ''),
        'src/conditions.ts',
      );
    });
  });

  t.check('the condition each fix breaks', async (ctx: CheckContext) => {
    const given = (await ctx.runProgram('src/lib/answers.ts', { export: 'answers' })) as { brokenByLockOrder?: unknown; brokenByTimeout?: unknown };
    const ask = (name: string, value: unknown, right: string, why: string): void => {
      ctx.assert(value !== undefined, `${name} is not filled in: name one of ${CONDITIONS.join(', ')}`, 'src/conditions.ts');
      ctx.assert(CONDITIONS.includes(value as string), `${name} is ${JSON.stringify(value)}: name one of ${CONDITIONS.join(', ')}`, 'src/conditions.ts');
      ctx.assert(value === right, `${name} is "${String(value)}", but that condition still holds with this fix: ${why}`, 'src/conditions.ts');
    };
    ask(
      'brokenByLockOrder',
      given.brokenByLockOrder,
      'circular wait',
      'the locks are still exclusive, a clerk still holds one while it waits for the other, and nobody takes a lock away; what can no longer form is a cycle, since every clerk waits only for a lock later in the order than the ones it holds',
    );
    ask(
      'brokenByTimeout',
      given.brokenByTimeout,
      'hold and wait',
      'the locks are still exclusive and there can still be a cycle of waits for a moment; but a clerk that cannot get its second lock gives up the first, so it does not go on holding one lock while it waits for another',
    );
  });
});
