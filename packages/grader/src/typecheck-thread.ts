import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ImportProblem } from './grading/import-guard.ts';
import type { TypeProblem } from './typecheck.ts';

/*
 * The CLI's TypeScript work (the import guard and the typecheck) runs on a thread of its
 * own, so that it overlaps the grading child's checks instead of coming before them:
 * loading and parsing TypeScript is most of a cold grade's time. One thread serves the
 * whole process, and keeps its parsed files between requests (watch mode, kit checks);
 * it does not keep the process alive while nobody waits for it.
 */

const require = createRequire(import.meta.url);
const TSX_CJS = require.resolve('tsx/cjs');
const ENTRY = fileURLToPath(new URL('./typecheck-worker.ts', import.meta.url));
const BOOTSTRAP = `const { workerData } = require('node:worker_threads'); require(workerData.tsx); require(workerData.entry);`;

export type TypecheckMethod = 'imports' | 'check';

export interface TypecheckRequest {
  readonly id: number;
  readonly method: TypecheckMethod;
  readonly sourceRoot: string;
  readonly files: readonly string[];
}

export type TypecheckReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack: string } };

interface Pending {
  /** The thread asked: a thread that ends fails its own requests only. */
  readonly worker: Worker;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class TypecheckThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** Starts the thread now (TypeScript loads meanwhile), for requests that come later. */
  warm(): void {
    this.thread();
  }

  /** The imports the student's `files` may not make (import-guard.ts). */
  imports(sourceRoot: string, files: readonly string[]): Promise<ImportProblem[]> {
    return this.call('imports', sourceRoot, files) as Promise<ImportProblem[]>;
  }

  /** The TypeScript errors in `files` (Typechecker.check). */
  check(sourceRoot: string, files: readonly string[]): Promise<TypeProblem[]> {
    return this.call('check', sourceRoot, files) as Promise<TypeProblem[]>;
  }

  /** Stops the thread; a later request starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private call(method: TypecheckMethod, sourceRoot: string, files: readonly string[]): Promise<unknown> {
    const worker = this.thread();
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { worker, resolve, reject }));
    worker.ref();
    worker.postMessage({ id, method, sourceRoot, files: [...files] } satisfies TypecheckRequest);
    return reply;
  }

  private thread(): Worker {
    if (this.worker !== undefined) return this.worker;
    // Not the CLI's own flags: `--import tsx` would start a second loader thread for nothing.
    const worker = new Worker(BOOTSTRAP, { eval: true, execArgv: [], workerData: { tsx: TSX_CJS, entry: ENTRY } });
    worker.on('message', (reply: TypecheckReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((p) => p.worker === worker)) worker.unref();
      if (waiting === undefined) return;
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(error);
      }
    };
    worker.on('error', (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => fail(new Error(`the typecheck thread exited (code ${code}) before it answered`)));
    // After the listeners, which ref it again: an idle thread keeps no process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

let shared: TypecheckThread | undefined;

/** The process's typecheck thread. */
export function typecheckThread(): TypecheckThread {
  shared ??= new TypecheckThread();
  return shared;
}
