import { SharedInt32Array, Thread } from '@threadlings/core';
import { CRUNCH_SIZE, crunch, crunchSerial, download, timed } from './lib/tasks.ts';

/** A download thread's work: page `id`, written to its place in `pages`. */
export function downloadInto(pages: SharedInt32Array, id: number): void {
  pages.set(id, download(id));
}

/** Downloads pages 0 to n-1, all at the same time, and returns them in order. */
export function downloadAll(n: number): number[] {
  // A thread per page, all started before any is joined: while one waits, the others
  // wait too, so the four 0.2 s waits take about 0.2 s in all. Each thread writes its own
  // place of a shared array; after the joins, every place is written.
  const pages = new SharedInt32Array(n, { name: 'pages' });
  const threads = Array.from({ length: n }, (_, id) => new Thread({ target: downloadInto, args: [pages, id], name: `download-${id}` }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  return pages.toArray();
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
  // Parts of ceil(n / parts) numbers, the last one cut at n: together they cover [0, n)
  // exactly. Every thread is started before any is joined, so the parts run on several
  // cores at once; XOR combines their checksums whatever the split.
  const out = new SharedInt32Array(parts, { name: 'checksums' });
  const size = Math.ceil(n / parts);
  const threads = Array.from(
    { length: parts },
    (_, p) => new Thread({ target: crunchPart, args: [out, p, Math.min(n, p * size), Math.min(n, (p + 1) * size)], name: `crunch-${p + 1}` }),
  );
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  return out.toArray().reduce((acc, part) => acc ^ part, 0);
}

export function main(): void {
  const pages = timed(() => downloadAll(4));
  console.log(`downloaded pages ${pages.value.join(', ')} in ${pages.ms} ms (one after another: 800 ms)`);
  const serial = timed(() => crunchSerial(CRUNCH_SIZE));
  const split = timed(() => crunchAll(CRUNCH_SIZE, 2));
  const same = split.value === serial.value ? 'the same checksum' : `a different checksum (${split.value}, expected ${serial.value})`;
  console.log(`crunched on one thread in ${serial.ms} ms, with crunchAll on 2 in ${split.ms} ms: ${(serial.ms / Math.max(1, split.ms)).toFixed(2)}× faster, ${same}`);
}
