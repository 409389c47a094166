import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ThreadingError, SupervisorBlockError } from './errors.ts';
import { operationCode, type ObjectKind, type Operation } from './kinds.ts';
import {
  H_RECORD_SITES,
  T_LAST_OBJECT,
  T_LAST_OP,
  T_OP_COUNT,
  T_WAIT_HOLDER,
  T_WAIT_KIND,
  T_WAIT_OBJECT,
  T_WAIT_SINCE,
  T_WAIT_TIMEOUT,
  WAIT_FOREVER,
  slotBase,
} from './layout.ts';
import { runtime, setWaitSite } from './runtime.ts';

/**
 * The seam: the one place every primitive operation and shared-cell access passes
 * through. With no strategy installed each call site costs one property load.
 *
 * A strategy sees three things:
 *   - `point`: a thread is about to perform an operation on a shared object. The
 *     strategy may return at once, delay the thread (chaos), or park it until it is
 *     chosen to run (controlled scheduling).
 *   - `wait`/`wake`: a thread is about to block on a futex word, or to wake the threads
 *     blocked on one. The strategy may replace the real `Atomics.wait`/`Atomics.notify`
 *     (controlled scheduling parks the thread in its own scheduler instead).
 *   - `now`/`sleep`: the clock timeouts and `sleep()` use (virtual under control).
 * The thread table (who waits on what, held by whom) is kept by the seam itself on
 * every blocking path, whatever the strategy.
 */
export interface SharedObject {
  /** Process-wide id, unique for the life of the process. */
  readonly id: number;
  readonly kind: ObjectKind;
  /** How reports name the object: its name if it was given one, else `Kind#id`. */
  readonly label: string;
}

/** A futex word: the array and index to wait on, and a process-wide key naming that word. */
export interface WaitTarget {
  readonly i32: Int32Array;
  readonly index: number;
  /** Equal keys in two threads mean the same word. */
  readonly key: number;
}

/** What a thread is blocked on, recorded in the thread table while it waits. */
export interface WaitInfo {
  readonly op: Operation;
  readonly object: SharedObject;
  /** Ident of the thread that holds the object, or 0 when nobody in particular does. */
  readonly holder: number;
}

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

export interface Strategy {
  /** Before each operation on a shared object. `value` is the value written, where there is one. */
  point?(op: Operation, object: SharedObject, value?: number): void;
  /** After a shared-cell read, with the value read. */
  observe?(op: Operation, object: SharedObject, value: number): void;
  /** Replaces `Atomics.wait` for a thread about to block. `timeoutMs` is Infinity for no timeout. */
  wait?(target: WaitTarget, expected: number, timeoutMs: number, info: WaitInfo): WaitResult;
  /**
   * Wakes the threads the strategy parked on this word; returns how many. The seam also
   * calls `Atomics.notify`, for waiters outside the strategy (the supervisor).
   */
  wake?(target: WaitTarget, count: number): number;
  /** The clock for timeouts, in milliseconds. */
  now?(): number;
  /** Replaces a real sleep. */
  sleep?(ms: number): void;
  /**
   * This thread is starting another one (ident and name known, worker not yet asked for),
   * so that a strategy can account for it before it runs.
   */
  threadStarting?(ident: number, name: string): void;
  /** This thread is about to run its target / has finished it. */
  threadStart?(): void;
  /**
   * The thread's code is loaded and about to run: what came before (waiting for a worker,
   * importing modules) is the machine's time, not the thread's. Called once the target's
   * module is loaded; a wrapper that loads more code itself may call it again after.
   */
  threadLoaded?(): void;
  threadEnd?(): void;
}

/** How a strategy is named across threads: a module, its export (a factory), and options. */
export interface StrategyConfig {
  readonly module: string;
  readonly export: string;
  readonly options?: unknown;
}

export type StrategyFactory = (options: unknown) => Strategy;

/** The installed strategy of this thread; `null` is the fast path. */
export const seam: { strategy: Strategy | null; config: StrategyConfig | null } = {
  strategy: null,
  config: null,
};

/**
 * Installs a strategy in this thread. On the supervisor it is recorded and handed to
 * every thread started afterwards (the supervisor's own operations never block, so
 * the strategy is not run there).
 */
export function installStrategy(config: StrategyConfig | null): void {
  seam.config = config;
  if (config === null || runtime().supervisor) {
    seam.strategy = null;
    return;
  }
  seam.strategy = loadStrategy(config);
}

