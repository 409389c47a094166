import { createRequire } from 'node:module';
import type { Barrier } from '@threadlings/core';

const load = createRequire(import.meta.url);

/**
 * The body of every scenario thread: wait at the start barrier (so that threads
 * released together really overlap: starting a worker takes longer than most races
 * last), then run the graded export. The graded module is imported here, in the thread.
 */
export function runScenarioThread(start: Barrier | null, module: string, exportName: string, args: unknown[]): unknown {
  const mod = load(module) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw new TypeError(`\`${exportName}\` is not an exported function of ${module}: export it (\`export function ${exportName}(...)\`)`);
  }
  if (start !== null) start.wait();
  return (fn as (...a: unknown[]) => unknown)(...args);
}
