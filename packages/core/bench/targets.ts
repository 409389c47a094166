/**
 * The Node side of the core's bench rows: thread targets, run inside worker threads as
 * students' code runs. Each returns one sample. The workloads mirror cpython_bench.py
 * line for line, so the two columns of the table measure the same program.
 *
 * Each uncontended loop has its own function so that its call sites stay monomorphic
 * when a pooled worker runs several of them.
 */
import { BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, SharedInt, Thread } from '../src/index.ts';

function nsPerOp(t0: number, ops: number): number {
  return ((performance.now() - t0) * 1e6) / ops;
}

export function lockLoop(n: number): number {
  const lock = new Lock();
  let t0 = 0;
  for (let i = -Math.floor(n / 10); i < n; i++) {
    if (i === 0) t0 = performance.now();
    lock.acquire();
    lock.release();
  }
  return nsPerOp(t0, n);
}

export function rlockLoop(n: number): number {
  const lock = new RLock();
  let t0 = 0;
  for (let i = -Math.floor(n / 10); i < n; i++) {
    if (i === 0) t0 = performance.now();
    lock.acquire();
    lock.release();
  }
  return nsPerOp(t0, n);
}

export function semaphoreLoop(n: number): number {
  const sem = new Semaphore();
  let t0 = 0;
  for (let i = -Math.floor(n / 10); i < n; i++) {
    if (i === 0) t0 = performance.now();
    sem.acquire();
    sem.release();
  }
  return nsPerOp(t0, n);
}

export function boundedSemaphoreLoop(n: number): number {
  const sem = new BoundedSemaphore();
  let t0 = 0;
  for (let i = -Math.floor(n / 10); i < n; i++) {
    if (i === 0) t0 = performance.now();
    sem.acquire();
    sem.release();
  }
  return nsPerOp(t0, n);
}

function incrementLocked(lock: Lock, counter: SharedInt, n: number): void {
  for (let i = 0; i < n; i++) {
    lock.acquire();
    counter.value += 1;
    lock.release();
  }
}

/** The second thread of contendedLock: warms up, says it is ready, and starts on `go`. */
export function contendedPeer(lock: Lock, counter: SharedInt, ready: Event, go: SharedInt, done: Event, n: number, warm: number): void {
  incrementLocked(lock, counter, warm);
  ready.set();
  while (go.value === 0) {
    // Spins for the moment between `ready` and `go`, so that both threads start together.
  }
  incrementLocked(lock, counter, n);
  done.set();
}

/** ns per locked increment, with this thread and one peer each doing `n` of them at once. */
export function contendedLock(n: number, warm: number): number {
  const lock = new Lock();
  const counter = new SharedInt(0);
  const ready = new Event();
  const done = new Event();
  const go = new SharedInt(0);
  const peer = new Thread({ target: contendedPeer, args: [lock, counter, ready, go, done, n, warm], name: 'bench-peer' });
  peer.start();
  incrementLocked(lock, counter, warm);
  ready.wait();
  counter.value = 0;
  const t0 = performance.now();
  go.value = 1;
  incrementLocked(lock, counter, n);
  done.wait();
  const ns = nsPerOp(t0, 2 * n);
  peer.join();
  if (counter.value !== 2 * n) throw new Error(`contended-lock lost updates: ${counter.value} != ${2 * n}`);
  return ns;
}

export function eventAnswer(ping: Event, pong: Event, trips: number): void {
  for (let i = 0; i < trips; i++) {
    ping.wait();
    ping.clear();
    pong.set();
  }
}

/** µs per round trip: this thread sets `ping` and waits for `pong`; a peer answers each ping. */
export function eventPingpong(n: number, warm: number): number {
  const ping = new Event();
  const pong = new Event();
  const peer = new Thread({ target: eventAnswer, args: [ping, pong, warm + n], name: 'bench-peer' });
  peer.start();
  let t0 = 0;
  for (let i = 0; i < warm + n; i++) {
    if (i === warm) t0 = performance.now();
    ping.set();
    pong.wait();
    pong.clear();
  }
  const us = ((performance.now() - t0) * 1e3) / n;
  peer.join();
  return us;
}

export function conditionAnswer(cond: Condition, turn: SharedInt, trips: number): void {
  for (let i = 0; i < trips; i++) {
    cond.acquire();
    while (turn.value !== 1) cond.wait();
    turn.value = 0;
    cond.notify();
    cond.release();
  }
}

/** µs per round trip of a turn passed back and forth under one Condition (over its default RLock). */
export function conditionHandoff(n: number, warm: number): number {
  const cond = new Condition();
  const turn = new SharedInt(0);
  const peer = new Thread({ target: conditionAnswer, args: [cond, turn, warm + n], name: 'bench-peer' });
  peer.start();
  let t0 = 0;
  for (let i = 0; i < warm + n; i++) {
    if (i === warm) t0 = performance.now();
    cond.acquire();
    turn.value = 1;
    cond.notify();
    while (turn.value !== 0) cond.wait();
    cond.release();
  }
  const us = ((performance.now() - t0) * 1e3) / n;
  peer.join();
  return us;
}
