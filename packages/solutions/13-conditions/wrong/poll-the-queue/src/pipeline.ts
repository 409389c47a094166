import { Condition, SharedInt32Array, Thread, sleep } from '@threadlings/core';
import { close, isClosed, isEmpty, newQueue, newTally, put, take, type Queue } from './lib/queue.ts';

/** The producer: puts each item in the queue and tells the consumers, then closes the queue. */
export function produce(q: Queue, changed: Condition, items: readonly number[], pause = 0): void {
  for (const item of items) {
    if (pause > 0) sleep(pause);
    changed.with(() => {
      put(q, item);
      changed.notify();
    });
  }
  changed.with(() => {
    close(q);
    // Every consumer may be waiting: notifyAll() wakes them all to see that the queue is closed.
    changed.notifyAll();
  });
}

/**
 * A consumer: takes items until the queue is closed and empty, counting each in the tally.
 * Several consumers take from the same queue. Returns how many items it took.
 */
export function consume(q: Queue, changed: Condition, tally: SharedInt32Array): number {
  let taken = 0;
  for (;;) {
    const item = changed.with(() => {
      if (isEmpty(q)) return isClosed(q) ? undefined : null;
      return take(q);
    });
    if (item === null) continue; // nothing yet: look again
    if (item === undefined) return taken;
    tally.add(item, 1);
    taken++;
  }
}

export function main(): void {
  const q = newQueue();
  const changed = new Condition(undefined, { name: 'items' });
  const tally = newTally(20);
  const consumers = [1, 2, 3].map((i) => new Thread({ target: consume, args: [q, changed, tally], name: `consumer-${i}` }));
  for (const c of consumers) c.start();
  produce(q, changed, Array.from({ length: 20 }, (_, i) => i), 0.01);
  for (const c of consumers) c.join();
  console.log(`taken per consumer: ${consumers.map((c) => c.result).join(', ')}; per item: ${tally.toArray().join('')}`);
}