/**
 * Factories already loaded in this thread, by module and export. A pooled worker runs
 * thousands of controlled threads one after another: resolving the module anew for each
 * of them cost more than the twenty steps of a small run.
 */
const factories = new Map<string, StrategyFactory>();

/** Loads a strategy factory in this thread (workers load modules through tsx's CommonJS hook). */
export function loadStrategy(config: StrategyConfig): Strategy {
  const key = `${config.export}\0${config.module}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    const path = config.module.startsWith('file:') ? new URL(config.module).pathname : config.module;
    const req = createRequire(pathToFileURL(path).href);
    const exported = (req(path) as Record<string, unknown>)[config.export];
    if (typeof exported !== 'function') {
      throw new ThreadingError(
        'BAD_STRATEGY',
        `strategy module ${config.module} has no exported function \`${config.export}\``,
      );
    }
    factory = exported as StrategyFactory;
    factories.set(key, factory);
  }
  return factory(config.options);
}

/** The slow path of a scheduling point: records the last operation, then asks the strategy. */
export function point(op: Operation, object: SharedObject, value?: number): void {
  const s = seam.strategy;
  if (s === null) return;
  const rt = runtime();
  const base = slotBase(rt.slot);
  Atomics.store(rt.i32, base + T_LAST_OP, operationCode(op));
  Atomics.store(rt.i32, base + T_LAST_OBJECT, object.id);
  Atomics.add(rt.i32, base + T_OP_COUNT, 1);
  s.point?.(op, object, value);
}

export function now(): number {
  const s = seam.strategy;
  return s !== null && s.now !== undefined ? s.now() : performance.now();
}

/**
 * Blocks this thread on a futex word until woken, the value differs, or the timeout ends.
 * Records in the thread table what the thread waits on while it waits.
 */
export function block(target: WaitTarget, expected: number, timeoutMs: number, info: WaitInfo): WaitResult {
  const rt = runtime();
  if (rt.supervisor) {
    if (Atomics.load(target.i32, target.index) !== expected) return 'not-equal';
    if (timeoutMs <= 0) return 'timed-out';
    throw new SupervisorBlockError(info.op, info.object.label);
  }
  const base = slotBase(rt.slot);
  const i32 = rt.i32;
  Atomics.store(i32, base + T_WAIT_OBJECT, info.object.id);
  Atomics.store(i32, base + T_WAIT_HOLDER, info.holder);
  Atomics.store(i32, base + T_WAIT_SINCE, Math.trunc(performance.now()) & 0x3fffffff);
  // Recorded so that a watchdog can tell a wait that ends by itself from one that cannot.
  Atomics.store(i32, base + T_WAIT_TIMEOUT, timeoutMs === Infinity ? WAIT_FOREVER : Math.min(0x3fffffff, Math.ceil(timeoutMs)));
  if (Atomics.load(i32, H_RECORD_SITES) !== 0) setWaitSite(rt.slot, callSite());
  // The kind is written last: a reader that sees it set sees the object and holder too.
  Atomics.store(i32, base + T_WAIT_KIND, operationCode(info.op));
  try {
    const s = seam.strategy;
    if (s !== null && s.wait !== undefined) return s.wait(target, expected, timeoutMs, info);
    return Atomics.wait(target.i32, target.index, expected, timeoutMs);
  } finally {
    Atomics.store(i32, base + T_WAIT_KIND, 0);
  }
}

/** Wakes up to `count` threads blocked on a futex word. */
export function wake(target: WaitTarget, count: number): number {
  const s = seam.strategy;
  if (s !== null && s.wake !== undefined) {
    const woken = s.wake(target, count);
    // Waiters outside the strategy's control (the supervisor's async joins) still need the real wake-up.
    Atomics.notify(target.i32, target.index, count);
    return woken;
  }
  return Atomics.notify(target.i32, target.index, count);
}

const CORE_DIR = new URL('.', import.meta.url).pathname;

/**
 * The first stack frame outside the core (and outside `alsoSkip`, folders of a strategy's
 * own code): the line of student code that made the call.
 */
export function callSite(alsoSkip: readonly string[] = []): string {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const at = line.trim();
    if (at.includes(CORE_DIR) || at.includes('node:') || alsoSkip.some((dir) => at.includes(dir))) continue;
    return at.replace(/^at /, '').slice(0, 158);
  }
  return '';
}
