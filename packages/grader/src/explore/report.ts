import { formatSite } from '../checks/sites.ts';
import type { TraceStep } from '../results.ts';
import type { ControlledRun, Step } from './runner.ts';

/*
 * What a student sees of a controlled failure: the interleaving as a table with one
 * column per thread, and for a deadlock, who waits for what held by whom.
 */

function describe(step: Step): string {
  // A waiter woken on a Condition's own lock holds it again: say so in a cell's width.
  if (step.resumed) return step.object.endsWith(' (its lock)') ? `wakes, has ${step.object}` : `wakes, goes on (${step.object || 'wait'})`;
  const obj = step.object === '' ? '' : ` ${step.object}`;
  switch (step.op) {
    case 'read':
      return `read${obj} → ${step.value ?? '?'}`;
    case 'write':
      return `write${obj} ← ${step.value ?? '?'}`;
    case 'update':
      return `atomic update${obj} (${step.value ?? '?'})`;
    default:
      return `${step.op}${obj}`;
  }
}

/** The steps as the results document carries them; context switches are marked. */
export function traceSteps(run: ControlledRun): TraceStep[] {
  return run.steps.map((s, i) => ({
    step: i + 1,
    thread: run.names[s.who] ?? `#${s.who}`,
    op: s.resumed ? 'resume' : s.op,
    object: s.object,
    ...(s.value === undefined ? {} : { value: s.value }),
    ...(s.site === '' ? {} : { site: s.site }),
    marked: i > 0 && run.steps[i - 1]!.who !== s.who,
  }));
}

export function contextSwitches(steps: readonly { who: number }[]): number {
  let n = 0;
  for (let i = 1; i < steps.length; i++) if (steps[i]!.who !== steps[i - 1]!.who) n++;
  return n;
}

/** Whether the switch before step `i` was a preemption: the thread that ran step i - 1 could have gone on. */
export function isPreemption(steps: readonly { who: number; runnable: readonly number[] }[], i: number): boolean {
  return i > 0 && steps[i]!.who !== steps[i - 1]!.who && steps[i]!.runnable.includes(steps[i - 1]!.who);
}

/** Switches away from a thread that could have gone on (not those at a block or an end). */
export function preemptions(steps: readonly { who: number; runnable: readonly number[] }[]): number {
  let n = 0;
  for (let i = 1; i < steps.length; i++) if (isPreemption(steps, i)) n++;
  return n;
}

/**
 * One column per thread, one row per step, and where in the source each step was taken;
 * `*` marks a step where another thread took over.
 */
export function interleavingTable(run: ControlledRun, root?: string): string {
  const used = [...new Set(run.steps.map((s) => s.who))].sort((a, b) => a - b);
  const cells = run.steps.map(describe);
  const width = Math.min(42, Math.max(10, ...cells.map((c) => c.length), ...used.map((w) => (run.names[w] ?? '').length)) + 2);
  const sites = run.steps.map((s) => (s.site === '' ? '' : shortSite(s.site, root)));
  const hasSites = sites.some((x) => x !== '');
  const header = ` step  ${used.map((w) => (run.names[w] ?? `#${w}`).padEnd(width)).join('')}${hasSites ? 'at' : ''}`.trimEnd();
  const row = (i: number): string => {
    const s = run.steps[i]!;
    const mark = i > 0 && run.steps[i - 1]!.who !== s.who ? '*' : ' ';
    const cell = cells[i]!.length > width - 2 ? `${cells[i]!.slice(0, width - 3)}…` : cells[i]!;
    const line = used.map((w) => (w === s.who ? cell : '').padEnd(width)).join('');
    return `${mark}${String(i + 1).padStart(4)}  ${line}${sites[i]}`.trimEnd();
  };
  const shown = stepsToShow(run.steps.map((s) => s.who));
  const rows: string[] = [];
  for (let i = 0; i < run.steps.length; ) {
    if (shown[i]) {
      rows.push(row(i++));
      continue;
    }
    // A stretch of one thread running on its own, far from any switch: one line says how long.
    let end = i;
    while (end < run.steps.length && !shown[end]) end++;
    const who = run.steps[i]!.who;
    const gap = `⋮ ${end - i} more steps of ${run.names[who] ?? `#${who}`}`;
    rows.push(`       ${used.map((w) => (w === who ? gap : '').padEnd(width)).join('')}`.trimEnd());
    i = end;
  }
  return [header, ...rows].join('\n');
}

