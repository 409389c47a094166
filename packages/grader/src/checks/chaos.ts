import { readSlot, runtime, type Strategy } from '@threadlings/core/internal';
import { bindGauge } from '../gauge.ts';
import { Random, hashText, mixSeed } from './random.ts';

/**
 * The chaos strategy of free runs (docs/architecture.md, "Two ways to run a check"), loaded through the
 * seam in every thread of a run. At scheduling points it now and then delays the thread
 * a little (a short spin, or a nap of a fraction of a millisecond, which gives the core
 * to another thread), so that interleavings a quiet machine would rarely produce turn up
 * across a check's runs. It never changes what a thread does, only when.
 *
 * Everything is drawn from the run's seed and the thread's name, so a thread of a given
 * run gets the same delays at the same points whenever its code is the same. Each thread
 * of each run draws its own profile (how often, how long), from "never" to "often and
 * long", as rr's chaos mode slows a random thread: runs differ in kind, not only in luck.
 *
 * With `perturb` false it delays nothing: installed only so that the seam records each
 * thread's last operation and operation count (the hang report names them), and so that
 * the work gauge is bound in every thread.
 */
export interface ChaosOptions {
  /** The run's seed. */
  readonly seed: number;
  readonly perturb: boolean;
  /** The work gauge's memory for this run, if the check reads one. */
  readonly gauge?: SharedArrayBuffer | null;
  /** The run's spin gate (one Int32: threads arrived) and the scenario threads that pass it. */
  readonly gate?: { readonly sab: SharedArrayBuffer; readonly names: readonly string[] } | null;
}

/** How often and how long one thread of one run is delayed. */
interface Profile {
  /** Chance that a scheduling point delays the thread. */
  readonly rate: number;
  /** Longest spin, in loop iterations (about 1 ns each). */
  readonly spin: number;
  /** Chance that a delay is a nap rather than a spin. */
  readonly nap: number;
  /** Delay the thread's first operation after the start gate a little: varies which thread goes first. */
  readonly skew: boolean;
  /** Most delay for the whole run, in spin iterations (a nap counts NAP_COST): bounds a run's cost. */
  readonly budget: number;
}

const RATES = [0, 1 / 8, 1 / 64, 1 / 512];
const SPINS = [100, 2_000, 20_000];
const NAPS = [0, 1 / 32, 1 / 8];
const BUDGETS = [100_000, 500_000, 2_000_000];
const NAP_COST = 250_000;
/** The start barrier's objects: `Barrier 'start'`, `Lock 'start.lock'`, `Condition 'start.cond'`. */
const START = /^\w+ 'start(\.\w+)?'$/;

let sink = 0;

function spin(iterations: number): void {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 31) + i) | 0;
  sink = x;
}

const napWord = new Int32Array(new SharedArrayBuffer(4));

/** Longest wait at the spin gate, in ms: past it a thread goes on alone (a sibling failed or is slow to wake). */
const GATE_MS = 2;
/** How long a thread spins at the gate before it sleeps there (more threads than free cores: spinning would keep the others out). */
const GATE_SPIN_MS = 0.1;

/**
 * The spin gate, at each scenario thread's first operation after the start barrier. The
 * barrier wakes its waiters one by one, each wake-up taking tens of microseconds, longer
 * than a small race lasts; at the gate the threads spin (no sleeping, so no wake-up to
 * wait for) until all have arrived, and leave within a microsecond of each other, as
 * jcstress's actors do. When they do not all arrive soon (more threads than free cores),
 * the early ones sleep on the gate until the last one wakes them, rather than spin.
 */
function passGate(gate: Int32Array, parties: number): void {
  const arrived = Atomics.add(gate, 0, 1) + 1;
  if (arrived >= parties) {
    Atomics.notify(gate, 0);
    return;
  }
  const start = performance.now();
  for (let seen = Atomics.load(gate, 0); seen < parties; seen = Atomics.load(gate, 0)) {
    const waited = performance.now() - start;
    if (waited >= GATE_MS) return;
    if (waited >= GATE_SPIN_MS) Atomics.wait(gate, 0, seen, GATE_MS - waited);
  }
}

/** Sleeps a fraction of a millisecond: the OS gives the core to someone else meanwhile. */
function nap(ms: number): void {
  Atomics.wait(napWord, 0, 0, ms);
}

/**
 * Creates this thread's chaos strategy (the export named in the seam's strategy config).
 *
 * @example
 * ```ts
 * installStrategy({ module: CHAOS_MODULE, export: 'createChaos', options: { seed: 42, perturb: true } });
 * ```
 */
export function createChaos(options: unknown): Strategy {
  const { seed, perturb, gauge, gate } = options as ChaosOptions;
  bindGauge(gauge ?? null);
  if (!perturb) return { threadEnd: () => bindGauge(null) };
  const name = readSlot(runtime().slot)?.name ?? '';
  const gateWord = gate !== undefined && gate !== null && gate.names.includes(name) ? new Int32Array(gate.sab, 0, 1) : null;
  const random = new Random(mixSeed(seed, hashText(name)));
  const profile: Profile = {
    rate: random.pick(RATES),
    spin: random.pick(SPINS),
    nap: random.pick(NAPS),
    skew: random.chance(0.5),
    budget: random.pick(BUDGETS),
  };
  let left = profile.budget;
  let started = false;
  const delay = (longest: number): void => {
    if (random.chance(profile.nap) && left >= NAP_COST) {
      left -= NAP_COST;
      nap(0.02 + random.below(200) / 1000);
    } else {
      const n = Math.min(left, random.below(longest));
      left -= n;
      spin(n);
    }
  };
  return {
    point(_op, object): void {
      if (!started) {
        if (START.test(object.label)) return;
        started = true;
        if (gateWord !== null) passGate(gateWord, gate!.names.length);
        // Mostly a few microseconds (who goes first), now and then longer (a thread that starts late).
        if (profile.skew) spin(random.below(random.chance(0.7) ? 3_000 : 100_000));
        return;
      }
      if (left > 0 && profile.rate !== 0 && random.chance(profile.rate)) delay(profile.spin);
    },
    threadEnd(): void {
      bindGauge(null);
    },
  };
}

/** The config that installs the chaos strategy with these options. */
export function chaosConfig(options: ChaosOptions): { module: string; export: string; options: ChaosOptions } {
  return { module: new URL('./chaos.ts', import.meta.url).pathname, export: 'createChaos', options };
}
