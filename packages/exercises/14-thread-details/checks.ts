import { defineChecks, type CheckContext } from '@threadlings/grader';
import type { Trace } from './src/lib/service.ts';
import { POOL_SIZE, type Job, type SelfView } from './src/lib/workers.ts';
import type { StatusReport, ThreadInfo } from './src/report.ts';

/*
 * Every check runs the server (src/lib/service.ts, `serve`) as a program: its main thread
 * starts the workers, waits at a barrier until each holds its connections, and asks for
 * the status page at three moments, with hand-shakes only (a barrier, events, joins), so
 * that which threads are alive at each moment, and how many connections they hold, is
 * known exactly. Each thread also says how it sees itself (`currentThread()`), from
 * inside: that is what the reports are compared with.
 */

/** Two servers, so that a report written out by hand cannot pass. */
const WEB: { readonly jobs: readonly Job[]; readonly ending: readonly string[] } = {
  jobs: [
    { name: 'web-1', daemon: false, connections: 1 },
    { name: 'web-2', daemon: false, connections: 3 },
    { name: 'cache-warmer', daemon: true, connections: 1 },
    { name: 'log-flusher', daemon: true, connections: 0 },
  ],
  ending: ['web-1', 'cache-warmer'],
};
const MAIL: typeof WEB = {
  jobs: [
    { name: 'mailer', daemon: false, connections: 1 },
    { name: 'indexer', daemon: true, connections: 3 },
    { name: 'thumbnailer', daemon: false, connections: 0 },
  ],
  ending: ['mailer'],
};

