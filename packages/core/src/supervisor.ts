import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { isLockedDown, setWorkerGate } from './lockdown.ts';
import { answer, answerError, createMailbox, type RpcRequest } from './mailbox.ts';
import { EXIT_CRASHED, EXIT_TERMINATED, F_FAILED, T_FLAGS, slotBase } from './layout.ts';
import { runtime, threadName } from './runtime.ts';
import { markDone, stateOf, statusTarget, threadTable } from './table.ts';
import { errorInfo, type ErrorInfo, type Outcome, type ThreadTask } from './task.ts';

/** The flags of Node's permission model this process runs under, for its workers to keep. */
const PERMISSION_ARGV = process.execArgv.filter((a) => /^--(experimental-permission|permission|allow-[a-z-]+|disable-warning)(=|$)/.test(a));

/*
 * The supervisor is the process's main thread. It creates every Worker, hears every
 * `exit` and `error`, records outcomes, and answers threads' requests through their
 * mailboxes. It never blocks, so it is always there to do so.
 *
 * A worker is either running one thread's task or idle in the pool (then unref'd, so
 * it does not keep the process alive). A daemon thread's worker is unref'd too: as in
 * Python, the process does not wait for daemon threads.
 */

const require = createRequire(import.meta.url);
const TSX_CJS = require.resolve('tsx/cjs');
const ENTRY = new URL('./worker-entry.ts', import.meta.url).pathname;
const BOOTSTRAP = `const { workerData } = require('node:worker_threads'); require(workerData.tsx); require(workerData.entry);`;
// In a locked-down process, a worker of the core's bootstrap is still allowed, made genuine
// whoever starts it: the real tsx and entry, this process's permission model, locked down.
setWorkerGate({
  bootstrap: BOOTSTRAP,
  genuine: (options) => ({ ...options, eval: true, execArgv: PERMISSION_ARGV, workerData: { ...(options?.workerData as object), tsx: TSX_CJS, entry: ENTRY, lockdown: true } }),
});

interface WorkerRecord {
  readonly worker: Worker;
  readonly box: SharedArrayBuffer;
  task: ThreadTask | undefined;
  /** Set by an 'error' event: what killed the worker, reported when it exits. */
  fatal: ErrorInfo | undefined;
}

export interface ThreadExceptionInfo {
  readonly ident: number;
  readonly name: string;
  readonly error: ErrorInfo;
  readonly crashed: boolean;
}

export interface SupervisorOptions {
  /** Idle workers kept for reuse (0: every thread gets a new worker). Reused workers keep module state. */
  readonly poolSize?: number;
  /** Heap limits for every worker (they do not bound ArrayBuffers: bound the process for that). */
  readonly resourceLimits?: ResourceLimits;
}

const MAX_KEPT_OUTCOMES = 10_000;

class Supervisor {
  private readonly records = new Set<WorkerRecord>();
  private readonly idle: WorkerRecord[] = [];
  private readonly outcomes = new Map<number, Outcome>();
  private readonly outcomeWaiters = new Map<number, Array<(o: Outcome) => void>>();
  readonly exceptionHandlers = new Set<(info: ThreadExceptionInfo) => void>();
  options: SupervisorOptions = {};

  /** Tasks held back by `startTogether`, posted when it returns. */
  private held: ThreadTask[] | undefined;

  /**
   * Runs `fn`, holding back the threads it starts until it returns, then hands them to
   * their workers one right after the other: each hand-off wakes a worker, and a worker
   * woken early competes for a core with the supervisor still preparing the next start.
   */
  startTogether<T>(fn: () => T): T {
    if (this.held !== undefined) return fn();
    const held: ThreadTask[] = [];
    this.held = held;
    try {
      return fn();
    } finally {
      this.held = undefined;
      for (const task of held) this.startHeld(task);
    }
  }

  /** Starts a held task; one that cannot be handed to a worker ends as crashed, with why, and the others still start. */
  private startHeld(task: ThreadTask): void {
    try {
      this.start(task);
    } catch (e) {
      this.endThread(task.slot, task.ident, { kind: 'crashed', error: { ...errorInfo(e), message: `thread '${task.name}' could not be handed to a worker: ${(e as Error).message}` } });
    }
  }

