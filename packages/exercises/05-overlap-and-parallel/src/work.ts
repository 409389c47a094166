import { SharedInt32Array, Thread } from '@threadlings/core';
import { CRUNCH_SIZE, crunch, crunchSerial, download, timed } from './lib/tasks.ts';

/** A download thread's work: page `id`, written to its place in `pages`. */
export function downloadInto(pages: SharedInt32Array, id: number): void {
  pages.set(id, download(id));
}

/** Downloads pages 0 to n-1, all at the same time, and returns them in order. */
export function downloadAll(n: number): number[] {
  // TODO: one download after another: each waits 0.2 s, and the next one starts only
  // after it. Start a thread per page on downloadInto, with a SharedInt32Array that has a
  // place for every page; start them all before you join any, then return pages.toArray().
  const pages: number[] = [];
  for (let id = 0; id < n; id++) pages.push(download(id));
  return pages;
}

/** A crunching thread's work: the checksum of [from, to), written to its place in `out`. */
export function crunchPart(out: SharedInt32Array, part: number, from: number, to: number): void {
  out.set(part, crunch(from, to));
}

/**
 * The checksum of the numbers [0, n): the range cut into `parts` ranges of about the same
 * size, each crunched on a thread of its own, all at the same time.
 */
export function crunchAll(n: number, parts: number): number {
  // TODO: all of the work runs here, on one thread, on one core. Cut [0, n) into `parts`
  // ranges that cover it with no gap and no overlap, start a thread per range on
  // crunchPart (a SharedInt32Array with a place per part), join them all, and combine the
  // parts' checksums with XOR (^), as crunch() combines the numbers' hashes.
  return crunch(0, n);
}

export function main(): void {
  const pages = timed(() => downloadAll(4));
  console.log(`downloaded pages ${pages.value.join(', ')} in ${pages.ms} ms (one after another: 800 ms)`);
  const serial = timed(() => crunchSerial(CRUNCH_SIZE));
  const split = timed(() => crunchAll(CRUNCH_SIZE, 2));
  const same = split.value === serial.value ? 'the same checksum' : `a different checksum (${split.value}, expected ${serial.value})`;
  console.log(`crunched on one thread in ${serial.ms} ms, with crunchAll on 2 in ${split.ms} ms: ${(serial.ms / Math.max(1, split.ms)).toFixed(2)}× faster, ${same}`);
}
