import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { waitAsync } from './async-wait.ts';
import { RuntimeError, ValueError, argumentError, checkTimeout } from './errors.ts';
import { pack, unpack } from './handles.ts';
import { F_DAEMON, H_THREAD_NAME_COUNTER, NAME_CHARS, STATE_DONE, STATE_RANGE, T_FLAGS, T_IDENT, T_PARENT, slotBase } from './layout.ts';
import { callSupervisor } from './mailbox.ts';
import { nextIdent, registerObject, runtime, setThreadName, threadName } from './runtime.ts';
import { block, now, point, seam, type SharedObject } from './seam.ts';
import { supervisor } from './supervisor.ts';
import { allocateSlot, markDone, readSlot, setName, stateOf, statusTarget, type ThreadState, type WaitRecord } from './table.ts';
import { EXIT_NONE } from './layout.ts';
import type { ErrorInfo, Outcome, TargetRef, ThreadTask } from './task.ts';

export interface ThreadOptions {
  /**
   * The function the thread runs: an exported function, or the name of an export of
   * `module`. A thread imports its module afresh, so the function must be exported.
   */
  readonly target?: ((...args: never[]) => unknown) | string;
  /** Arguments for the target: plain data and shared objects (they arrive as handles to the same memory). */
  readonly args?: readonly unknown[];
  /** Defaults to "Thread-N". */
  readonly name?: string;
  /** A daemon thread does not keep the program alive. */
  readonly daemon?: boolean;
  /**
   * The module that exports the target (a `file:` URL or a path). Found by itself inside
   * threads; needed on the supervising thread when the target is imported from elsewhere.
   */
  readonly module?: string;
}

interface Internals {
  name: string;
  daemon: boolean;
  target: ThreadOptions['target'];
  args: readonly unknown[];
  module: string | undefined;
  started: boolean;
  slot: number;
  ident: number;
  objectId: number;
  outcome: Outcome | undefined;
  /** The OS thread id, once the thread has run (kept: its table slot is reused after it ends). */
  nativeId?: number;
}

/*
 * Thread's own state lives in this map rather than in fields, so that a subclass
 * instance's own fields are exactly what its author declared: those are what is sent
 * to the new thread.
 */
const internals = new WeakMap<object, Internals>();
const views = new Map<number, Thread>();
const requireHere = createRequire(import.meta.url);

function inner(t: object): Internals {
  const i = internals.get(t);
  if (i === undefined) throw new RuntimeError("Thread's constructor was not called for this object: call super(options) in the subclass constructor");
  return i;
}

/**
 * `plain`, and for a subclass why the thread was never started: the two mistakes that
 * leave it so are overriding start() (Thread's own start() is what makes the thread) and
 * calling run() yourself instead of start().
 */
function neverStarted(t: Thread, plain: string): string {
  if (Object.getPrototypeOf(t) === Thread.prototype) return plain;
  const cls = t.constructor as { name: string };
  if ((t as { start: unknown }).start !== Thread.prototype.start) {
    return `${plain}: ${cls.name} overrides start(), so Thread's own start(), the one that starts a new thread, never ran. Override run() instead: start() runs it on the new thread`;
  }
  return `${plain}: call start() first (calling run() yourself runs it on the calling thread and starts no thread)`;
}

function defaultName(): string {
  return `Thread-${Atomics.add(runtime().i32, H_THREAD_NAME_COUNTER, 1) + 1}`;
}

function toPath(module: string): string {
  return module.startsWith('file:') ? fileURLToPath(module) : module;
}

const CORE_DIR = new URL('.', import.meta.url).pathname;

/** The file of the first stack frame outside the core. */
function callerFile(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (m === null) continue;
    const file = toPath(m[1]!);
    if (file.startsWith(CORE_DIR) || file.includes('/node_modules/')) continue;
    return file;
  }
  return undefined;
}

/** Finds which loaded module exports `value`, searching the CommonJS module cache (every module a thread loads). */
function findExport(value: unknown, preferFile: string | undefined): { module: string; export: string } | undefined {
  const cache = requireHere.cache;
  const files = Object.keys(cache);
  if (preferFile !== undefined) files.unshift(preferFile);
  for (const file of files) {
    if (file.includes('/node_modules/')) continue;
    const exports = cache[file]?.exports as Record<string, unknown> | undefined;
    if (exports === undefined || exports === null || typeof exports !== 'object') continue;
    for (const key of Object.keys(exports)) {
      try {
        if (exports[key] === value) return { module: file, export: key };
      } catch {
        /* a getter that throws: not ours */
      }
    }
  }
  return undefined;
}

