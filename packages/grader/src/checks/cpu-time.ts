import { readFileSync } from 'node:fs';

/**
 * A thread's own CPU time, from Linux's /proc. `process.cpuUsage()` in a worker is the
 * whole process's, so it cannot tell a thread that spins from one that waits; the
 * kernel's per-thread counters can (measured on Linux: 0 ticks while a worker waited
 * 300 ms, 28 while it spun).
 */

/** Clock ticks per second of utime/stime (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;
/** The resolution of a thread's CPU time: one clock tick. */
export const CPU_TICK_MS = 1000 / TICKS_PER_SECOND;

/** Milliseconds of CPU (user + system) a stat line reports, or undefined if it cannot be read. */
export function parseCpuMs(stat: string): number | undefined {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time used so far by a thread of this process, in milliseconds (10 ms resolution):
 * the thread with OS id `osTid`, or the calling thread when `osTid` is omitted.
 * @returns undefined where /proc is not available (not Linux) or the thread is gone.
 *
 * @example
 * ```ts
 * const before = threadCpuMs(record.osTid);
 * // ... later
 * const used = threadCpuMs(record.osTid)! - before!;
 * ```
 */
export function threadCpuMs(osTid?: number): number | undefined {
  const path = osTid === undefined ? '/proc/thread-self/stat' : `/proc/self/task/${osTid}/stat`;
  try {
    return parseCpuMs(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds a thread of this process has spent ready to run but waiting for a core
 * (the second field of Linux's per-thread schedstat, in ns), or undefined where the kernel
 * does not report it. With the thread's CPU time, it tells a spinning thread on a busy
 * machine (it wants a core all the time, and gets one a fifth of it) from a blocked one
 * (it wants none), which CPU time alone cannot.
 */
export function threadRunQueueMs(osTid?: number): number | undefined {
  const path = osTid === undefined ? '/proc/thread-self/schedstat' : `/proc/self/task/${osTid}/schedstat`;
  try {
    const waited = Number(readFileSync(path, 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
