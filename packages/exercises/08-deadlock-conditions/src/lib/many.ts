import type { Lock, SharedInt } from '@threadlings/core';
import { transfer } from './transfer.ts';

export function transferMany(from: SharedInt, fromLock: Lock, to: SharedInt, toLock: Lock, times: number): void {
  for (let i = 0; i < times; i++) transfer(from, fromLock, to, toLock);
}
