import type { WaitResult } from './seam.ts';

/**
 * Waits without blocking the calling thread (the supervisor's way to wait). A pending
 * `Atomics.waitAsync` does not keep the process alive, so a timer is held meanwhile.
 */
export async function waitAsync(i32: Int32Array, index: number, expected: number, timeoutMs: number): Promise<WaitResult> {
  const r = Atomics.waitAsync(i32, index, expected, timeoutMs);
  if (!r.async) return r.value;
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    return await r.value;
  } finally {
    clearInterval(keepAlive);
  }
}

export function remaining(deadline: number, now: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - now);
}
