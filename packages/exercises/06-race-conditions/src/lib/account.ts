import type { SharedInt } from '@threadlings/core';

/**
 * Takes `amount` from the balance if there is enough: check, then act.
 * Steps of a schedule: 1. read the balance to check it; if there is enough,
 * 2. read it again, 3. write it minus the amount.
 * @returns whether the withdrawal went through
 */
export function withdraw(balance: SharedInt, amount: number): boolean {
  if (balance.value < amount) return false; // step 1: read (the check)
  balance.value = balance.value - amount; // steps 2 and 3: read, then write (the act)
  return true;
}
