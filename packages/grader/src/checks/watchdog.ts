import type { ObjectIndex } from './objects.ts';
import { threadCpuMs } from './cpu-time.ts';
import { findCycle, scanTable, stuckKey, type Scan, type SeenThread } from './wait-graph.ts';

/**
 * The watchdog of a free run: on the supervisor (which never blocks), it looks at the
 * thread table every SCAN_MS and reports the first trouble it is sure of:
 *   deadlock  a wait-for cycle, the same in two consecutive looks (and, where an edge
 *             could not be checked against the lock itself, steady for CONFIRM_MS);
 *   stuck     every thread waits, without a timeout, for something no thread is about
 *             to give (an Event never set, a notify() that was lost), and nothing has
 *             moved for STUCK_MS;
 *   hang      the run is past its time limit (a spin loop, or waits that time out and
 *             retry for ever): each thread's state, last operation and CPU use.
 * Reporting is all it does; the caller stops the threads.
 */
export type Trouble =
  | { readonly kind: 'deadlock'; readonly cycle: readonly SeenThread[]; readonly formedAt: number; readonly detectedAt: number }
  | { readonly kind: 'stuck'; readonly threads: readonly SeenThread[]; readonly detectedAt: number }
  | { readonly kind: 'hang'; readonly threads: readonly HungThread[]; readonly limitMs: number; readonly detectedAt: number; readonly starting: boolean };

export interface HungThread extends SeenThread {
  /** Share of one core the thread used over the last moments (0-1), when /proc tells. */
  readonly cpu: number | undefined;
  /** Scheduling points it passed over the last moments. */
  readonly recentOps: number;
}

export interface WatchdogOptions {
  /** Limit of the run, counted from when `ready()` first holds. */
  readonly timeLimitMs: number;
  /**
   * True once the run's threads are under way (their modules loaded): starting workers
   * and compiling modules on a busy machine must not eat the run's own time limit.
   * Start-up itself is bounded by STARTUP_MS. Ready at once when omitted.
   */
  readonly ready?: () => boolean;
  readonly objects: ObjectIndex;
  readonly scanMs?: number;
  readonly stuckMs?: number;
}

export const SCAN_MS = 10;
export const CONFIRM_MS = 40;
export const STUCK_MS = 200;
/** Longest a run's threads may take to start (workers, module imports) before the run is a hang anyway. */
export const STARTUP_MS = 10_000;
/** How long a hung run is watched to tell spinning from waiting. */
const SAMPLE_MS = 100;

/**
 * Watches the running threads until `stop()`.
 *
 * @example
 * ```ts
 * const dog = new Watchdog({ timeLimitMs: 5000, objects });
 * const first = await Promise.race([allJoined, dog.trouble]);
 * dog.stop();
 * ```
 */
export class Watchdog {
  /** Resolves with the first trouble found; never rejects; stays pending if there is none. */
  readonly trouble: Promise<Trouble>;
  private report: (t: Trouble) => void = () => {};
  private readonly timer: NodeJS.Timeout;
  private readonly created = performance.now();
  /** When the run's own time began: once its threads were under way. */
  private started: number | undefined;
  private cycle: { key: string; firstAt: number } | undefined;
  private stuck: { key: string; firstAt: number; looks: number } | undefined;
  private done = false;

  constructor(private readonly options: WatchdogOptions) {
    this.trouble = new Promise((resolve) => (this.report = resolve));
    this.timer = setInterval(() => this.look(), options.scanMs ?? SCAN_MS);
  }

  stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }

  private found(t: Trouble): void {
    if (this.done) return;
    this.stop();
    this.report(t);
  }

  private look(): void {
    if (this.done) return;
    const scan = scanTable();
    this.lookForCycle(scan);
    if (!this.done) this.lookForStuck(scan);
    if (this.started === undefined && (this.options.ready?.() ?? true)) this.started = scan.at;
    const late = this.started === undefined ? scan.at - this.created >= STARTUP_MS + this.options.timeLimitMs : scan.at - this.started >= this.options.timeLimitMs;
    if (!this.done && late) {
      // No more looks: watch the threads a moment longer, then report (unless stopped meanwhile).
      clearInterval(this.timer);
      const starting = this.started === undefined;
      const limitMs = starting ? STARTUP_MS + this.options.timeLimitMs : this.options.timeLimitMs;
      void describeHang(scan).then((threads) => this.found({ kind: 'hang', threads, limitMs, detectedAt: performance.now(), starting }));
    }
  }

  private lookForCycle(scan: Scan): void {
    const cycle = findCycle(scan, this.options.objects);
    if (cycle === undefined) {
      this.cycle = undefined;
      return;
    }
    if (this.cycle?.key !== cycle.key) {
      this.cycle = { key: cycle.key, firstAt: scan.at };
      return;
    }
    if (!cycle.verified && scan.at - this.cycle.firstAt < CONFIRM_MS) return;
    // The cycle formed when its last edge did: the latest of its waits to begin.
    const now30 = Math.trunc(performance.now()) & 0x3fffffff;
    const newest = Math.min(...cycle.threads.map((t) => (now30 - t.since + 0x40000000) % 0x40000000));
    this.found({ kind: 'deadlock', cycle: cycle.threads, formedAt: performance.now() - newest, detectedAt: performance.now() });
  }

  private lookForStuck(scan: Scan): void {
    const key = stuckKey(scan, this.options.objects);
    if (key === undefined) {
      this.stuck = undefined;
      return;
    }
    if (this.stuck?.key !== key) {
      this.stuck = { key, firstAt: scan.at, looks: 1 };
      return;
    }
    this.stuck.looks++;
    if (this.stuck.looks >= 3 && scan.at - this.stuck.firstAt >= (this.options.stuckMs ?? STUCK_MS)) {
      this.found({ kind: 'stuck', threads: scan.threads, detectedAt: performance.now() });
    }
  }
}

/** Watches a hung run's threads a moment longer: who spins, who waits, and at what. */
async function describeHang(first: Scan): Promise<HungThread[]> {
  const cpuOf = (osTid: number): number | undefined => (osTid === 0 ? undefined : threadCpuMs(osTid));
  const before = new Map(first.threads.map((t) => [t.rec.ident, { cpu: cpuOf(t.rec.osTid), ops: t.rec.opCount }]));
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  const elapsed = performance.now() - t0;
  const scan = scanTable();
  return scan.threads.map((t) => {
    const b = before.get(t.rec.ident);
    const cpuNow = cpuOf(t.rec.osTid);
    const cpu = b?.cpu === undefined || cpuNow === undefined ? undefined : Math.min(1, (cpuNow - b.cpu) / elapsed);
    return { ...t, cpu, recentOps: b === undefined ? t.rec.opCount : t.rec.opCount - b.ops };
  });
}
