import { runtime } from './runtime.ts';
import { mainSlot, readSlot, threadTable, type ThreadRecord } from './table.ts';
import { threadView, type Thread } from './thread.ts';

function viewOf(rec: ThreadRecord): Thread {
  return threadView(rec.slot, rec.ident, rec.name, rec.daemon);
}

/** The Thread object of the calling thread (in a subclass's `run()`, the instance itself). */
export function currentThread(): Thread {
  const rt = runtime();
  const rec = readSlot(rt.slot);
  return threadView(rt.slot, rt.ident, rec?.name ?? 'MainThread', rec?.daemon ?? false);
}

/** The main thread: the one a program's `main()` runs on (the supervising thread otherwise). */
export function mainThread(): Thread {
  const rec = readSlot(mainSlot()) ?? readSlot(0)!;
  return viewOf(rec);
}

/**
 * Every thread alive now: started and not yet finished, the main thread included.
 * The supervising thread is left out while a program's own main thread runs.
 */
export function enumerate(): Thread[] {
  return threadTable()
    .filter((r) => !r.hidden)
    .map(viewOf);
}

/** The number of threads alive now (the length of `enumerate()`). */
export function activeCount(): number {
  return threadTable().filter((r) => !r.hidden).length;
}
