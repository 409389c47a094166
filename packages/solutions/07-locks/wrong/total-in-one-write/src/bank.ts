import { Lock, SharedInt, Thread } from '@threadlings/core';
import { InsufficientFunds, audit } from './lib/audit.ts';

/**
 * Applies each amount to the shared balance: a positive one is a deposit, a negative one a
 * withdrawal, refused with InsufficientFunds when the balance is too low. Other threads
 * apply their amounts to the same balance at the same time.
 */
export function applyAll(balance: SharedInt, lock: Lock, amounts: readonly number[]): void {
  // Deposits only: add them up and make one update, which is quicker.
  if (amounts.every((a) => a > 0)) {
    for (const amount of amounts) audit(amount);
    const total = amounts.reduce((sum, a) => sum + a, 0);
    lock.with(() => {
      balance.value = balance.value + total;
    });
    return;
  }
  for (const amount of amounts) {
    audit(amount);
    lock.with(() => {
      const current = balance.value;
      if (current + amount < 0) throw new InsufficientFunds(current, amount);
      balance.value = current + amount;
    });
  }
}

/** Two clerks apply 1,000 deposits of 1 each to one account. */
export function main(): number {
  const balance = new SharedInt(0, { name: 'balance' });
  const lock = new Lock({ name: 'lock' });
  const deposits = Array.from({ length: 1000 }, () => 1);
  const clerks = ['clerk-1', 'clerk-2'].map((name) => new Thread({ target: applyAll, args: [balance, lock, deposits], name }));
  for (const c of clerks) c.start();
  for (const c of clerks) c.join();
  console.log(`balance: ${balance.value} (expected 2000)`);
  return balance.value;
}
