import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { WorkerOptions } from 'node:worker_threads';

/*
 * What a thread of a graded submission may not do at run time, whatever way it reaches
 * Node's modules (a static import the grader's import check missed, `eval`, a `require`
 * obtained at run time): start or signal other processes, load native code or Node's raw
 * bindings, debug its own process (the inspector reads any closure, the grading channel's
 * secret included), register module hooks, run a package's build tools (esbuild's binary
 * writes files outside Node's permission model), or start a raw worker, which would not be
 * locked down. The module objects themselves are changed, and their ES module views
 * synced, so every route to them sees the same refusal.
 *
 * A grading child calls `lockDown()` on its main thread before any student code loads;
 * the supervisor then gives each worker it starts `lockdown: true`, and the worker locks
 * itself down before it loads its target. What stays allowed: signals to the process
 * itself (a thread may still crash its own process, which the grader reports), the workers
 * the core starts, and the one esbuild starts for tsx, before the lockdown (startEsbuild).
 */

/** Thrown by what a locked-down thread may not do. */
export class LockdownError extends Error {
  override name = 'LockdownError';
}

let locked = false;

/** True once this thread is locked down. */
export function isLockedDown(): boolean {
  return locked;
}

/** How the core's own workers are still allowed: its bootstrap, with genuine workerData and flags. */
export interface WorkerGate {
  /** The core's bootstrap code and the workerData and execArgv its workers must have. */
  readonly bootstrap: string;
  readonly genuine: (options: WorkerOptions | undefined) => WorkerOptions;
}

let gate: WorkerGate | undefined;

/** The supervisor's way to start its workers in a locked-down process. */
export function setWorkerGate(g: WorkerGate): void {
  gate = g;
}

function refusal(what: string, why: string): () => never {
  return () => {
    throw new LockdownError(`${what} is not allowed in a graded thread: ${why}`);
  };
}

function fix(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: true });
}

/**
 * Locks this thread down (see above). Idempotent.
 *
 * @example
 * ```ts
 * lockDown(); // then load the submission
 * ```
 */
export function lockDown(): void {
  if (locked) return;
  locked = true;
  const require = createRequire(import.meta.url);
  startEsbuild(require);
  const processes = 'a submission runs in the threads the grader gives it and starts no process';

  const childProcess = require('node:child_process') as Record<string, unknown>;
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = refusal(`child_process.${name}()`, processes);
  const cluster = require('node:cluster') as Record<string, unknown>;
  cluster['fork'] = refusal('cluster.fork()', processes);

  // process.kill() checks its arguments and calls process._kill(): both keep to this process.
  const ownPid = process.pid;
  const rawKill = (process as unknown as { _kill: (pid: number, signal: number) => number })._kill.bind(process);
  const signalOwn = (pid: unknown): void => {
    if (pid !== ownPid) throw new LockdownError(`sending a signal to process ${String(pid)} is not allowed in a graded thread: a thread may signal only its own process (${ownPid})`);
  };
  const kill = process.kill.bind(process);
  fix(process, '_kill', (pid: number, signal: number) => {
    signalOwn(pid);
    return rawKill(pid, signal);
  });
  fix(process, 'kill', (pid: number, signal?: string | number) => {
    signalOwn(pid);
    return kill(pid, signal);
  });
  const os = require('node:os') as Record<string, unknown>;
  const setPriority = os['setPriority'] as (pid: number, priority?: number) => void;
  os['setPriority'] = (pid: number, priority?: number) => {
    if (priority === undefined) return setPriority(pid);
    signalOwn(pid === 0 ? ownPid : pid);
    return setPriority(pid, priority);
  };

  const native = 'Node\'s raw bindings and native addons reach around the grader';
  fix(process, 'binding', refusal('process.binding()', native));
  fix(process, '_linkedBinding', refusal('process._linkedBinding()', native));
  fix(process, 'dlopen', refusal('process.dlopen()', native));
  const inspector = require('node:inspector') as Record<string, unknown>;
  const debugging = 'the inspector reads and changes everything in this process';
  inspector['open'] = refusal('inspector.open()', debugging);
  inspector['Session'] = class Session {
    constructor() {
      refusal('inspector.Session', debugging)();
    }
  };
  const moduleApi = require('node:module') as Record<string, unknown>;
  moduleApi['register'] = refusal('module.register()', 'module hooks would change how the checks load');

  const workerThreads = require('node:worker_threads') as { Worker: new (file: string | URL, options?: WorkerOptions) => object };
  const RealWorker = workerThreads.Worker;
  workerThreads.Worker = class Worker extends RealWorker {
    constructor(file: string | URL, options?: WorkerOptions) {
      if (gate !== undefined && file === gate.bootstrap) {
        super(file, gate.genuine(options));
      } else {
        refusal('new Worker()', 'start threads with the core\'s Thread, which the grader sees')();
        super(file, options);
      }
    }
  };
  syncBuiltinESMExports();
}

/*
 * tsx compiles each module a thread loads with esbuild's sync API, which runs esbuild's
 * binary from a worker of its own. That worker is started here, before any raw worker is
 * refused; and the copy of esbuild a submission would find in the module cache can only
 * transform, as tsx does: esbuild's build tools write files, outside Node's permission
 * model. A fresh copy (out of the cache) would need a process or a raw worker of its own.
 */
function startEsbuild(require: NodeJS.Require): void {
  let path: string;
  let esbuild: Record<string, unknown>;
  try {
    path = require.resolve('esbuild', { paths: [require.resolve('tsx')] });
    esbuild = require(path) as Record<string, unknown>;
    (esbuild['transformSync'] as (code: string) => unknown)('');
  } catch {
    return; // no esbuild beside tsx: tsx does without it here
  }
  const entry = require.cache[path];
  if (entry === undefined) return;
  const builds = new Set(['build', 'buildSync', 'context', 'serve']);
  const view: Record<string, unknown> = {};
  for (const name of Object.keys(esbuild)) {
    view[name] = builds.has(name) ? refusal(`esbuild.${name}()`, 'esbuild\'s binary writes files outside the grading') : esbuild[name];
  }
  entry.exports = Object.freeze(view);
}
