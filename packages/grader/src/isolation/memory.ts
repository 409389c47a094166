import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/*
 * The resident memory of a whole process: every thread's heap and every ArrayBuffer
 * (worker `resourceLimits` bound only the JavaScript heap of one worker). Linux has it in
 * /proc/<pid>/status, cheap enough to read every few tens of milliseconds; elsewhere
 * `ps` is asked, which costs a process start, so less often.
 */

export const POLL_MS = process.platform === 'linux' ? 25 : 500;

/** The resident set size of `pid` in MB, or undefined when the process is gone or unreadable. */
export async function residentMb(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) / 1024;
    } catch {
      return undefined;
    }
  }
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
      const kb = Number.parseInt(stdout.trim(), 10);
      resolve(error !== null || Number.isNaN(kb) ? undefined : kb / 1024);
    });
  });
}
