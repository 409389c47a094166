import { Thread, currentThread, type Semaphore } from '@threadlings/core';
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
  // TODO: describe the thread from what it says of itself: its ident and nativeId, whether
  // it is alive now (isAlive()), whether it is a daemon.
  return { name: t.name, ident: undefined, nativeId: undefined, alive: true, daemon: false };
}

/** The pool described, as it is now: how many of its POOL_SIZE connections are free, how many in use. */
export function describePool(pool: Semaphore): PoolInfo {
  // TODO: the semaphore counts its free permits: read them from `pool`, as they are now.
  return { size: POOL_SIZE, free: POOL_SIZE, inUse: 0 };
}

/** The status page: every thread alive now, how many, who asks, the main thread, the pool. */
export function statusReport(pool: Semaphore): StatusReport {
  // TODO: this page shows only the thread that asks for it. List every thread alive now —
  // the main thread, the workers, the caller — and count them; say which thread made the
  // report and which is the main thread.
  const me = currentThread();
  return {
    threads: [describeThread(me)],
    active: 1,
    caller: me.ident,
    main: me.ident,
    pool: describePool(pool),
  };
}
