/*
 * A queue of items in shared memory: helpers you call and do not edit. They are not
 * synchronised themselves: call them only while holding the condition's lock.
 */
import { SharedInt32Array } from '@threadlings/core';

const HEAD = 0;
const TAIL = 1;
const CLOSED = 2;
const ITEMS = 3;
/** How many items the queue holds at most. */
export const CAPACITY = 64;

export type Queue = SharedInt32Array;

export function newQueue(): Queue {
  return new SharedInt32Array(ITEMS + CAPACITY, { name: 'queue' });
}

export function isEmpty(q: Queue): boolean {
  return q.get(HEAD) === q.get(TAIL);
}

export function isClosed(q: Queue): boolean {
  return q.get(CLOSED) === 1;
}

/** Adds an item at the tail. */
export function put(q: Queue, item: number): void {
  const tail = q.get(TAIL);
  if (tail - q.get(HEAD) >= CAPACITY) throw new Error('the queue is full');
  q.set(ITEMS + (tail % CAPACITY), item);
  q.set(TAIL, tail + 1);
}

/** Takes the item at the head. @throws Error when the queue is empty: check first, and wait while it is. */
export function take(q: Queue): number {
  const head = q.get(HEAD);
  if (head === q.get(TAIL)) throw new Error('take() from an empty queue: another consumer took the item first, or nothing was there');
  const item = q.get(ITEMS + (head % CAPACITY));
  q.set(HEAD, head + 1);
  return item;
}

/** No more items will come. */
export function close(q: Queue): void {
  q.set(CLOSED, 1);
}

/** A tally of how often each item 0..n-1 was consumed. */
export function newTally(n: number): SharedInt32Array {
  return new SharedInt32Array(n, { name: 'tally' });
}
