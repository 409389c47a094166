import type { ObjectIndex } from './objects.ts';
import { formatSite, parseSite, type Location } from './sites.ts';
import type { HungThread, Trouble } from './watchdog.ts';
import { holderOf, type SeenThread } from './wait-graph.ts';

/**
 * What the watchdog found, in words a student can act on, JVM-style:
 *   Found a deadlock: "T1" waits to acquire Lock 'a' (at src/bank.ts:12), held by "T2";
 *   "T2" waits to acquire Lock 'b' (at src/bank.ts:12), held by "T1".
 */
export interface Explained {
  readonly message: string;
  readonly details: string;
  readonly location?: Location;
}

const quote = (name: string): string => `"${name}"`;

function nameOf(ident: number, threads: readonly SeenThread[]): string {
  const t = threads.find((o) => o.rec.ident === ident);
  return t === undefined ? `thread #${ident}` : quote(t.rec.name);
}

/** "waits to acquire Lock 'a' (at src/bank.ts:12), held by "T2"" */
export function describeWait(t: SeenThread, threads: readonly SeenThread[], objects: ObjectIndex, root: string): string {
  const w = t.rec.waiting;
  if (w === null) return 'is running';
  const site = formatSite(w.site, root);
  const at = site === '' ? '' : ` (at ${site})`;
  const holder = holderOf(t, objects).ident;
  const heldBy = holder === 0 ? '' : `, held by ${nameOf(holder, threads)}`;
  const timed = w.timeoutMs === Infinity ? '' : ` (with a timeout of ${w.timeoutMs} ms)`;
  const kind = w.objectKind;
  switch (w.op) {
    case 'acquire':
      if (kind === 'Semaphore' || kind === 'BoundedSemaphore') return `waits to acquire ${w.objectLabel}, which has no permit left${at}${timed}`;
      return `waits to acquire ${w.objectLabel}${at}${heldBy}${timed}`;
    case 'join':
      return `waits to join ${nameOf(w.holder, threads)}${at}${timed}`;
    case 'sleep':
      return `sleeps${at}`;
    case 'wait':
      if (kind === 'Event') return `waits for ${w.objectLabel} to be set${at}${timed}`;
      if (kind === 'Condition') return `waits on ${w.objectLabel} for a notify()${at}${timed}`;
      return `waits on ${w.objectLabel}${at}${timed}`;
    default:
      return `waits on ${w.objectLabel} (${w.op})${at}${timed}`;
  }
}

function describeRunning(t: HungThread): string {
  const cpu = t.cpu === undefined ? '' : `, using ${Math.round(t.cpu * 100)}% of a core`;
  const last = t.rec.lastOp === 'none' ? 'it has made no operation on a shared object' : `its last operation was ${t.rec.lastOp} on ${t.rec.lastObjectLabel || 'a shared object'}`;
  const ops = t.recentOps > 0 ? ` (${t.recentOps.toLocaleString('en-US')} operations in the last moments: a loop that never ends?)` : ' (none in the last moments: a loop, or a long computation, that touches no shared object?)';
  return `is running${cpu}; ${last}, ${t.rec.opCount.toLocaleString('en-US')} operations so far${ops}`;
}

function firstSite(threads: readonly SeenThread[], root: string): Location | undefined {
  for (const t of threads) {
    const at = t.rec.waiting === null ? undefined : parseSite(t.rec.waiting.site, root);
    if (at?.inRoot === true) return { file: at.file, ...(at.line === undefined ? {} : { line: at.line }) };
  }
  return undefined;
}

function table(threads: readonly SeenThread[], objects: ObjectIndex, root: string): string {
  return threads
    .map((t) => {
      const what = 'recentOps' in t ? (t.rec.waiting === null ? describeRunning(t as HungThread) : describeWait(t, threads, objects, root)) : describeWait(t, threads, objects, root);
      return `  ${quote(t.rec.name)} ${what}`;
    })
    .join('\n');
}

/** The message, details and location of a trouble the watchdog found. */
export function explainTrouble(trouble: Trouble, objects: ObjectIndex, root: string): Explained {
  switch (trouble.kind) {
    case 'deadlock': {
      const parts = trouble.cycle.map((t) => `${quote(t.rec.name)} ${describeWait(t, trouble.cycle, objects, root)}`);
      const location = firstSite(trouble.cycle, root);
      return {
        message: `Found a deadlock: ${parts.join('; ')}.`,
        details:
          `Each of these threads waits for the next one, and the last for the first, so none can go on:\n${table(trouble.cycle, objects, root)}\n` +
          'A deadlock needs threads that hold one thing while they wait for another, in a circle. Take the locks in one global order ' +
          '(for example by account id), or take the second with a timeout and back off.',
        ...(location === undefined ? {} : { location }),
      };
    }
    case 'stuck': {
      const parts = trouble.threads.map((t) => `${quote(t.rec.name)} ${describeWait(t, trouble.threads, objects, root)}`);
      const location = firstSite(trouble.threads, root);
      return {
        message: `Every thread is waiting, and no thread is left to wake them: ${parts.join('; ')}.`,
        details:
          `Nothing changed for a while (no cycle: each waits for something that no running thread will give):\n${table(trouble.threads, objects, root)}\n` +
          'Is the event ever set, the lock released on every path, the condition notified after the change? A notify() sent while nobody waits is lost: ' +
          'check the state in a `while` loop before waiting.',
        ...(location === undefined ? {} : { location }),
      };
    }
    case 'hang': {
      const threads = trouble.threads;
      const parts = threads.map((t) => `${quote(t.rec.name)} ${t.rec.waiting === null ? describeRunning(t) : describeWait(t, threads, objects, root)}`);
      const location = firstSite(threads, root);
      return {
        message: trouble.starting
          ? `The threads did not get under way within ${trouble.limitMs} ms (does a module loop or wait while it is imported?): ${parts.join('; ')}.`
          : `The run did not finish within its time limit of ${trouble.limitMs} ms: ${parts.join('; ')}.`,
        details: `When the time limit passed:\n${table(threads, objects, root)}\nAll threads were stopped.`,
        ...(location === undefined ? {} : { location }),
      };
    }
  }
}
