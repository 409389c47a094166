import { createRequire } from 'node:module';
import type { Barrier } from '@threadlings/core';
import { seam } from '@threadlings/core/internal';

const load = createRequire(import.meta.url);

/**
 * The body of every scenario thread: wait at the start barrier (so that threads
 * released together really overlap: starting a worker takes longer than most races
 * last), then run the graded export. The graded module is imported here, in the thread.
 */
export function runScenarioThread(start: Barrier | null, module: string, exportName: string, args: unknown[]): unknown {
  const mod = load(module) as Record<string, unknown>;
  // From here on the time is the thread's own: loading the module was the machine's.
  seam.strategy?.threadLoaded?.();
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw new TypeError(`\`${exportName}\` is not an exported function of ${module}: export it (\`export function ${exportName}(...)\`)`);
  }
  if (start !== null) start.wait();
  const result = (fn as (...a: unknown[]) => unknown)(...args);
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    // Awaited code runs whenever the event loop gets to it: no scheduler controls, and no run repeats, that order.
    throw new TypeError(
      `\`${exportName}\` returned a Promise. A thread's work is synchronous here: it blocks in join(), acquire() or wait() ` +
        'instead of awaiting, so that every interleaving can be explored and replayed. Remove `async` and `await`.',
    );
  }
  return result;
}
