/*
 * The server's workers: helpers you call and do not edit. Each worker takes its job's
 * connections from the pool (a Semaphore of POOL_SIZE permits), says it is ready, and
 * holds them until it is told to stop.
 */
import { currentThread, type Barrier, type Event, type Semaphore } from '@threadlings/core';

/** How many connections the database accepts: the pool's permits. */
export const POOL_SIZE = 6;

/** A job of the server: the worker's name, whether it is a daemon, how many connections it holds. */
export interface Job {
  readonly name: string;
  readonly daemon: boolean;
  readonly connections: number;
}

/** What one worker needs: its job, the pool, the barrier it is ready at, the event that stops it. */
export interface Post {
  readonly job: Job;
  readonly index: number;
  readonly pool: Semaphore;
  readonly ready: Barrier;
  readonly stop: Event;
}

/** A thread as it saw itself (`currentThread()`), from inside. */
export interface SelfView {
  readonly index: number;
  readonly name: string;
  readonly ident: number;
  readonly nativeId: number;
  readonly daemon: boolean;
}

/** How the calling thread sees itself. */
export function selfView(index = -1): SelfView {
  const me = currentThread();
  return { index, name: me.name, ident: me.ident ?? 0, nativeId: me.nativeId ?? 0, daemon: me.daemon };
}

/** A worker's life: take the job's connections, be ready, wait to be stopped, give the connections back. */
export function work(post: Post): SelfView {
  const seen = selfView(post.index);
  for (let i = 0; i < post.job.connections; i++) post.pool.acquire();
  post.ready.wait();
  post.stop.wait();
  if (post.job.connections > 0) post.pool.release(post.job.connections);
  return seen;
}
