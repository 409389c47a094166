import { fileURLToPath } from 'node:url';
import { pack, unpack } from './handles.ts';
import { H_MAIN_SLOT } from './layout.ts';
import { nextIdent, registerObject, runtime, setSupervisorHidden, setThreadName } from './runtime.ts';
import { seam } from './seam.ts';
import { supervisor } from './supervisor.ts';
import { allocateSlot, threadTable } from './table.ts';
import { threadView } from './thread.ts';
import type { ErrorInfo, Outcome } from './task.ts';

export interface ProgramOptions {
  /** The export to run; "main" by default. */
  readonly export?: string;
  readonly args?: readonly unknown[];
}

export interface ProgramResult {
  readonly outcome: Outcome;
  /** The value main() returned. */
  readonly result: unknown;
  /** What main() raised, or what killed its thread. */
  readonly error: ErrorInfo | undefined;
}

/**
 * Runs a module's exported `main()` as the main thread of a threaded program, where it
 * may block (`join()`, `acquire()`, `wait()`) as a Python program's main thread does.
 * Like Python, the program then waits for its non-daemon threads; daemon threads still
 * running are stopped. Call it on the supervising thread.
 *
 * @example
 * ```ts
 * const { error } = await runProgram(new URL('./bank.ts', import.meta.url).href);
 * ```
 */
export async function runProgram(module: string, options: ProgramOptions = {}): Promise<ProgramResult> {
  const rt = runtime();
  if (!rt.supervisor) throw new Error('runProgram() runs on the supervising thread; in a thread, start a Thread instead');
  const path = module.startsWith('file:') ? fileURLToPath(module) : module;
  // Packed as Thread.start() packs them, before a slot is taken: shared objects must cross
  // as handle records (a structured clone of a SharedInt is a dead copy), and an argument
  // that cannot cross is named.
  const args = (options.args ?? []).map((a, i) => pack(a, `args[${i}]`));
  const ident = nextIdent();
  const slot = allocateSlot(ident);
  const objectId = registerObject('Thread', 'MainThread');
  setThreadName(slot, 'MainThread');
  Atomics.store(rt.i32, H_MAIN_SLOT, slot);
  setSupervisorHidden(true);
  try {
    supervisor().start({
      slot,
      ident,
      objectId,
      name: 'MainThread',
      target: { module: path, export: options.export ?? 'main', kind: 'function' },
      args,
      fields: {},
      strategy: seam.config,
      daemon: false,
      programMain: true,
    });
    const main = threadView(slot, ident, 'MainThread', false);
    await main.joinAsync();
    const outcome = await supervisor().outcome(ident);
    // As Python does at exit: wait for every non-daemon thread, then stop the daemons.
    for (;;) {
      const others = threadTable().filter((r) => r.slot !== 0 && !r.daemon);
      if (others.length === 0) break;
      await Promise.all(others.map((r) => threadView(r.slot, r.ident, r.name, r.daemon).joinAsync()));
    }
    const daemons = threadTable().filter((r) => r.slot !== 0 && r.daemon);
    if (daemons.length > 0) await supervisor().terminate(new Set(daemons.map((r) => r.ident)));
    return {
      outcome,
      // The thread packed its result: rebuild the shared handles in it, as Thread.result does.
      result: outcome.kind === 'returned' ? unpack(outcome.value) : undefined,
      error: outcome.kind === 'raised' || outcome.kind === 'crashed' ? outcome.error : undefined,
    };
  } finally {
    Atomics.store(rt.i32, H_MAIN_SLOT, 0);
    setSupervisorHidden(false);
  }
}