  start(task: ThreadTask): void {
    if (this.held !== undefined) {
      this.held.push(task);
      return;
    }
    const reused = this.idle.pop();
    if (reused !== undefined) {
      reused.task = task;
      if (!task.daemon) reused.worker.ref();
      reused.worker.postMessage({ type: 'task', task });
      return;
    }
    const box = createMailbox();
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      // Not the parent's loaders (the bootstrap registers tsx itself), but its permission
      // model: a worker given execArgv of its own would run without it.
      execArgv: PERMISSION_ARGV,
      workerData: { runtime: runtime().sab, mailbox: box, task, tsx: TSX_CJS, entry: ENTRY, lockdown: isLockedDown() },
      ...(this.options.resourceLimits === undefined ? {} : { resourceLimits: this.options.resourceLimits }),
    });
    const rec: WorkerRecord = { worker, box, task, fatal: undefined };
    this.records.add(rec);
    if (task.daemon) worker.unref();
    worker.on('message', (m: unknown) => this.onMessage(rec, m));
    worker.on('error', (e: unknown) => {
      rec.fatal = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack ?? e.message } : { name: 'Error', message: String(e), stack: String(e) };
    });
    worker.on('exit', (code: number) => this.onExit(rec, code));
  }

  private onMessage(rec: WorkerRecord, m: unknown): void {
    const msg = m as { type?: string } & Record<string, unknown>;
    switch (msg.type) {
      case 'start':
        this.start(msg['task'] as ThreadTask);
        return;
      case 'rpc':
        this.onRpc(rec, msg as unknown as RpcRequest);
        return;
      case 'outcome':
        this.record(msg['ident'] as number, msg['outcome'] as Outcome);
        return;
      case 'idle':
        this.onIdle(rec);
        return;
    }
  }

  private onRpc(rec: WorkerRecord, req: RpcRequest): void {
    if (req.method === 'outcome') {
      void this.outcome(req.args as number).then((o) => answer(rec.box, o));
      return;
    }
    answerError(rec.box, `unknown request ${req.method}`);
  }

  private onIdle(rec: WorkerRecord): void {
    rec.task = undefined;
    queueMicrotask(() => this.wakeSettled());
    const size = this.options.poolSize ?? 0;
    if (this.idle.length < size) {
      rec.worker.unref();
      this.idle.push(rec);
    } else {
      void rec.worker.terminate();
    }
  }

  private onExit(rec: WorkerRecord, code: number): void {
    // The record is dropped only after the outcome is recorded: reporting an exception
    // looks the thread's name up through it ("Exception in thread quitter", not "#3").
    try {
      this.recordExit(rec, code);
    } finally {
      this.records.delete(rec);
      this.wakeSettled();
    }
  }

  private recordExit(rec: WorkerRecord, code: number): void {
    const at = this.idle.indexOf(rec);
    if (at >= 0) this.idle.splice(at, 1);
    const task = rec.task;
    if (task === undefined) return;
    const terminated = rec.fatal === undefined && code === 1 && this.terminating.has(rec);
    this.terminating.delete(rec);
    const error = rec.fatal ?? {
      name: 'ThreadExit',
      message: `thread '${task.name}' ended before its target returned (its worker exited with code ${code}; was process.exit() called?)`,
      stack: '',
    };
    this.endThread(task.slot, task.ident, terminated ? { kind: 'terminated' } : { kind: 'crashed', error });
  }

  /**
   * Ends, for the supervisor, a thread whose target never returned: marks it done in the
   * table (a crash also flags it failed), records the outcome and wakes its joiners.
   * @returns false when the thread had ended already.
   */
  private endThread(slot: number, ident: number, outcome: Extract<Outcome, { kind: 'terminated' | 'crashed' }>): boolean {
    if (!markDone(slot, ident, outcome.kind === 'terminated' ? EXIT_TERMINATED : EXIT_CRASHED)) return false;
    if (outcome.kind === 'crashed') Atomics.or(runtime().i32, slotBase(slot) + T_FLAGS, F_FAILED);
    this.record(ident, outcome);
    const t = statusTarget(slot);
    Atomics.notify(t.i32, t.index);
    return true;
  }

  private record(ident: number, outcome: Outcome): void {
    if (this.outcomes.has(ident)) return;
    this.outcomes.set(ident, outcome);
    if (this.outcomes.size > MAX_KEPT_OUTCOMES) {
      const oldest = this.outcomes.keys().next().value as number;
      this.outcomes.delete(oldest);
    }
    const waiters = this.outcomeWaiters.get(ident);
    this.outcomeWaiters.delete(ident);
    waiters?.forEach((w) => w(outcome));
    if (outcome.kind === 'raised' || outcome.kind === 'crashed') this.reportException(ident, outcome.error, outcome.kind === 'crashed');
  }

  private reportException(ident: number, error: ErrorInfo, crashed: boolean): void {
    const name = this.nameOf(ident);
    if (this.exceptionHandlers.size > 0) {
      for (const h of this.exceptionHandlers) h({ ident, name, error, crashed });
      return;
    }
    writeSync(2, `Exception in thread ${name}:\n${error.stack || `${error.name}: ${error.message}`}\n`);
  }

  private nameOf(ident: number): string {
    for (const rec of this.records) if (rec.task?.ident === ident) return threadName(rec.task.slot);
    return `#${ident}`;
  }

  /** The outcome of thread `ident`, once it is known. */
  outcome(ident: number): Promise<Outcome> {
    const known = this.outcomes.get(ident);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const list = this.outcomeWaiters.get(ident) ?? [];
      list.push(resolve);
      this.outcomeWaiters.set(ident, list);
    });
  }

  peekOutcome(ident: number): Outcome | undefined {
    return this.outcomes.get(ident);
  }

  private readonly terminating = new Set<WorkerRecord>();

  /** Stops every thread and every pooled worker; their joiners wake and see them done. */
  async terminateAll(): Promise<void> {
    const all = [...this.records];
    this.idle.length = 0;
    for (const rec of all) this.terminating.add(rec);
    await keepingAlive(Promise.all(all.map((rec) => rec.worker.terminate())));
  }

  /** Stops the threads with these idents (their workers are not reused). */
  async terminate(idents: ReadonlySet<number>): Promise<void> {
    const hit = [...this.records].filter((r) => r.task !== undefined && idents.has(r.task.ident));
    for (const rec of hit) this.terminating.add(rec);
    await keepingAlive(Promise.all(hit.map((rec) => rec.worker.terminate())));
  }

  /**
   * Marks done every live thread that no worker runs, and returns how many there were. A
   * thread terminated between claiming a slot for a child thread and asking for the
   * child's worker leaves such a slot behind, alive in the table for ever. Call it only
   * once every thread that could still start one has been stopped.
   */
  reapOrphans(): number {
    const running = new Set<number>();
    for (const rec of this.records) if (rec.task !== undefined) running.add(rec.task.ident);
    let reaped = 0;
    for (const r of threadTable()) {
      if (r.slot === 0 || running.has(r.ident) || !this.endThread(r.slot, r.ident, { kind: 'terminated' })) continue;
      reaped++;
    }
    return reaped;
  }

  /** Pooled workers waiting for a task (a worker whose thread just ended joins them a moment later). */
  get idleCount(): number {
    return this.idle.length;
  }

  private readonly settleWaiters: Array<() => void> = [];

  /** Workers whose thread has finished but that have not yet reported back (idle or gone). */
  private finishing(): number {
    let n = 0;
    for (const rec of this.records) if (rec.task !== undefined && stateOf(rec.task.slot, rec.task.ident) === 'done') n++;
    return n;
  }

  /**
   * Resolves once every worker whose thread has finished is back in the pool (or gone).
   * Run after run on pooled workers, waiting for this keeps each run from starting new
   * workers while the last run's are a message away from being free.
   */
  settle(): Promise<void> {
    if (this.finishing() === 0) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private wakeSettled(): void {
    if (this.settleWaiters.length === 0 || this.finishing() > 0) return;
    for (const w of this.settleWaiters.splice(0)) w();
  }

  /** Workers alive now, pooled ones included. */
  get workerCount(): number {
    return this.records.size;
  }
}

