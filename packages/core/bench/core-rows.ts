/**
 * The core's rows: each primitive against its `threading` counterpart. The Node figure is
 * measured by a thread (targets.ts), the CPython one by the same case of cpython_bench.py.
 */
import { Thread, enumerate } from '../src/index.ts';
import type { BenchContext, RowProvider } from './provider.ts';

const TARGETS = new URL('./targets.ts', import.meta.url).pathname;
/** A sample takes well under a second; one still running after this has hung. */
const SAMPLE_LIMIT_S = 60;

/** Runs `target` of targets.ts in a new thread and returns the number it returns. */
async function sample(target: string, args: readonly number[]): Promise<number> {
  const t = new Thread({ target, module: TARGETS, args, name: `bench-${target}` });
  t.start();
  await t.joinAsync(SAMPLE_LIMIT_S);
  if (t.isAlive()) {
    const threads = enumerate()
      .map((th) => `${th.name} ${th.state}${th.waitingFor === null ? '' : ` in ${th.waitingFor.op} on ${th.waitingFor.objectLabel}`}`)
      .join('; ');
    throw new Error(`bench thread ${target}${JSON.stringify(args)} still runs after ${SAMPLE_LIMIT_S} s: ${threads}`);
  }
  const error = t.error;
  if (error !== undefined) throw new Error(`bench thread ${target} failed: ${error.stack || error.message}`);
  const value = t.result;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`bench thread ${target} returned ${String(value)}, not a number`);
  return value;
}

/** Loop sizes: full runs take about 0.1–0.3 s per sample; quick ones only prove the plumbing. */
function sizes(ctx: BenchContext) {
  return ctx.quick
    ? { ops: 10_000, increments: 10_000, warmIncrements: 1_000, trips: 100, warmTrips: 10 }
    : { ops: 1_000_000, increments: 1_000_000, warmIncrements: 20_000, trips: 3_000, warmTrips: 200 };
}

function uncontended(name: string, target: string, goal: number): RowProvider {
  return { name, unit: 'ns/op', target: goal, cpython: { case: name }, run: (ctx) => sample(target, [sizes(ctx).ops]) };
}

export const coreRows: readonly RowProvider[] = [
  uncontended('lock', 'lockLoop', 0.35),
  uncontended('rlock', 'rlockLoop', 0.35),
  uncontended('semaphore', 'semaphoreLoop', 0.05),
  uncontended('bounded-semaphore', 'boundedSemaphoreLoop', 0.05),
  {
    name: 'contended-lock',
    unit: 'ns/op',
    target: 0.6,
    cpython: { case: 'contended-lock' },
    run: (ctx) => sample('contendedLock', [sizes(ctx).increments, sizes(ctx).warmIncrements]),
  },
  {
    name: 'event-pingpong',
    unit: 'µs',
    target: 1,
    cpython: { case: 'event-pingpong' },
    run: (ctx) => sample('eventPingpong', [sizes(ctx).trips, sizes(ctx).warmTrips]),
  },
  {
    name: 'condition-handoff',
    unit: 'µs',
    target: 1,
    cpython: { case: 'condition-handoff' },
    run: (ctx) => sample('conditionHandoff', [sizes(ctx).trips, sizes(ctx).warmTrips]),
  },
];
