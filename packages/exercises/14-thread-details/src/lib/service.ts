/*
 * The server: a program you run and do not edit (`pnpm try 14` runs its `main`). Its main
 * thread starts the workers with your `startWorkers`, waits until each holds its
 * connections, then asks for the status page three times, with hand-shakes rather than
 * sleeps, so that which threads are alive at each moment is known exactly:
 *
 *   1. the main thread, once every worker holds its connections;
 *   2. the main thread, after some workers were stopped and joined (and it describes each
 *      worker it started, ended or not);
 *   3. a thread of its own, `status-page`, while the main thread waits for it.
 */
import { Barrier, Event, Semaphore, Thread, print } from '@threadlings/core';
import { describeThread, startWorkers, statusReport, type StatusReport, type ThreadInfo } from '../report.ts';
import { POOL_SIZE, selfView, type Job, type Post, type SelfView } from './workers.ts';

/** What one run of the server saw: the reports, and each thread as it saw itself. */
export interface Trace {
  readonly jobs: readonly Job[];
  /** The names of the workers stopped (and joined) before the second report. */
  readonly ending: readonly string[];
  readonly mainThread: SelfView;
  /** Each worker as it saw itself, in the order of `jobs`. */
  readonly workers: readonly SelfView[];
  readonly statusPage: SelfView;
  /** 1: made by the main thread once every worker held its connections. */
  readonly atStart: StatusReport;
  /** 2: made by the main thread after the `ending` workers had ended and been joined. */
  readonly afterEnd: StatusReport;
  /** 3: made by the `status-page` thread, after the `ending` workers had ended. */
  readonly fromStatusPage: StatusReport;
  /** `describeThread` of each worker, in the order of `jobs`, made by the main thread just after report 2. */
  readonly described: readonly ThreadInfo[];
}

/** The `status-page` thread: it makes one report and returns it, with how it saw itself. */
export function statusPage(pool: Semaphore): { seen: SelfView; report: StatusReport } {
  return { seen: selfView(), report: statusReport(pool) };
}

/** Runs the server through its three reports (see the top of this file). Runs on the main thread. */
export function serve(jobs: readonly Job[], ending: readonly string[]): Trace {
  const me = selfView();
  const pool = new Semaphore(POOL_SIZE, { name: 'connections' });
  const ready = new Barrier(jobs.length + 1, { name: 'ready' });
  const posts: Post[] = jobs.map((job, index) => ({ job, index, pool, ready, stop: new Event({ name: `stop ${job.name}` }) }));
  const threads = startWorkers(posts);
  if (!Array.isArray(threads) || threads.length !== jobs.length || !threads.every((t) => t instanceof Thread)) {
    throw new Error(`startWorkers() must return the ${jobs.length} threads it started`);
  }
  ready.wait();
  const atStart = statusReport(pool);

  const stopping = jobs.flatMap((job, i) => (ending.includes(job.name) ? [i] : []));
  for (const i of stopping) posts[i]!.stop.set();
  for (const i of stopping) threads[i]!.join();
  const afterEnd = statusReport(pool);
  const described = threads.map((t) => describeThread(t));

  const page = new Thread({ target: statusPage, args: [pool], name: 'status-page' });
  page.start();
  page.join();
  const { seen, report: fromStatusPage } = page.result as { seen: SelfView; report: StatusReport };

  for (const p of posts) p.stop.set();
  for (const t of threads) t.join();
  const workers = threads.map((t) => t.result as SelfView).sort((a, b) => a.index - b.index);
  return { jobs, ending, mainThread: me, workers, statusPage: seen, atStart, afterEnd, fromStatusPage, described };
}

/** The jobs `pnpm try 14` runs. */
export const JOBS: readonly Job[] = [
  { name: 'web-1', daemon: false, connections: 2 },
  { name: 'web-2', daemon: false, connections: 2 },
  { name: 'cache-warmer', daemon: true, connections: 1 },
  { name: 'log-flusher', daemon: true, connections: 0 },
];

function table(rows: readonly ThreadInfo[], report?: StatusReport): string {
  const cell = (v: unknown): string => (v === undefined ? '-' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
  const lines = rows.map((r) => {
    const marks = [r.ident !== undefined && r.ident === report?.main ? 'main' : '', r.ident !== undefined && r.ident === report?.caller ? 'caller' : ''].filter((m) => m !== '');
    return `  ${cell(r.name).padEnd(14)} ${cell(r.ident).padStart(5)} ${cell(r.nativeId).padStart(9)}  ${cell(r.alive).padEnd(5)} ${cell(r.daemon).padEnd(6)} ${marks.length > 0 ? `(${marks.join(', ')})` : ''}`.trimEnd();
  });
  return [`  ${'name'.padEnd(14)} ${'ident'.padStart(5)} ${'native id'.padStart(9)}  alive daemon`, ...lines].join('\n');
}

function show(title: string, report: StatusReport): void {
  print(`${title}\n${table(Array.isArray(report.threads) ? report.threads : [], report)}`);
  const p = report.pool;
  print(`  ${report.active} threads active; connections: ${p?.free} free, ${p?.inUse} in use, of ${p?.size}\n`);
}

export function main(): void {
  const trace = serve(JOBS, ['web-2', 'cache-warmer']);
  show('1. The status page, made by the main thread once every worker holds its connections:', trace.atStart);
  show('2. The status page, made by the main thread after web-2 and cache-warmer have ended and been joined:', trace.afterEnd);
  print(`   and each worker the main thread started, described then:\n${table(trace.described)}\n`);
  show('3. The status page, made by the status-page thread:', trace.fromStatusPage);
}
