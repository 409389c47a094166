import { isMainThread } from 'node:worker_threads';
import {
  F_HIDDEN,
  F_SUPERVISOR,
  H_MAIN_SLOT,
  H_NEXT_IDENT,
  H_NEXT_OBJECT,
  INT32_WORDS,
  NAME_CHARS,
  NAMES_BASE,
  OBJECT_NAME_CHARS,
  OBJECT_NAME_SLOTS,
  OBJECT_NAMES_BASE,
  OBJECTS_BASE,
  RUNTIME_BYTES,
  SITE_CHARS,
  SITES_BASE,
  STATE_RANGE,
  STATE_RUNNING,
  T_FLAGS,
  T_IDENT,
  T_NATIVE_ID,
  T_STATUS,
  slotBase,
} from './layout.ts';
import { objectKindCode, type ObjectKind } from './kinds.ts';

/**
 * The process-wide runtime: one SharedArrayBuffer that every thread maps, holding the
 * thread table and the counters that hand out thread idents and object ids.
 *
 * The supervisor (the process's main thread) creates it; a worker adopts the one it is
 * handed at start. Slot 0 is always the supervisor.
 */
export interface Runtime {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly u16: Uint16Array;
  /** This thread's slot in the table. */
  slot: number;
  /** This thread's ident. */
  ident: number;
  /** True on the process's main thread, which owns every Worker and must never block. */
  readonly supervisor: boolean;
  /** True while a thread is importing its target's module (primitives made then are per-thread). */
  importing: boolean;
}

let current: Runtime | undefined;

function createRuntime(): Runtime {
  const sab = new SharedArrayBuffer(RUNTIME_BYTES);
  const rt: Runtime = {
    sab,
    i32: new Int32Array(sab, 0, INT32_WORDS),
    u16: new Uint16Array(sab, INT32_WORDS * 4),
    slot: 0,
    ident: 1,
    supervisor: true,
    importing: false,
  };
  const base = slotBase(0);
  Atomics.store(rt.i32, H_NEXT_IDENT, 2);
  Atomics.store(rt.i32, H_NEXT_OBJECT, 1);
  Atomics.store(rt.i32, H_MAIN_SLOT, 0);
  Atomics.store(rt.i32, base + T_IDENT, 1);
  Atomics.store(rt.i32, base + T_FLAGS, F_SUPERVISOR);
  Atomics.store(rt.i32, base + T_NATIVE_ID, 0);
  Atomics.store(rt.i32, base + T_STATUS, 1 * STATE_RANGE + STATE_RUNNING);
  writeString(rt.u16, NAMES_BASE, NAME_CHARS, 'MainThread');
  return rt;
}

/** The runtime of this thread; on the supervisor it is created on first use. */
export function runtime(): Runtime {
  if (current !== undefined) return current;
  if (!isMainThread) {
    throw new Error(
      'threadlings: this worker was not started by @threadlings/core, so it has no thread table. ' +
        'Start threads with `new Thread(...).start()` rather than `new Worker(...)`.',
    );
  }
  current = createRuntime();
  return current;
}

/** Called once by a worker's bootstrap with the buffer it was handed. */
export function adoptRuntime(sab: SharedArrayBuffer, slot: number, ident: number): Runtime {
  current = {
    sab,
    i32: new Int32Array(sab, 0, INT32_WORDS),
    u16: new Uint16Array(sab, INT32_WORDS * 4),
    slot,
    ident,
    supervisor: false,
    importing: false,
  };
  return current;
}

/** Rebinds this worker to another thread slot (pooled workers run many threads). */
export function bindSlot(slot: number, ident: number): void {
  const rt = runtime();
  rt.slot = slot;
  rt.ident = ident;
}

export function isSupervisor(): boolean {
  return current === undefined ? isMainThread : current.supervisor;
}

