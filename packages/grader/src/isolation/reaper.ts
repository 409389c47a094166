import type { ChildProcess } from 'node:child_process';

/*
 * Children run in their own process group (so that a time limit kills everything a
 * submission started), which also means a Ctrl+C at the terminal does not reach them.
 * The reaper kills every live child's group when the CLI exits or is interrupted.
 */

const live = new Set<ChildProcess>();
let installed = false;

/** Kills a child's whole process group; quietly does nothing when it is already gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

function killAll(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

export function track(child: ChildProcess): void {
  live.add(child);
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export function untrack(child: ChildProcess): void {
  live.delete(child);
}
