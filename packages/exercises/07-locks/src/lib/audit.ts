/*
 * The bank's audit trail: a helper you call and do not edit. Writing an entry takes a
 * moment of work that touches nothing shared, so threads can do it at the same time.
 * It marks that work for the grader's work gauge, which sees how many threads are inside.
 */
import { gauge } from '@threadlings/grader/gauge';

/** Writes an audit entry for an amount and returns its checksum. Shares nothing with other threads. */
export function audit(amount: number): number {
  return gauge.measure(() => {
    let h = amount | 0;
    for (let i = 0; i < 20_000; i++) h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) ^ i;
    return h;
  });
}

/** Thrown when a withdrawal would take the balance below zero. */
export class InsufficientFunds extends Error {
  constructor(balance: number, amount: number) {
    super(`insufficient funds: the balance is ${balance}, cannot withdraw ${-amount}`);
    this.name = 'InsufficientFunds';
  }
}