/** Where an exported function lives, so that another thread can import it (a thread's target, a barrier's action). */
export function locateTarget(target: NonNullable<ThreadOptions['target']>, module: string | undefined): TargetRef {
  if (typeof target === 'string') {
    if (module === undefined) throw argumentError('module', 'given when `target` is an export name', module, 'Pass `module: import.meta.url` of the module that exports it');
    return { module: toPath(module), export: target, kind: 'function' };
  }
  const caller = callerFile();
  const found = findExport(target, module === undefined ? caller : toPath(module));
  if (found !== undefined) return { ...found, kind: 'function' };
  if (!runtime().supervisor) {
    throw new ValueError(
      `target \`${target.name || '(anonymous)'}\` is not an exported function of any module this thread loaded. ` +
        'A new thread imports its target afresh: declare it with `export function ...` at the top level of a module.',
    );
  }
  const file = module === undefined ? caller : toPath(module);
  if (file === undefined || target.name === '') {
    throw argumentError('module', 'the module that exports the target', module, 'Pass `module: import.meta.url` (or the path) of the module where the target is exported');
  }
  return { module: file, export: target.name, kind: 'function' };
}

function locateSubclass(cls: { name: string; module?: unknown }): TargetRef {
  if (typeof cls.module === 'string') {
    const file = toPath(cls.module);
    const found = findExport(cls, file);
    return { module: file, export: found?.export ?? cls.name, kind: 'subclass' };
  }
  const found = findExport(cls, undefined);
  if (found !== undefined) return { ...found, kind: 'subclass' };
  if (!runtime().supervisor) {
    throw new ValueError(
      `Thread subclass ${cls.name} is not exported by any module this thread loaded. A new thread imports ` +
        `the class afresh: declare it with \`export class ${cls.name} extends Thread\`.`,
    );
  }
  const file = callerFile();
  if (file === undefined) throw new ValueError(`cannot tell which module exports Thread subclass ${cls.name}: give it \`static module = import.meta.url\``);
  return { module: file, export: cls.name, kind: 'subclass' };
}

export function isThreadSubclass(value: unknown): boolean {
  return typeof value === 'function' && value.prototype instanceof Thread;
}

/**
 * A thread of control, as Python's `threading.Thread`: each runs on its own worker
 * thread, truly in parallel, and blocks for real in `join()`, `acquire()` and `wait()`.
 *
 * Either pass a `target` (an exported function) with `args`, or export a subclass that
 * overrides `run()`; a subclass instance's own fields are copied into the new thread at
 * `start()` (shared objects among them arrive as handles to the same memory).
 *
 * @example
 * ```ts
 * export function count(counter: SharedInt, n: number) { for (let i = 0; i < n; i++) counter.add(1); }
 *
 * export function main() {
 *   const counter = new SharedInt(0);
 *   const threads = [1, 2].map((i) => new Thread({ target: count, args: [counter, 1000], name: `counter-${i}` }));
 *   threads.forEach((t) => t.start());
 *   threads.forEach((t) => t.join());
 *   print(counter.value);   // 2000
 * }
 * ```
 */
export class Thread {
  /** For a subclass used from the supervising thread: the module that exports it (`import.meta.url`). */
  static module?: string;

  constructor(options: ThreadOptions = {}) {
    if (options === null || typeof options !== 'object') throw argumentError('options', 'an object', options);
    const { target, args = [], name, daemon, module } = options;
    if (target !== undefined && typeof target !== 'function' && typeof target !== 'string') {
      throw argumentError('target', 'an exported function, or the name of an export of `module`', target);
    }
    if (!Array.isArray(args)) throw argumentError('args', 'an array of arguments', args);
    if (name !== undefined && typeof name !== 'string') throw argumentError('name', 'a string', name);
    if (daemon !== undefined && typeof daemon !== 'boolean') throw argumentError('daemon', 'a boolean', daemon);
    internals.set(this, {
      // As Python's `name or _newname()`: an empty name gets the default too.
      name: name === undefined || name === '' ? defaultName() : name,
      daemon: daemon ?? (isDaemonThread() ?? false),
      target,
      args,
      module,
      started: false,
      slot: -1,
      ident: 0,
      objectId: 0,
      outcome: undefined,
    });
  }

