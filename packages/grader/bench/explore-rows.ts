/**
 * The controlled scheduler's rows in `pnpm bench`: how many schedules of a small
 * scenario it runs per second, and what one step costs when every step hands the token
 * to the other thread.
 */
import { SharedInt, configureSupervisor } from '@threadlings/core';
import type { RowProvider } from '../../core/bench/provider.ts';
import { runControlled } from '../src/explore/runner.ts';
import { defineScenario } from '../src/scenario.ts';

const TARGETS = new URL('./explore-targets.ts', import.meta.url).pathname;

function twoThreads(opsEach: number) {
  return defineScenario({
    setup: () => ({ c: new SharedInt(0) }),
    threads: (s) => [
      { module: TARGETS, export: 'addTimes', args: [s.c, opsEach] },
      { module: TARGETS, export: 'addTimes', args: [s.c, opsEach] },
    ],
    judge: (s) => (s.c.peek() === 2 * opsEach ? { ok: true } : { ok: false, message: `counter ${s.c.peek()}` }),
  });
}

async function schedulesPerSecond(schedules: number): Promise<number> {
  configureSupervisor({ poolSize: 4 });
  const scenario = twoThreads(10);
  // Warm the pool and the module caches first: a cold worker costs 50-100 ms.
  for (let i = 0; i < 20; i++) await runControlled(scenario, { mode: 'random', seed: i + 1, stepLimit: 1000, timeLimitMs: 5000 });
  const t0 = performance.now();
  for (let i = 0; i < schedules; i++) {
    const run = await runControlled(scenario, { mode: 'random', seed: 1000 + i, stepLimit: 1000, timeLimitMs: 5000 });
    if (run.status !== 'done' || run.steps.length !== 20) throw new Error(`explore-2x20: a run ended ${run.status} after ${run.steps.length} steps`);
  }
  return (schedules * 1000) / (performance.now() - t0);
}

async function handoffMicros(opsEach: number): Promise<number> {
  configureSupervisor({ poolSize: 4 });
  const scenario = twoThreads(opsEach);
  await runControlled(scenario, { mode: 'fair', seed: 1, stepLimit: 1_000_000, timeLimitMs: 60_000 });
  const t0 = performance.now();
  const run = await runControlled(scenario, { mode: 'fair', seed: 2, stepLimit: 1_000_000, timeLimitMs: 60_000 });
  const ms = performance.now() - t0;
  if (run.status !== 'done') throw new Error(`explore-handoff: the run ended ${run.status}`);
  return (ms * 1000) / run.steps.length;
}

export const exploreRows: readonly RowProvider[] = [
  { name: 'explore-2x20', unit: 'schedules/s', cpython: null, run: ({ quick }) => schedulesPerSecond(quick ? 20 : 1000) },
  { name: 'explore-handoff', unit: 'µs', cpython: null, run: ({ quick }) => handoffMicros(quick ? 50 : 5000) },
];