/** One moment a report was made at, and what was true then. */
interface Moment {
  /** "the report MainThread made once every worker held its connections" */
  readonly label: string;
  readonly report: StatusReport;
  /** The threads alive then. */
  readonly alive: readonly SelfView[];
  /** The thread that made the report. */
  readonly caller: SelfView;
  /** The workers alive then, with their jobs. */
  readonly working: readonly { readonly seen: SelfView; readonly job: Job }[];
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const who = (s: SelfView): string => `${s.name} (ident ${s.ident})`;

async function serve(ctx: CheckContext, server: typeof WEB): Promise<{ trace: Trace; moments: Moment[] }> {
  const trace = (await ctx.runProgram(ctx.source('src/lib/service.ts'), { export: 'serve', args: [server.jobs, server.ending] })) as Trace;
  const { jobs, ending, mainThread, workers, statusPage } = trace;
  const ended = list(ending.map((n) => n));
  const running = workers.filter((w) => !ending.includes(jobs[w.index]!.name));
  const all = workers.map((seen) => ({ seen, job: jobs[seen.index]! }));
  const still = all.filter((w) => !ending.includes(w.job.name));
  const moments: Moment[] = [
    { label: 'the report the main thread made once every worker held its connections', report: trace.atStart, alive: [mainThread, ...workers], caller: mainThread, working: all },
    { label: `the report the main thread made after ${ended} had ended and been joined`, report: trace.afterEnd, alive: [mainThread, ...running], caller: mainThread, working: still },
    {
      label: `the report the status-page thread made (after ${ended} had ended)`,
      report: trace.fromStatusPage,
      alive: [mainThread, ...running, statusPage],
      caller: statusPage,
      working: still,
    },
  ];
  for (const m of moments) {
    const r = m.report as Partial<StatusReport> | undefined;
    if (r === null || typeof r !== 'object' || !Array.isArray(r.threads) || r.pool === null || typeof r.pool !== 'object') {
      ctx.fail(`${m.label} is not a status report ({ threads, active, caller, main, pool }): statusReport() returned ${show(r)}`, 'src/report.ts');
    }
    for (const row of r.threads) {
      if (row === null || typeof row !== 'object') ctx.fail(`${m.label} lists ${show(row)} among its threads, not a row { name, ident, nativeId, alive, daemon }`, 'src/report.ts');
    }
  }
  return { trace, moments };
}

/** The thread known by `ident`, for messages. */
function nameOf(trace: Trace, ident: unknown): string {
  const known = [trace.mainThread, ...trace.workers, trace.statusPage].find((s) => s.ident === ident);
  return known === undefined ? `ident ${show(ident)}` : who(known);
}

function listsExactly(m: Moment): string | undefined {
  const rows = m.report.threads;
  const shown = rows.map((r) => `${show(r.name)} (ident ${show(r.ident)})`);
  const listed = `${m.label} lists ${rows.length} thread${rows.length === 1 ? '' : 's'}${rows.length === 0 ? '' : `, ${list(shown)}`}`;
  const aliveThen = `the ${m.alive.length} threads alive then were ${list(m.alive.map(who))}`;
  const missing = m.alive.filter((s) => !rows.some((r) => r.ident === s.ident));
  const extra = rows.filter((r) => !m.alive.some((s) => s.ident === r.ident));
  if (missing.length > 0 || extra.length > 0) {
    const why: string[] = [];
    // A row with the name of a missing thread but another ident: the ident is what is wrong.
    const misnumbered = extra.flatMap((r) => missing.filter((s) => s.name === r.name).slice(0, 1).map((s) => ({ r, s })));
    const left = missing.filter((s) => !misnumbered.some((x) => x.s === s));
    if (left.length > 0) why.push(`it leaves out ${list(left.map((s) => s.name))}`);
    for (const { r, s } of misnumbered) why.push(`its row for ${s.name} gives the ident ${show(r.ident)}, but ${s.name}'s ident is ${s.ident}`);
    for (const r of extra.filter((r) => !misnumbered.some((x) => x.r === r))) {
      why.push(`${show(r.name)} (ident ${show(r.ident)}) was not alive then${typeof r.ident === 'number' ? ' (a thread that has ended?)' : ''}`);
    }
    return `${listed}; but ${aliveThen}: ${why.join('; ')}`;
  }
  for (const s of m.alive) {
    const mine = rows.filter((r) => r.ident === s.ident);
    if (mine.length > 1) return `${listed}: ${s.name} is listed ${mine.length} times`;
    const r = mine[0]!;
    if (r.name !== s.name) return `${m.label} names the thread of ident ${s.ident} ${show(r.name)}, but it is named ${show(s.name)}`;
    if (r.daemon !== s.daemon) return `${m.label} says ${s.name} is ${r.daemon === true ? '' : 'not '}a daemon thread, but it is${s.daemon ? '' : ' not'} (${show(r.daemon)} for daemon)`;
    if (r.alive !== true) return `${m.label} says ${s.name} is not alive (${show(r.alive)} for alive), but it was running then`;
    if (r.nativeId !== s.nativeId) return `${m.label} gives ${s.name} the nativeId ${show(r.nativeId)}, but it runs on native id ${s.nativeId}`;
  }
  return undefined;
}

function countsThem(m: Moment): string | undefined {
  const n = m.alive.length;
  return m.report.active === n ? undefined : `${m.label} says ${show(m.report.active)} ${m.report.active === 1 ? 'thread is' : 'threads are'} active, but ${n} were alive then: ${list(m.alive.map((s) => s.name))}`;
}

function namesCallerAndMain(trace: Trace, m: Moment): string | undefined {
  const { caller, main } = m.report;
  if (caller !== m.caller.ident) return `${m.label} says it was made by ${nameOf(trace, caller)}, but ${who(m.caller)} made it`;
  if (main !== trace.mainThread.ident) return `${m.label} says the main thread is ${nameOf(trace, main)}, but the main thread is ${who(trace.mainThread)}`;
  return undefined;
}

function describesPool(m: Moment): string | undefined {
  const inUse = m.working.reduce((sum, w) => sum + w.job.connections, 0);
  const free = POOL_SIZE - inUse;
  const p = m.report.pool;
  if (p.size === POOL_SIZE && p.free === free && p.inUse === inUse) return undefined;
  const held = m.working.filter((w) => w.job.connections > 0).map((w) => `${w.job.name} held ${w.job.connections}`);
  return (
    `${m.label} says the pool has ${show(p.free)} free connections and ${show(p.inUse)} in use, of ${show(p.size)}; ` +
    `but the pool (a Semaphore of ${POOL_SIZE} permits) had ${free} free then, and ${inUse} in use${held.length > 0 ? ` (${list(held)})` : ''}`
  );
}

function firstProblem<T>(items: readonly T[], judge: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const problem = judge(item);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

export default defineChecks((t) => {
  t.check('each report lists exactly the threads alive when it is made', async (ctx) => {
    for (const server of [WEB, MAIL]) {
      const { moments } = await serve(ctx, server);
      const problem = firstProblem(moments, listsExactly);
      if (problem !== undefined) ctx.fail(problem, 'src/report.ts');
    }
  });

  t.check('each report counts the threads alive when it is made', async (ctx) => {
    const { moments } = await serve(ctx, MAIL);
    const problem = firstProblem(moments, countsThem);
    if (problem !== undefined) ctx.fail(problem, 'src/report.ts');
  });

  t.check('each report names the thread that made it, and the main thread', async (ctx) => {
    const { trace, moments } = await serve(ctx, WEB);
    const problem = firstProblem(moments, (m) => namesCallerAndMain(trace, m));
    if (problem !== undefined) ctx.fail(problem, 'src/report.ts');
  });

  t.check('a worker that has ended and been joined is described as not alive', async (ctx) => {
    const { trace } = await serve(ctx, MAIL);
    const problem = firstProblem(trace.workers, (s): string | undefined => {
      const job = trace.jobs[s.index]!;
      const d = trace.described[s.index] as Partial<ThreadInfo> | undefined;
      const ended = trace.ending.includes(job.name);
      const call = `describeThread(${job.name}), called by the main thread ${ended ? `after ${job.name} had ended and been joined` : `while ${job.name} was still running`},`;
      if (d === null || typeof d !== 'object') return `${call} returned ${show(d)}, not { name, ident, nativeId, alive, daemon }`;
      if (d.ident !== s.ident) return `${call} gives the ident ${show(d.ident)}, but ${job.name}'s ident is ${s.ident}`;
      if (d.name !== s.name) return `${call} gives the name ${show(d.name)}, but the thread is named ${show(s.name)}`;
      if (d.daemon !== s.daemon) return `${call} says it is ${d.daemon === true ? '' : 'not '}a daemon thread, but it is${s.daemon ? '' : ' not'}`;
      if (ended && d.alive !== false) return `${call} says it is alive (${show(d.alive)} for alive), but it had ended: join() had returned`;
      if (!ended && d.alive !== true) return `${call} says it is not alive (${show(d.alive)} for alive), but it was running, waiting to be stopped`;
      // An ended thread's nativeId may be forgotten (its worker serves other threads now).
      if (d.nativeId !== s.nativeId && !(ended && d.nativeId === undefined)) return `${call} gives the nativeId ${show(d.nativeId)}, but it ran on native id ${s.nativeId}`;
      return undefined;
    });
    if (problem !== undefined) ctx.fail(problem, 'src/report.ts');
  });

  t.check('the free connections are read from the semaphore while workers hold them', async (ctx) => {
    const { moments } = await serve(ctx, WEB);
    const problem = firstProblem(moments, describesPool);
    if (problem !== undefined) ctx.fail(problem, 'src/report.ts');
  });
});