/**
 * Awaits `p` with a timer held. A worker being terminated keeps nothing alive: a process
 * whose last task was awaiting `terminate()` ended with "unsettled top-level await"
 * (exit 13) before the workers' exit was reported.
 */
async function keepingAlive<T>(p: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 1 << 30);
  try {
    return await p;
  } finally {
    clearInterval(timer);
  }
}

let instance: Supervisor | undefined;

export function supervisor(): Supervisor {
  instance ??= new Supervisor();
  return instance;
}

/** Sets how the supervisor runs threads: worker pooling and heap limits. */
export function configureSupervisor(options: SupervisorOptions): void {
  supervisor().options = { ...supervisor().options, ...options };
}

/**
 * Calls `handler` instead of printing "Exception in thread NAME:" when a thread raises
 * or dies. @returns a function that removes the handler.
 */
export function onThreadException(handler: (info: ThreadExceptionInfo) => void): () => void {
  supervisor().exceptionHandlers.add(handler);
  return () => supervisor().exceptionHandlers.delete(handler);
}

/** Terminates every thread and pooled worker of this process (tests call it in afterEach). */
export function terminateAllThreads(): Promise<void> {
  return supervisor().terminateAll();
}

/** The number of workers alive in this process, idle pooled ones included. */
export function liveWorkerCount(): number {
  return instance === undefined ? 0 : instance.workerCount;
}
