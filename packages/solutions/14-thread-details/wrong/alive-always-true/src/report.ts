import { Thread, activeCount, currentThread, enumerate, mainThread, type Semaphore } from '@threadlings/core';
import { POOL_SIZE, work, type Post } from './lib/workers.ts';

/** One thread, as the status page shows it. */
export interface ThreadInfo {
  readonly name: string;
  /** `Thread.ident`: the number that tells threads apart while they live. */
  readonly ident: number | undefined;
  /** `Thread.nativeId`: the id of the worker the thread runs on. */
  readonly nativeId: number | undefined;
  /** Whether the thread is still running: `isAlive()`. */
  readonly alive: boolean;
  readonly daemon: boolean;
}

/** The pool of connections: its size, how many connections are free now and how many are in use. */
export interface PoolInfo {
  readonly size: number;
  readonly free: number;
  readonly inUse: number;
}

/** The status page. */
export interface StatusReport {
  /** Every thread alive now, the main thread and the caller included. */
  readonly threads: readonly ThreadInfo[];
  /** How many threads are alive now. */
  readonly active: number;
  /** The ident of the thread that made the report. */
  readonly caller: number | undefined;
  /** The ident of the main thread. */
  readonly main: number | undefined;
  readonly pool: PoolInfo;
}

/** Starts one worker thread per post, named after its job, a daemon if the job says so. (Given: you need not change it.) */
export function startWorkers(posts: readonly Post[]): Thread[] {
  return posts.map((post) => {
    const t = new Thread({ target: work, args: [post], name: post.job.name, daemon: post.job.daemon });
    t.start();
    return t;
  });
}

/** One thread described, as it is now. */
export function describeThread(t: Thread): ThreadInfo {
  // enumerate() lists only the threads that are alive.
  return { name: t.name, ident: t.ident, nativeId: t.nativeId, alive: true, daemon: t.daemon };
}

/** The pool described, as it is now: the semaphore's value is the number of free permits. */
export function describePool(pool: Semaphore): PoolInfo {
  const free = pool.value;
  return { size: POOL_SIZE, free, inUse: POOL_SIZE - free };
}

/** The status page: every thread alive now, how many, who asks, the main thread, the pool. */
export function statusReport(pool: Semaphore): StatusReport {
  return {
    threads: enumerate().map(describeThread),
    active: activeCount(),
    caller: currentThread().ident,
    main: mainThread().ident,
    pool: describePool(pool),
  };
}