/** Steps kept around each context switch, and at the start and end of a run. */
const CONTEXT = 2;

/**
 * Which steps an interleaving table shows: those near a context switch (where the story
 * is), the first and last; a longer stretch of one thread between them is elided.
 */
export function stepsToShow(who: readonly number[]): boolean[] {
  const show = who.map((_, i) => i < CONTEXT || i >= who.length - CONTEXT);
  for (let i = 1; i < who.length; i++) {
    if (who[i] === who[i - 1]) continue;
    for (let j = Math.max(0, i - CONTEXT); j < Math.min(who.length, i + CONTEXT); j++) show[j] = true;
  }
  // Eliding fewer than three steps saves nothing: show them.
  for (let i = 0; i < who.length; ) {
    if (show[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end < who.length && !show[end]) end++;
    if (end - i < 3) for (let j = i; j < end; j++) show[j] = true;
    i = end;
  }
  return show;
}

/** A site as `src/bank.ts:12`, relative to the graded source root (the working folder when none is given). */
function shortSite(site: string, root: string | undefined): string {
  return formatSite(site, root ?? process.cwd()) || site;
}

/**
 * Why the threads are stuck, JVM-style: each blocked thread, what it waits for and who
 * holds it, the cycle when there is one; otherwise what each waits on that nothing can
 * give it, in the words of what happened (a notify sent before the wait, an event set and
 * cleared again before it, a lock kept by a thread that ended). The message names a
 * deadlock only for a cycle.
 */
export function explainBlocked(run: ControlledRun, root?: string): { message: string; report: string } {
  const names = new Map(run.idents.map((id, i) => [id, run.names[i]!] as const));
  const lines: string[] = [];
  const edges = new Map<string, { to: string; via: string }>();
  const causes: string[] = [];
  for (const { name, record } of run.blocked) {
    const w = record?.waiting;
    if (w === undefined || w === null) {
      lines.push(`  "${name}" is blocked`);
      continue;
    }
    const holder = w.holder === 0 ? undefined : names.get(w.holder) ?? `thread #${w.holder}`;
    const verb = w.op === 'acquire' ? 'waits to acquire' : w.op === 'join' ? 'waits to join' : `waits (${w.op}) on`;
    const site = w.site === '' ? '' : ` at ${shortSite(w.site, root)}`;
    const target = w.op === 'join' ? `"${holder ?? '?'}"` : w.objectLabel;
    lines.push(`  "${name}" ${verb} ${target}${site}${holder !== undefined && w.op !== 'join' ? `, held by "${holder}"` : ''}`);
    const holderBlocked = holder !== undefined && run.blocked.some((b) => b.name === holder);
    if (holder !== undefined && holderBlocked) {
      edges.set(name, { to: holder, via: target });
      continue;
    }
    const why = whyNothingWakes(run, name, w, holder);
    lines.push(`    ${why.line}`);
    if (why.cause !== undefined && w.op !== 'join') causes.push(why.cause);
  }
  const cycle = findCycle(edges);
  if (cycle !== undefined) {
    const inCycle = [...new Set(cycle.names)];
    const who = inCycle.length === 2 ? `"${inCycle[0]}" and "${inCycle[1]}" wait for each other` : `${inCycle.slice(0, -1).map((n) => `"${n}"`).join(', ')} and "${inCycle.at(-1)}" wait for each other in a circle`;
    return {
      message: `deadlock: ${who} forever`,
      report: ['Found a deadlock: every thread is blocked, in a cycle.', ...lines, `  cycle: ${cycle.text.join(', which ')}`].join('\n'),
    };
  }
  return {
    message: causes[0] ?? 'stuck: every thread waits for something that no thread is left to give',
    report: ['Every thread is blocked, and no thread can wake another:', ...lines].join('\n'),
  };
}

type Wait = NonNullable<NonNullable<ControlledRun['blocked'][number]['record']>['waiting']>;

/** Indices of the steps, from `from` up to (not including) `before`, at which a thread did `op` on `objectId`. */
function stepsOf(run: ControlledRun, op: string, objectId: number, from = 0, before = run.steps.length): number[] {
  const out: number[] = [];
  for (let i = from; i < before; i++) {
    const s = run.steps[i]!;
    if (!s.resumed && s.op === op && s.objectId === objectId) out.push(i);
  }
  return out;
}

/** Why no thread left will end `name`'s wait: a line for the report, and a headline when it says what happened. */
function whyNothingWakes(run: ControlledRun, name: string, w: Wait, holder: string | undefined): { line: string; cause?: string } {
  const who = run.names.indexOf(name);
  let waitedAt = -1;
  for (let i = run.steps.length - 1; i >= 0; i--) {
    const s = run.steps[i]!;
    if (s.who === who && !s.resumed && s.op === w.op && s.objectId === w.objectId) {
      waitedAt = i;
      break;
    }
  }
  const at = (i: number): string => `step ${i + 1}`;
  if (w.op === 'acquire' && holder !== undefined) {
    const line = `nothing will wake it: "${holder}" has ended without releasing ${w.objectLabel}`;
    return { line, cause: `"${name}" waits forever to acquire ${w.objectLabel}: "${holder}" ended without releasing it (is there a path, an early return or an exception, that skips release()?)` };
  }
  if (w.op === 'wait' && w.objectKind === 'Condition') {
    const before = stepsOf(run, 'notify', w.objectId, 0, Math.max(0, waitedAt));
    const after = waitedAt < 0 ? [] : stepsOf(run, 'notify', w.objectId, waitedAt + 1);
    if (after.length > 0) {
      const line = `nothing will wake it: the notify() at ${at(after.at(-1)!)}, after it began to wait, woke another thread, and no thread is left to notify again`;
      return { line, cause: `lost wake-up: "${name}" waits on ${w.objectLabel} forever: the notify() sent after it began to wait woke another thread (notifyAll() wakes every waiter)` };
    }
    if (before.length > 0) {
      const line = `nothing will wake it: ${w.objectLabel} was notified at ${at(before.at(-1)!)}, before "${name}" began to wait at ${at(waitedAt)}; a notify() with no thread waiting is lost`;
      return { line, cause: `lost wake-up: "${name}" waits on ${w.objectLabel} for a notify() that was sent before it began to wait (check the state in a while loop before waiting)` };
    }
    return { line: `nothing will wake it: no thread notified ${w.objectLabel}, and no running thread is left to`, cause: `"${name}" waits on ${w.objectLabel} for a notify() that no thread sends` };
  }
  if (w.op === 'wait' && w.objectKind === 'Event') {
    const sets = stepsOf(run, 'set', w.objectId, 0, Math.max(0, waitedAt));
    const clears = sets.length === 0 ? [] : stepsOf(run, 'clear', w.objectId, sets.at(-1)! + 1, Math.max(0, waitedAt));
    if (clears.length > 0) {
      const line = `nothing will wake it: ${w.objectLabel} was set at ${at(sets.at(-1)!)} and cleared again at ${at(clears.at(-1)!)}, before "${name}" began to wait at ${at(waitedAt)}`;
      return { line, cause: `"${name}" waits for ${w.objectLabel} forever: it was set and cleared again before "${name}" began to wait, and no thread is left to set it` };
    }
    return { line: `nothing will wake it: no running thread is left to set ${w.objectLabel}`, cause: `"${name}" waits for ${w.objectLabel} to be set, and no thread is left to set it` };
  }
  if (w.op === 'acquire' && (w.objectKind === 'Semaphore' || w.objectKind === 'BoundedSemaphore')) {
    const line = `nothing will wake it: ${w.objectLabel} has no permit left, and no running thread is left to release one`;
    return { line, cause: `"${name}" waits to acquire ${w.objectLabel}, which has no permit left, and no thread is left to release one (is a permit released on every path?)` };
  }
  return { line: `nothing will wake it: no running thread can ${w.op === 'acquire' ? 'release' : 'signal'} ${w.objectLabel}` };
}

function findCycle(edges: ReadonlyMap<string, { to: string; via: string }>): { names: string[]; text: string[] } | undefined {
  for (const start of edges.keys()) {
    const path = [start];
    let at = edges.get(start)?.to;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = edges.get(at)?.to;
    }
    if (at === undefined) continue;
    const loop = [...path.slice(path.indexOf(at)), at];
    const out: string[] = [`"${loop[0]}"`];
    for (let i = 1; i < loop.length; i++) out.push(`waits for ${edges.get(loop[i - 1]!)!.via} held by "${loop[i]}"`);
    return { names: loop.slice(0, -1), text: out };
  }
  return undefined;
}
