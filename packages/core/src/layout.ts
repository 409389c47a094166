/**
 * Where everything lives in the runtime's shared memory. Every thread maps the same
 * SharedArrayBuffer; these constants are the only place that knows its shape.
 *
 * Int32 region:
 *   [0, HEADER_WORDS)                       process-wide counters and flags
 *   [HEADER_WORDS, + MAX_THREADS*SLOT_WORDS) the thread table, one slot per thread
 * Uint16 region (after the Int32 region):
 *   thread names, wait sites and object names, fixed-width UTF-16 strings.
 */

export const MAX_THREADS = 512;

// Header words.
export const H_NEXT_IDENT = 0;
export const H_NEXT_OBJECT = 1;
export const H_THREAD_NAME_COUNTER = 2;
export const H_MAIN_SLOT = 3;
export const H_RECORD_SITES = 4;
export const H_PRINT_LOCK = 5;
export const H_LIVE_THREADS = 6;
/**
 * Most threads that may be alive at once (0: no limit but MAX_THREADS). The grader sets
 * it to an exercise's `limits.threads`, so that a submission starting hundreds of threads
 * gets an error from `start()` instead of hundreds of workers.
 */
export const H_THREAD_LIMIT = 7;
export const HEADER_WORDS = 16;

// Words of one thread slot.
/** ident * STATE_RANGE + state: a futex word that never repeats for another thread (no ABA). */
export const T_STATUS = 0;
export const T_IDENT = 1;
export const T_FLAGS = 2;
export const T_WAIT_KIND = 3;
export const T_WAIT_OBJECT = 4;
export const T_WAIT_HOLDER = 5;
export const T_WAIT_SINCE = 6;
export const T_LAST_OP = 7;
export const T_LAST_OBJECT = 8;
export const T_OP_COUNT = 9;
/** Futex word a thread parks on when it waits for someone to pick it by name (Condition, scheduler). */
export const T_PARK = 10;
export const T_NATIVE_ID = 11;
export const T_PARENT = 12;
export const T_EXIT = 13;
export const T_TASK = 14;
/** The OS thread id (Linux), for reading a thread's own CPU time from /proc. */
export const T_OS_TID = 15;
/**
 * The timeout of the current wait in whole milliseconds, or WAIT_FOREVER. A thread in a
 * timed wait (a try-lock with back-off, a sleep) will wake by itself: a deadlock detector
 * must not count it as stuck.
 */
export const T_WAIT_TIMEOUT = 16;
export const SLOT_WORDS = 17;
/** T_WAIT_TIMEOUT of a wait without a timeout. */
export const WAIT_FOREVER = -1;

/** Thread states kept in the low bits of T_STATUS. */
export const STATE_FREE = 0;
export const STATE_STARTING = 1;
export const STATE_RUNNING = 2;
export const STATE_DONE = 3;
export const STATE_RANGE = 4;

/** Thread flags. */
export const F_DAEMON = 1;
export const F_HIDDEN = 2;
export const F_FAILED = 4;
export const F_PROGRAM_MAIN = 8;
export const F_SUPERVISOR = 16;

/** How a thread ended (T_EXIT). */
export const EXIT_NONE = 0;
export const EXIT_RETURNED = 1;
export const EXIT_RAISED = 2;
export const EXIT_CRASHED = 3;
export const EXIT_TERMINATED = 4;

// Strings.
export const NAME_CHARS = 48;
export const SITE_CHARS = 160;
export const OBJECT_NAME_SLOTS = 4096;
export const OBJECT_NAME_CHARS = 40;

export const INT32_WORDS = HEADER_WORDS + MAX_THREADS * SLOT_WORDS + OBJECT_NAME_SLOTS * 2;
/** Object kind and id, two words per object-name slot, after the thread table. */
export const OBJECTS_BASE = HEADER_WORDS + MAX_THREADS * SLOT_WORDS;

export const NAMES_BASE = 0;
export const SITES_BASE = MAX_THREADS * NAME_CHARS;
export const OBJECT_NAMES_BASE = SITES_BASE + MAX_THREADS * SITE_CHARS;
export const UINT16_UNITS = OBJECT_NAMES_BASE + OBJECT_NAME_SLOTS * OBJECT_NAME_CHARS;

export const RUNTIME_BYTES = INT32_WORDS * 4 + UINT16_UNITS * 2;

export function slotBase(slot: number): number {
  return HEADER_WORDS + slot * SLOT_WORDS;
}