  /**
   * Starts the thread: its `run()` will execute on a new worker thread.
   * @throws RuntimeError "threads can only be started once".
   * @throws ValueError when the target is not an exported function, or an argument cannot be sent to a thread.
   */
  start(): void {
    const me = inner(this);
    if (me.started) throw new RuntimeError('threads can only be started once');
    const subclass = Object.getPrototypeOf(this) !== Thread.prototype && Object.getPrototypeOf(this).run !== Thread.prototype.run;
    let target: TargetRef | undefined;
    let args: unknown = [];
    let fields: unknown = {};
    if (subclass) {
      target = locateSubclass(this.constructor as { name: string; module?: unknown });
      fields = pack({ ...this }, `field of ${this.constructor.name}`);
    } else if (me.target !== undefined) {
      target = locateTarget(me.target, me.module);
      args = me.args.map((a, i) => pack(a, `args[${i}]`));
    }
    const rt = runtime();
    const ident = nextIdent();
    const slot = allocateSlot(ident);
    const objectId = registerObject('Thread', me.name);
    setThreadName(slot, me.name);
    Atomics.store(rt.i32, slotBase(slot) + T_PARENT, rt.ident);
    if (me.daemon) Atomics.or(rt.i32, slotBase(slot) + T_FLAGS, F_DAEMON);
    Object.assign(me, { started: true, slot, ident, objectId });
    // enumerate() and currentThread() in this thread give back this very object.
    views.set(ident, this);
    if (target === undefined) {
      // Nothing to run: the thread is born finished, as Python's Thread() with no target.
      me.outcome = { kind: 'returned', value: undefined };
      markDone(slot, ident, EXIT_NONE);
      return;
    }
    if (seam.strategy !== null) {
      point('start', this.asObject());
      seam.strategy?.threadStarting?.(ident, me.name);
    }
    const task: ThreadTask = {
      slot,
      ident,
      objectId,
      name: me.name,
      target,
      args,
      fields,
      strategy: seam.config,
      daemon: me.daemon,
      programMain: false,
    };
    try {
      if (rt.supervisor) supervisor().start(task);
      else parentPort!.postMessage({ type: 'start', task });
    } catch (e) {
      markDone(slot, ident, EXIT_NONE);
      Object.assign(me, { started: false });
      throw new ValueError(`thread '${me.name}' cannot be started: its arguments cannot be sent to a thread (${(e as Error).message})`);
    }
  }

  /** What the thread does: calls the target with the arguments. Subclasses override it. */
  run(): unknown {
    const me = inner(this);
    if (typeof me.target === 'function') return (me.target as (...a: unknown[]) => unknown)(...me.args);
    return undefined;
  }

  /**
   * Waits until the thread ends, or until `timeout` seconds pass (then check `isAlive()`).
   * @throws RuntimeError "cannot join thread before it is started", "cannot join current thread".
   */
  join(timeout?: number | null): void {
    const me = inner(this);
    const timeoutMs = checkTimeout('timeout', timeout, false);
    if (!me.started) throw new RuntimeError(neverStarted(this, 'cannot join thread before it is started'));
    const rt = runtime();
    if (me.ident === rt.ident) throw new RuntimeError('cannot join current thread');
    if (seam.strategy !== null) point('join', this.asObject());
    const target = statusTarget(me.slot);
    const deadline = now() + timeoutMs;
    for (;;) {
      const s = Atomics.load(target.i32, target.index);
      if (Math.floor(s / STATE_RANGE) !== me.ident || s % STATE_RANGE === STATE_DONE) return;
      const left = deadline === Infinity ? Infinity : Math.max(0, deadline - now());
      if (left === 0) return;
      block(target, s, left, { op: 'join', object: this.asObject(), holder: me.ident });
    }
  }

  /** Waits for the thread to end without blocking the calling thread (the supervisor's join). */
  async joinAsync(timeout?: number | null): Promise<void> {
    const me = inner(this);
    const deadline = performance.now() + checkTimeout('timeout', timeout, false);
    if (!me.started) throw new RuntimeError(neverStarted(this, 'cannot join thread before it is started'));
    const target = statusTarget(me.slot);
    for (;;) {
      const s = Atomics.load(target.i32, target.index);
      if (Math.floor(s / STATE_RANGE) !== me.ident || s % STATE_RANGE === STATE_DONE) break;
      const left = Math.max(0, deadline - performance.now());
      if (left === 0) return;
      await waitAsync(target.i32, target.index, s, left);
    }
    if (runtime().supervisor && me.outcome === undefined) me.outcome = await supervisor().outcome(me.ident);
  }

  /** True from `start()` until the thread's `run()` ends. */
  isAlive(): boolean {
    const me = inner(this);
    return me.started && stateOf(me.slot, me.ident) !== 'done';
  }

  /** 'new' before start(), then 'running', 'blocked' (see `waitingFor`) and 'done'. */
  get state(): ThreadState {
    const me = inner(this);
    return me.started ? stateOf(me.slot, me.ident) : 'new';
  }

  /** What the thread is blocked on now, and who holds it; null when it is not blocked. */
  get waitingFor(): WaitRecord | null {
    const me = inner(this);
    if (!me.started) return null;
    const rec = readSlot(me.slot);
    return rec !== undefined && rec.ident === me.ident ? rec.waiting : null;
  }

