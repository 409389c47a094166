import { objectKindOf, operationOf, type ObjectKind, type Operation } from './kinds.ts';
import {
  F_DAEMON,
  F_HIDDEN,
  H_LIVE_THREADS,
  H_MAIN_SLOT,
  H_THREAD_LIMIT,
  MAX_THREADS,
  SLOT_WORDS,
  STATE_DONE,
  STATE_FREE,
  STATE_RANGE,
  STATE_RUNNING,
  STATE_STARTING,
  T_EXIT,
  T_FLAGS,
  T_IDENT,
  T_LAST_OBJECT,
  T_LAST_OP,
  T_NATIVE_ID,
  T_OP_COUNT,
  T_OS_TID,
  T_PARENT,
  T_STATUS,
  T_WAIT_HOLDER,
  T_WAIT_KIND,
  T_WAIT_OBJECT,
  T_WAIT_SINCE,
  T_WAIT_TIMEOUT,
  WAIT_FOREVER,
  slotBase,
} from './layout.ts';
import { objectRecord, runtime, setThreadName, threadName, waitSite } from './runtime.ts';
import type { WaitTarget } from './seam.ts';
import { ThreadingError } from './errors.ts';

/**
 * The thread table: one slot per live thread in the runtime's shared memory. Any
 * thread may read it (introspection, the grader's watchdog); a slot's status word is
 * written by the thread that starts it, the thread itself, and the supervisor when the
 * thread's worker exits.
 */

export type ThreadState = 'new' | 'running' | 'blocked' | 'done';

export interface WaitRecord {
  readonly op: Operation;
  readonly objectId: number;
  /** Kind of the object, when its record is still in the table. */
  readonly objectKind: ObjectKind | undefined;
  readonly objectLabel: string;
  /** Ident of the thread holding the object (0: nobody in particular). */
  readonly holder: number;
  /** Milliseconds since the wait began (approximate). */
  readonly forMs: number;
  /** The source line of the call that blocked, when sites are being recorded. */
  readonly site: string;
  /** The wait's timeout in milliseconds; Infinity when it waits until woken. */
  readonly timeoutMs: number;
}

export interface ThreadRecord {
  readonly slot: number;
  readonly ident: number;
  readonly name: string;
  readonly state: ThreadState;
  readonly daemon: boolean;
  readonly hidden: boolean;
  readonly nativeId: number;
  /** OS thread id (Linux; 0 elsewhere). */
  readonly osTid: number;
  readonly parent: number;
  readonly waiting: WaitRecord | null;
  readonly lastOp: Operation;
  readonly lastObjectLabel: string;
  readonly opCount: number;
  readonly exit: number;
}

export function statusOf(ident: number, state: number): number {
  return ident * STATE_RANGE + state;
}

/** The futex word joiners wait on: it changes exactly when the thread's state does. */
export function statusTarget(slot: number): WaitTarget {
  const index = slotBase(slot) + T_STATUS;
  return { i32: runtime().i32, index, key: -1 - index };
}

let nextScan = 1;

/** Claims a free slot for a new thread; a done thread's slot is free again. */
export function allocateSlot(ident: number): number {
  const i32 = runtime().i32;
  // The live count is taken before the slot, so that threads starting at once cannot pass the limit together.
  const live = Atomics.add(i32, H_LIVE_THREADS, 1);
  const limit = Atomics.load(i32, H_THREAD_LIMIT);
  if (limit > 0 && live >= limit) {
    Atomics.sub(i32, H_LIVE_THREADS, 1);
    throw new ThreadingError(
      'TOO_MANY_THREADS',
      `can't start a new thread: ${live} threads are alive already, the most allowed here is ${limit}. Join finished threads, or start fewer.`,
    );
  }
  for (let n = 0; n < MAX_THREADS - 1; n++) {
    const slot = 1 + ((nextScan + n - 1) % (MAX_THREADS - 1));
    const at = slotBase(slot) + T_STATUS;
    const s = Atomics.load(i32, at);
    const state = s % STATE_RANGE;
    if (state !== STATE_FREE && state !== STATE_DONE) continue;
    if (Atomics.compareExchange(i32, at, s, statusOf(ident, STATE_STARTING)) !== s) continue;
    nextScan = slot + 1;
    const base = slotBase(slot);
    // Every word of the slot but its status (was a literal 16, which left words past it stale).
    for (let k = 1; k < SLOT_WORDS; k++) if (k !== T_STATUS) Atomics.store(i32, base + k, 0);
    Atomics.store(i32, base + T_IDENT, ident);
    return slot;
  }
  Atomics.sub(i32, H_LIVE_THREADS, 1);
  throw new ThreadingError(
    'TOO_MANY_THREADS',
    `can't start a new thread: ${MAX_THREADS - 1} threads are alive already. Join finished threads, or start fewer.`,
  );
}

