import type { SharedInt } from '@threadlings/core';
import { withdraw } from './account.ts';
import { increment } from './counter.ts';

export function incrementMany(counter: SharedInt, times: number): void {
  for (let i = 0; i < times; i++) increment(counter);
}

export function withdrawOnce(balance: SharedInt, amount: number): boolean {
  return withdraw(balance, amount);
}