  get name(): string {
    const me = inner(this);
    // The thread table holds the name any thread gave it last, cut to NAME_CHARS - 1: take
    // it while the slot is still this thread's, keeping the whole name when the cut one is its start.
    if (me.started && Atomics.load(runtime().i32, slotBase(me.slot) + T_IDENT) === me.ident) {
      const shared = threadName(me.slot);
      if (!(shared.length === NAME_CHARS - 1 && me.name.startsWith(shared))) me.name = shared;
    }
    return me.name;
  }

  set name(value: string) {
    if (typeof value !== 'string') throw argumentError('name', 'a string', value);
    const me = inner(this);
    me.name = value;
    if (me.started) setName(me.slot, me.ident, value);
  }

  /** A number identifying the thread while it lives (undefined before start, as Python's None). */
  get ident(): number | undefined {
    const me = inner(this);
    return me.started ? me.ident : undefined;
  }

  /** The worker's thread id. */
  get nativeId(): number | undefined {
    const me = inner(this);
    if (!me.started) return undefined;
    if (me.nativeId === undefined) {
      const rec = readSlot(me.slot);
      if (rec !== undefined && rec.ident === me.ident && rec.nativeId !== 0) me.nativeId = rec.nativeId;
    }
    return me.nativeId;
  }

  get daemon(): boolean {
    return inner(this).daemon;
  }

  set daemon(value: boolean) {
    const me = inner(this);
    if (me.started) throw new RuntimeError('cannot set daemon status of active thread');
    if (typeof value !== 'boolean') throw argumentError('daemon', 'a boolean', value);
    me.daemon = value;
  }

  /**
   * What the target (or `run()`) returned, once the thread has ended.
   * @throws RuntimeError before the thread has ended (join it first).
   */
  get result(): unknown {
    const o = this.outcomeNow();
    return o.kind === 'returned' ? unpack(o.value) : undefined;
  }

  /** The error the thread raised (or what killed it), once it has ended; undefined if it returned. */
  get error(): ErrorInfo | undefined {
    const o = this.outcomeNow();
    if (o.kind === 'raised' || o.kind === 'crashed') return o.error;
    if (o.kind === 'terminated') return { name: 'Terminated', message: 'the thread was terminated by the supervisor', stack: '' };
    return undefined;
  }

  private outcomeNow(): Outcome {
    const me = inner(this);
    if (me.outcome !== undefined) return me.outcome;
    if (!me.started) throw new RuntimeError(neverStarted(this, `thread '${me.name}' has no result: it was never started`));
    if (stateOf(me.slot, me.ident) !== 'done') {
      throw new RuntimeError(`thread '${me.name}' has not finished: join() it before reading its result`);
    }
    const rt = runtime();
    const o = rt.supervisor ? supervisor().peekOutcome(me.ident) : (callSupervisor('outcome', me.ident) as Outcome);
    if (o === undefined) throw new RuntimeError(`the outcome of thread '${me.name}' has not reached the supervisor yet: use await t.joinAsync()`);
    me.outcome = o;
    return o;
  }

  /** The thread as a shared object, for scheduling points and wait records. */
  private asObject(): SharedObject {
    const me = inner(this);
    return { id: me.objectId, kind: 'Thread', label: `Thread '${this.name}'` };
  }

  toString(): string {
    const me = inner(this);
    const status = !me.started ? 'initial' : this.isAlive() ? 'started' : 'stopped';
    return `<${this.constructor.name}(${this.name}, ${status}${me.started ? ` ${me.ident}` : ''}${me.daemon ? ' daemon' : ''})>`;
  }
}

function isDaemonThread(): boolean | undefined {
  const rt = runtime();
  if (rt.supervisor) return undefined;
  return (Atomics.load(rt.i32, slotBase(rt.slot) + T_FLAGS) & F_DAEMON) !== 0;
}

/** A Thread object standing for a thread that is already running. */
export function threadView(slot: number, ident: number, name: string, daemon: boolean): Thread {
  const cached = views.get(ident);
  if (cached !== undefined) return cached;
  const t = Object.create(Thread.prototype) as Thread;
  internals.set(t, { name, daemon, target: undefined, args: [], module: undefined, started: true, slot, ident, objectId: 0, outcome: undefined });
  if (views.size > 1024) for (const [k, v] of views) if (!v.isAlive()) views.delete(k);
  views.set(ident, t);
  return t;
}

/** In a worker about to run a task: makes `currentThread()` return the subclass instance (or a view). */
export function bindCurrentThread(instance: object | undefined, task: ThreadTask): void {
  if (instance === undefined) {
    views.delete(task.ident);
    threadView(task.slot, task.ident, task.name, task.daemon);
    return;
  }
  internals.set(instance, {
    name: task.name,
    daemon: task.daemon,
    target: undefined,
    args: [],
    module: undefined,
    started: true,
    slot: task.slot,
    ident: task.ident,
    objectId: task.objectId,
    outcome: undefined,
  });
  views.set(task.ident, instance as Thread);
}