/** Hides the supervisor from enumerate() while a program's own main thread runs. */
export function setSupervisorHidden(hidden: boolean): void {
  const rt = runtime();
  const at = slotBase(0) + T_FLAGS;
  if (hidden) Atomics.or(rt.i32, at, F_HIDDEN);
  else Atomics.and(rt.i32, at, ~F_HIDDEN);
}

export function nextIdent(): number {
  return Atomics.add(runtime().i32, H_NEXT_IDENT, 1);
}

/** Gives a new shared object its process-wide id and records its kind and name for reports. */
export function registerObject(kind: ObjectKind, name: string | undefined): number {
  const rt = runtime();
  const id = Atomics.add(rt.i32, H_NEXT_OBJECT, 1);
  const at = id % OBJECT_NAME_SLOTS;
  Atomics.store(rt.i32, OBJECTS_BASE + at * 2, id);
  Atomics.store(rt.i32, OBJECTS_BASE + at * 2 + 1, objectKindCode(kind));
  writeString(rt.u16, OBJECT_NAMES_BASE + at * OBJECT_NAME_CHARS, OBJECT_NAME_CHARS, name ?? '');
  return id;
}

/** Set in an object's kind word when the object belongs to another (a Condition's own lock); its name is then the owner's label. */
const OWNED_FLAG = 0x10000;

/**
 * Records that object `id` is the inner part of another object, so that reports name it
 * after its owner ("Condition 'items' (its lock)") rather than by a number.
 */
export function markOwned(id: number, kind: ObjectKind, ownerLabel: string): void {
  const rt = runtime();
  const at = id % OBJECT_NAME_SLOTS;
  if (Atomics.load(rt.i32, OBJECTS_BASE + at * 2) !== id) return;
  Atomics.store(rt.i32, OBJECTS_BASE + at * 2 + 1, objectKindCode(kind) | OWNED_FLAG);
  writeString(rt.u16, OBJECT_NAMES_BASE + at * OBJECT_NAME_CHARS, OBJECT_NAME_CHARS, ownerLabel);
}

/**
 * The kind and name an object was registered with, if its record has not been overwritten
 * since; `owned` when the name is the label of the object it belongs to.
 */
export function objectRecord(id: number): { kindCode: number; name: string; owned: boolean } | undefined {
  const rt = runtime();
  const at = id % OBJECT_NAME_SLOTS;
  if (Atomics.load(rt.i32, OBJECTS_BASE + at * 2) !== id) return undefined;
  const word = Atomics.load(rt.i32, OBJECTS_BASE + at * 2 + 1);
  return {
    kindCode: word & (OWNED_FLAG - 1),
    owned: (word & OWNED_FLAG) !== 0,
    name: readString(rt.u16, OBJECT_NAMES_BASE + at * OBJECT_NAME_CHARS, OBJECT_NAME_CHARS),
  };
}

export function writeString(u16: Uint16Array, base: number, width: number, text: string): void {
  const n = Math.min(text.length, width - 1);
  for (let i = 0; i < n; i++) u16[base + i] = text.charCodeAt(i);
  u16[base + n] = 0;
}

export function readString(u16: Uint16Array, base: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    const c = u16[base + i]!;
    if (c === 0) break;
    out += String.fromCharCode(c);
  }
  return out;
}

export function threadName(slot: number): string {
  const rt = runtime();
  return readString(rt.u16, NAMES_BASE + slot * NAME_CHARS, NAME_CHARS);
}

export function setThreadName(slot: number, name: string): void {
  writeString(runtime().u16, NAMES_BASE + slot * NAME_CHARS, NAME_CHARS, name);
}

export function waitSite(slot: number): string {
  return readString(runtime().u16, SITES_BASE + slot * SITE_CHARS, SITE_CHARS);
}

export function setWaitSite(slot: number, site: string): void {
  writeString(runtime().u16, SITES_BASE + slot * SITE_CHARS, SITE_CHARS, site);
}
