import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { pack, unpack } from './handles.ts';
import { EXIT_RAISED, EXIT_RETURNED, F_DAEMON, F_FAILED, F_PROGRAM_MAIN, H_MAIN_SLOT, T_FLAGS, T_NATIVE_ID, T_OS_TID, slotBase } from './layout.ts';
import { lockDown } from './lockdown.ts';
import { setMailbox } from './mailbox.ts';
import { adoptRuntime, bindSlot, runtime } from './runtime.ts';
import { installStrategy, seam, wake } from './seam.ts';
import { markDone, markRunning, statusTarget } from './table.ts';
import { writeAll } from './print.ts';
import { errorInfo, type Outcome, type ThreadTask } from './task.ts';
import { bindCurrentThread, isThreadSubclass } from './thread.ts';
// Every kind of shared object registers how its handle is rebuilt when its module loads.
// A thread receives handles of every kind, including kinds its target's module never
// imports as values (`import type { Barrier }`, or untyped code): load them all here.
import './index.ts';

/*
 * A worker's life: adopt the runtime, run a task (one thread), report its outcome, then
 * either end (the supervisor terminates it) or wait in the pool for the next task. The
 * outcome message is posted before the thread is marked done, so a joiner that asks the
 * supervisor for the result finds it there or on its way.
 */

const data = workerData as { runtime: SharedArrayBuffer; mailbox: SharedArrayBuffer; task: ThreadTask; lockdown?: boolean };
// A graded process's threads are locked down before any target loads (lockdown.ts).
if (data.lockdown === true) lockDown();
const port = parentPort!;
const load = createRequire(import.meta.url);

adoptRuntime(data.runtime, data.task.slot, data.task.ident);
const osTid = readOsTid();
writeOutputAtOnce();

/*
 * A worker's process.stdout and process.stderr (and so its console) post each write to
 * the supervisor's event loop, which prints it later — or never, when the program ends
 * first, and a thread blocked in Atomics.wait cannot flush. Here they write at once, as
 * print() does: every line arrives, in the order the threads wrote it.
 */
function writeOutputAtOnce(): void {
  for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]] as const) {
    stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), done?: (e?: Error | null) => void): boolean => {
      writeAll(fd, typeof chunk === 'string' && typeof encoding === 'string' && encoding !== 'utf8' ? Buffer.from(chunk, encoding) : chunk);
      const callback = typeof encoding === 'function' ? encoding : done;
      if (callback !== undefined) queueMicrotask(() => callback(null));
      return true;
    }) as typeof stream.write;
  }
}

/** This worker's OS thread id on Linux (0 elsewhere): /proc/self/task/<tid>/stat has its own CPU time. */
function readOsTid(): number {
  try {
    return Number.parseInt(readFileSync('/proc/thread-self/stat', 'utf8'), 10) || 0;
  } catch {
    return 0;
  }
}
/*
 * A promise rejected with nothing to handle it is the thread's error, as an exception it
 * raised: Node reports it once the microtasks have run, so a thread's end waits one turn of
 * the event loop for it. One that comes later, after the thread has ended, is dropped when
 * the next thread starts here rather than blamed on it.
 */
const rejections: unknown[] = [];
// Node's own, taken before a scheduler wraps the global one to note the timers a thread uses.
const nextTurn = globalThis.setImmediate;
process.on('unhandledRejection', (reason) => {
  rejections.push(reason);
});

/** The first rejection nobody handled while the thread ran, as the error it raised. */
function unhandledRejection(): Outcome | undefined {
  if (rejections.length === 0) return undefined;
  const reason = rejections.splice(0)[0];
  const error = errorInfo(reason);
  return { kind: 'raised', error: { ...error, message: `${error.message} (a promise was rejected with this, and nothing awaited it or caught it)` } };
}

setMailbox(data.mailbox);
port.on('message', (m: { type?: string; task?: ThreadTask }) => {
  if (m.type === 'task' && m.task !== undefined) void runTask(m.task);
});
void runTask(data.task);

function loadTarget(task: ThreadTask): unknown {
  const rt = runtime();
  rt.importing = true;
  let mod: Record<string, unknown>;
  try {
    mod = load(task.target.module) as Record<string, unknown>;
  } finally {
    rt.importing = false;
  }
  const value = mod[task.target.export];
  const what = task.target.kind === 'subclass' ? 'Thread subclass' : 'target';
  if (task.target.kind === 'subclass' ? !isThreadSubclass(value) : typeof value !== 'function') {
    throw new TypeError(
      `${what} \`${task.target.export}\` is not exported by ${task.target.module}. ` +
        `A new thread loads its ${what} from the module's exports: add \`export\` to its declaration` +
        (task.target.kind === 'subclass' ? ', or give the class `static module = import.meta.url`.' : ', or pass `module` with the module that exports it.'),
    );
  }
  return value;
}

async function runTask(task: ThreadTask): Promise<void> {
  rejections.length = 0;
  bindSlot(task.slot, task.ident);
  const rt = runtime();
  const base = slotBase(task.slot);
  Atomics.store(rt.i32, base + T_NATIVE_ID, threadId);
  Atomics.store(rt.i32, base + T_OS_TID, osTid);
  if (task.daemon) Atomics.or(rt.i32, base + T_FLAGS, F_DAEMON);
  if (task.programMain) {
    Atomics.or(rt.i32, base + T_FLAGS, F_PROGRAM_MAIN);
    Atomics.store(rt.i32, H_MAIN_SLOT, task.slot);
  }
  let outcome: Outcome;
  let strategyStarted = false;
  try {
    installStrategy(task.strategy);
    markRunning(task.slot, task.ident);
    // The strategy hears of the thread before its module loads, so that it also hears of
    // its end when the import fails.
    seam.strategy?.threadStart?.();
    strategyStarted = true;
    const target = loadTarget(task);
    seam.strategy?.threadLoaded?.();
    let value: unknown;
    if (task.target.kind === 'subclass') {
      const instance = Object.create((target as { prototype: object }).prototype) as { run(): unknown };
      Object.assign(instance, unpack(task.fields));
      bindCurrentThread(instance, task);
      value = instance.run();
    } else {
      bindCurrentThread(undefined, task);
      value = (target as (...a: unknown[]) => unknown)(...(unpack(task.args) as unknown[]));
    }
    if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') value = await value;
    outcome = { kind: 'returned', value: pack(value, 'the thread\'s result') };
  } catch (e) {
    outcome = { kind: 'raised', error: errorInfo(e) };
  }
  await new Promise((resolve) => nextTurn(resolve));
  if (outcome.kind === 'returned') outcome = unhandledRejection() ?? outcome;
  port.postMessage({ type: 'outcome', ident: task.ident, outcome });
  if (outcome.kind !== 'returned') Atomics.or(rt.i32, base + T_FLAGS, F_FAILED);
  markDone(task.slot, task.ident, outcome.kind === 'returned' ? EXIT_RETURNED : EXIT_RAISED);
  wake(statusTarget(task.slot), Infinity);
  if (strategyStarted) seam.strategy?.threadEnd?.();
  installStrategy(null);
  port.postMessage({ type: 'idle' });
}
