import { Thread } from '@threadlings/core';
import { OPENING_BALANCE, openBank, postEntry, type Bank } from './lib/ledger.ts';

/**
 * Moves `amount` from account `from` to account `to`, `times` times, holding both
 * accounts' locks while it changes the balances and posts the ledger entry. Other threads
 * transfer at the same time, some in the opposite direction.
 */
export function transfer(bank: Bank, from: number, to: number, amount: number, times = 1): void {
  const { balances, locks } = bank;
  for (let i = 0; i < times; i++) {
    // Locks only the account the money leaves.
    locks[from]!.acquire();
    balances.set(from, balances.get(from) - amount);
    balances.set(to, balances.get(to) + amount);
    postEntry(from, to, amount);
    locks[from]!.release();
  }
}

export function main(): void {
  const bank = openBank();
  const clerks = [
    new Thread({ target: transfer, args: [bank, 0, 1, 1, 500], name: '0→1' }),
    new Thread({ target: transfer, args: [bank, 1, 0, 1, 500], name: '1→0' }),
  ];
  for (const c of clerks) c.start();
  for (const c of clerks) c.join();
  console.log(`balances: ${bank.balances.toArray().join(', ')} (each opened with ${OPENING_BALANCE})`);
}
