/*
 * The bank's accounts and ledger: helpers you call and do not edit. `postEntry` is the
 * bookkeeping of one transfer, done while both accounts are locked; it marks its work for
 * the grader's work gauge, which sees how many transfers are inside at once.
 */
import { Lock, SharedInt32Array } from '@threadlings/core';
import { gauge } from '@threadlings/grader/gauge';

/** Four accounts, each with its own lock. */
export interface Bank {
  readonly balances: SharedInt32Array;
  readonly locks: readonly Lock[];
}

export const ACCOUNTS = 4;
export const OPENING_BALANCE = 100;

export function openBank(): Bank {
  return {
    balances: new SharedInt32Array(Array.from({ length: ACCOUNTS }, () => OPENING_BALANCE), { name: 'balances' }),
    locks: Array.from({ length: ACCOUNTS }, (_, i) => new Lock({ name: `account ${i}` })),
  };
}

/** The ledger entry of a transfer: call it while you hold both accounts' locks. */
export function postEntry(from: number, to: number, amount: number): void {
  gauge.measure(() => {
    let h = (from * 31 + to) ^ amount;
    for (let i = 0; i < 30_000; i++) h = Math.imul(h ^ (h >>> 11), 0x9e3779b1) ^ i;
    return h;
  });
}
