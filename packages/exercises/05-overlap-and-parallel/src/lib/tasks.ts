/*
 * The tasks: helpers you call and do not edit. Each marks its work for the grader's work
 * gauge, which sees how many threads are inside the work at once and how long each
 * stretch of it took.
 */
import { sleep } from '@threadlings/core';
import { gauge } from '@threadlings/grader/gauge';

/** How long a download waits, in seconds, as a request over the network would. */
export const DOWNLOAD_SECONDS = 0.2;

/** Downloads page `id`: the thread waits (it uses no CPU meanwhile), then has the page, `id * 10`. */
export function download(id: number): number {
  return gauge.measure(() => {
    sleep(DOWNLOAD_SECONDS);
    return id * 10;
  });
}

/**
 * Pure CPU work over the numbers [from, to): a checksum, the XOR of a hash of each number.
 * XOR does not care about order or grouping, so the checksums of the parts of a range,
 * XORed together, give the checksum of the whole range. An empty range is no work: it
 * returns 0 at once.
 */
export function crunch(from: number, to: number): number {
  if (!(from < to)) return 0;
  return gauge.measure(() => {
    // Only int32 operations, none that can overflow into a double: the loop runs at one
    // speed from its first call in every thread. `| 0`: bounds that crossed to another
    // thread may arrive as doubles.
    const end = to | 0;
    let acc = 0;
    for (let i = from | 0; i < end; i++) {
      let h = Math.imul(i ^ 0x2545f491, 0x5bd1e995);
      h ^= h >>> 15;
      acc ^= Math.imul(h, 0x27d4eb2d);
    }
    return acc;
  });
}

/** How many numbers `pnpm try` and the speed-up check crunch: about 0.2 s of work for one core. */
export const CRUNCH_SIZE = 200_000_000;

/** The whole range on the calling thread: the serial version, and the speed-up check's baseline. */
export function crunchSerial(n: number): number {
  return crunch(0, n);
}

/** How long `fn` takes, in milliseconds, with what it returned. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: Math.round(performance.now() - start) };
}
