import { layout, runtime, threadTable, type ThreadRecord } from '@threadlings/core/internal';
import type { ObjectIndex } from './objects.ts';

/**
 * One look at the thread table, and what it shows: who waits for whom (the wait-for
 * graph), a cycle in it, or every thread waiting on something nothing can give it.
 *
 * The table changes while it is read, and a record says what was true when the wait
 * began. So an edge counts only when it still holds now (the lock's live owner, where the
 * lock is known), a wait with a timeout is never part of a deadlock (it ends by itself:
 * try-lock with back-off, sleeps), and a thread that is about to be woken (its lock is
 * free, its event set, its condition notified, the thread it joins ended) is not stuck.
 * The watchdog then asks for the same finding in two looks before it believes it.
 */
export interface SeenThread {
  readonly rec: ThreadRecord;
  /** When its current wait began (the waiting thread's clock, ms, 30 bits). */
  readonly since: number;
  /** Its Condition park word: non-zero once a notify() chose it. */
  readonly park: number;
}

export interface Scan {
  /** performance.now() of the look. */
  readonly at: number;
  readonly threads: readonly SeenThread[];
}

/** Reads every live thread but the supervisor, in the order they were started. */
export function scanTable(): Scan {
  const i32 = runtime().i32;
  const threads = threadTable()
    .filter((rec) => rec.slot !== 0)
    .sort((a, b) => a.ident - b.ident)
    .map((rec) => {
      const base = layout.slotBase(rec.slot);
      return { rec, since: Atomics.load(i32, base + layout.T_WAIT_SINCE), park: Atomics.load(i32, base + layout.T_PARK) };
    });
  return { at: performance.now(), threads };
}

function waitsForever(t: SeenThread): boolean {
  return t.rec.waiting !== null && t.rec.waiting.timeoutMs === Infinity;
}

/** True when the thread's wait is over or about to be: it must not count as stuck. */
export function aboutToWake(t: SeenThread, scan: Scan, objects: ObjectIndex): boolean {
  const w = t.rec.waiting;
  if (w === null || w.timeoutMs !== Infinity) return true;
  if (w.objectKind === 'Condition' && t.park !== 0) return true;
  if (objects.releases(w.objectId)) return true;
  if (w.op === 'join') return !scan.threads.some((o) => o.rec.ident === w.holder);
  return false;
}

/** The thread that must act before `t` can go on, and whether that is known now rather than recorded earlier. */
export function holderOf(t: SeenThread, objects: ObjectIndex): { ident: number; live: boolean } {
  const w = t.rec.waiting;
  if (w === null || w.timeoutMs !== Infinity) return { ident: 0, live: true };
  if (w.op === 'join') return { ident: w.holder, live: true };
  const owner = objects.ownerOf(w.objectId);
  return owner === undefined ? { ident: w.holder, live: false } : { ident: owner, live: true };
}

/** A cycle in the wait-for graph: each thread waits for the next, the last for the first. */
export interface Cycle {
  readonly threads: readonly SeenThread[];
  /** False when some edge rests on a holder recorded at the start of a wait, not checked now. */
  readonly verified: boolean;
  /** Same threads, same waits: equal keys in two looks are the same cycle. */
  readonly key: string;
}

export function findCycle(scan: Scan, objects: ObjectIndex): Cycle | undefined {
  const byIdent = new Map(scan.threads.map((t) => [t.rec.ident, t]));
  const done = new Set<number>();
  for (const start of scan.threads) {
    const path: SeenThread[] = [];
    const onPath = new Map<number, number>();
    let cur: SeenThread | undefined = start;
    while (cur !== undefined && !done.has(cur.rec.ident)) {
      if (onPath.has(cur.rec.ident)) {
        const threads = path.slice(onPath.get(cur.rec.ident));
        if (threads.some((t) => aboutToWake(t, scan, objects))) break;
        const verified = threads.every((t) => holderOf(t, objects).live);
        const key = [...threads]
          .sort((a, b) => a.rec.ident - b.rec.ident)
          .map((t) => `${t.rec.ident}@${t.rec.waiting!.objectId}@${t.since}`)
          .join(' ');
        return { threads, verified, key };
      }
      onPath.set(cur.rec.ident, path.length);
      path.push(cur);
      if (!waitsForever(cur)) break;
      const holder: number = holderOf(cur, objects).ident;
      cur = holder === 0 ? undefined : byIdent.get(holder);
    }
    for (const t of path) done.add(t.rec.ident);
  }
  return undefined;
}

/**
 * Every live thread waits without a timeout for something no thread is about to give:
 * @returns a key naming that state (equal keys in later looks: nothing moved), or undefined.
 */
export function stuckKey(scan: Scan, objects: ObjectIndex): string | undefined {
  if (scan.threads.length === 0) return undefined;
  if (!scan.threads.every((t) => waitsForever(t) && !aboutToWake(t, scan, objects))) return undefined;
  return scan.threads
    .map((t) => `${t.rec.ident}@${t.rec.waiting!.objectId}@${t.since}@${t.rec.opCount}`)
    .sort()
    .join(' ');
}