/** Marks a thread done (once: the thread itself and the supervisor may both try). */
export function markDone(slot: number, ident: number, exit: number): boolean {
  const i32 = runtime().i32;
  const at = slotBase(slot) + T_STATUS;
  for (;;) {
    const s = Atomics.load(i32, at);
    if (Math.floor(s / STATE_RANGE) !== ident || s % STATE_RANGE === STATE_DONE) return false;
    if (Atomics.compareExchange(i32, at, s, statusOf(ident, STATE_DONE)) === s) {
      Atomics.store(i32, slotBase(slot) + T_EXIT, exit);
      Atomics.sub(i32, H_LIVE_THREADS, 1);
      return true;
    }
  }
}

export function markRunning(slot: number, ident: number): void {
  const i32 = runtime().i32;
  Atomics.compareExchange(i32, slotBase(slot) + T_STATUS, statusOf(ident, STATE_STARTING), statusOf(ident, STATE_RUNNING));
}

/** The state of thread `ident` in `slot`; 'done' once the slot holds another thread. */
export function stateOf(slot: number, ident: number): ThreadState {
  const i32 = runtime().i32;
  const s = Atomics.load(i32, slotBase(slot) + T_STATUS);
  if (Math.floor(s / STATE_RANGE) !== ident) return 'done';
  const state = s % STATE_RANGE;
  if (state === STATE_DONE || state === STATE_FREE) return 'done';
  if (Atomics.load(i32, slotBase(slot) + T_WAIT_KIND) !== 0) return 'blocked';
  return 'running';
}

export function setName(slot: number, ident: number, name: string): void {
  if (Atomics.load(runtime().i32, slotBase(slot) + T_IDENT) === ident) setThreadName(slot, name);
}

export function objectLabel(id: number): string {
  const rec = objectRecord(id);
  if (rec === undefined) return `object#${id}`;
  const kind = objectKindOf(rec.kindCode);
  if (rec.owned) return `${rec.name} (its lock)`;
  return rec.name === '' ? `${kind}#${id}` : `${kind} '${rec.name}'`;
}

/** One thread's record, or undefined if `slot` holds no live or finished thread. */
export function readSlot(slot: number): ThreadRecord | undefined {
  const i32 = runtime().i32;
  const base = slotBase(slot);
  const s = Atomics.load(i32, base + T_STATUS);
  const ident = Math.floor(s / STATE_RANGE);
  if (s % STATE_RANGE === STATE_FREE || ident === 0) return undefined;
  const flags = Atomics.load(i32, base + T_FLAGS);
  const waitKind = Atomics.load(i32, base + T_WAIT_KIND);
  let waiting: WaitRecord | null = null;
  const state = stateOf(slot, ident);
  if (waitKind !== 0 && state === 'blocked') {
    const objectId = Atomics.load(i32, base + T_WAIT_OBJECT);
    const since = Atomics.load(i32, base + T_WAIT_SINCE);
    const rec = objectRecord(objectId);
    waiting = {
      op: operationOf(waitKind),
      objectId,
      objectKind: rec === undefined ? undefined : objectKindOf(rec.kindCode),
      objectLabel: objectLabel(objectId),
      holder: Atomics.load(i32, base + T_WAIT_HOLDER),
      forMs: ((Math.trunc(performance.now()) & 0x3fffffff) - since + 0x40000000) % 0x40000000,
      site: waitSite(slot),
      timeoutMs: Atomics.load(i32, base + T_WAIT_TIMEOUT) === WAIT_FOREVER ? Infinity : Atomics.load(i32, base + T_WAIT_TIMEOUT),
    };
  }
  const lastObject = Atomics.load(i32, base + T_LAST_OBJECT);
  return {
    slot,
    ident,
    name: threadName(slot),
    state,
    daemon: (flags & F_DAEMON) !== 0,
    hidden: (flags & F_HIDDEN) !== 0,
    nativeId: Atomics.load(i32, base + T_NATIVE_ID),
    osTid: Atomics.load(i32, base + T_OS_TID),
    parent: Atomics.load(i32, base + T_PARENT),
    waiting,
    lastOp: operationOf(Atomics.load(i32, base + T_LAST_OP)),
    lastObjectLabel: lastObject === 0 ? '' : objectLabel(lastObject),
    opCount: Atomics.load(i32, base + T_OP_COUNT),
    exit: Atomics.load(i32, base + T_EXIT),
  };
}

/** A snapshot of every thread that is alive (starting, running or blocked), the supervisor included. */
export function threadTable(): ThreadRecord[] {
  const out: ThreadRecord[] = [];
  for (let slot = 0; slot < MAX_THREADS; slot++) {
    const rec = readSlot(slot);
    if (rec !== undefined && rec.state !== 'done') out.push(rec);
  }
  return out;
}

export function mainSlot(): number {
  return Atomics.load(runtime().i32, H_MAIN_SLOT);
}

export function isStarting(slot: number, ident: number): boolean {
  return Atomics.load(runtime().i32, slotBase(slot) + T_STATUS) === statusOf(ident, STATE_STARTING);
}

