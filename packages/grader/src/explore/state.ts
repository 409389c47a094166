/**
 * The controlled scheduler's shared memory: one SharedArrayBuffer per controlled run,
 * read and written by the participating threads (which make the scheduling decisions
 * where they stand) and read by the supervisor (which waits for the run to end).
 *
 * Only the thread holding the token writes the scheduler's state, except where noted:
 * a starting thread announces its arrival, and the supervisor registers the first
 * participants before any of them can decide.
 */

export const MAX_PARTICIPANTS = 32;
export const MAX_STEPS = 20_000;
export const MAX_SCHEDULE = 20_000;
export const NAME_CHARS = 128;
/** A thread name as the scheduler's state holds it (and so as schedules name it): its first NAME_CHARS - 1 characters. */
export function fitName(name: string): string {
  return name.slice(0, NAME_CHARS - 1);
}

/** `name` as a schedule can tell it apart from the names in `taken`: name, else name#2, name#3, ... */
export function distinctName(name: string, taken: ReadonlySet<string>): string {
  let own = fitName(name);
  for (let n = 2; taken.has(own); n++) own = `${fitName(name).slice(0, NAME_CHARS - 1 - `#${n}`.length)}#${n}`;
  return own;
}
export const SITE_STEPS = 4_000;
export const SITE_CHARS = 120;

// Header words.
export const H_TOKEN = 0; // participant holding the token, or NO_TOKEN
export const H_STATUS = 1; // RunStatus
export const H_PARTICIPANTS = 2; // how many are registered
export const H_STARTING = 3; // registered but not yet at their first scheduling point
export const H_STEP = 4; // decisions taken
export const H_RNG_A = 5;
export const H_RNG_B = 6;
export const H_MODE = 7; // Mode
export const H_PCT_DEPTH = 8;
export const H_PCT_K = 9; // estimated steps, for placing change points
export const H_CHANGE_1 = 10; // up to 3 change points (multi-choice step numbers)
export const H_CHANGE_2 = 11;
export const H_CHANGE_3 = 12;
export const H_CHOICE_STEPS = 13; // decisions with more than one runnable thread
export const H_REPLAY_LENGTH = 14;
export const H_REPLAY_POS = 15;
export const H_DIVERGED_AT = 16; // replay step where the schedule did not fit
export const H_DIVERGED_WANT = 17;
export const H_BLOCK_SEQ = 18; // orders blocked threads for FIFO wake-ups
export const H_RECORD_SITES = 19;
export const H_ESCAPES = 20; // bit set of Escape
export const H_STEP_LIMIT = 21;
export const H_LAST_RUNNER = 22; // who ran the last step (to count context switches)
export const H_PRIORITY_FLOOR = 23;
export const H_SEED = 24;
export const H_LOCK = 25; // spin lock over the scheduler's state, for the rare writer without the token
export const H_ABORT = 26; // set by the supervisor once a run that did not finish is over: parked threads unwind
export const HEADER_WORDS = 32;

// Words per participant.
export const P_STATE = 0; // ParticipantState
export const P_IDENT = 1;
export const P_PARK = 2; // futex word: 1 when handed the token
export const P_KEY = 3; // wait key while BLOCKED
export const P_BLOCK_SEQ = 4;
export const P_WAKE = 5; // WakeReason
export const P_PRIORITY = 6;
export const P_PENDING_OP = 7; // operation code at its point (or RESUME)
export const P_PENDING_OBJ = 8;
export const P_PENDING_VALUE = 9;
export const P_HAS_VALUE = 10;
export const P_PARENT = 11;
export const P_CHILDREN = 12;
export const P_TIMED = 13; // 1 if the block has a deadline
export const P_LOADED = 14; // ≥ 1 once the thread's own code is loaded (threadLoaded); a scenario thread starts at -1: its wrapper, then the graded module
export const P_REPLAY_NAME = 15; // index of this participant's name among the replayed schedule's names, or -1
export const PARTICIPANT_WORDS = 16;

// Per trace step: who, what, on which object, with which value.
export const S_WHO = 0;
export const S_OP = 1;
export const S_OBJ = 2;
export const S_VALUE = 3;
export const S_FLAGS = 4; // bit 0: has value; bit 1: resumed after a block; bit 2: read (value observed)
export const S_RUNNABLE = 5; // bit set of the participants that could have run
export const STEP_WORDS = 6;

export const PARTICIPANTS_BASE = HEADER_WORDS;
export const STEPS_BASE = PARTICIPANTS_BASE + MAX_PARTICIPANTS * PARTICIPANT_WORDS;
export const REPLAY_BASE = STEPS_BASE + MAX_STEPS * STEP_WORDS;
export const INT32_WORDS = REPLAY_BASE + MAX_SCHEDULE;
/** Float64 words after the Int32 region: the virtual clock and each participant's deadline. */
export const F_CLOCK = 0;
export const F_DEADLINES = 1;
export const FLOAT64_WORDS = 1 + MAX_PARTICIPANTS;
export const FLOAT64_BASE_BYTES = INT32_WORDS * 4 + ((INT32_WORDS * 4) % 8);
export const NAMES_BASE_BYTES = FLOAT64_BASE_BYTES + FLOAT64_WORDS * 8;
export const REPLAY_NAMES_BASE_UNITS = MAX_PARTICIPANTS * NAME_CHARS;
export const SITES_BASE_UNITS = 2 * MAX_PARTICIPANTS * NAME_CHARS;
export const TOTAL_BYTES = NAMES_BASE_BYTES + (SITES_BASE_UNITS + SITE_STEPS * SITE_CHARS) * 2;

export const NO_TOKEN = -1;

/** Participant states. */
export const STARTING = 0; // registered; running local code towards its first point
export const READY = 1; // parked at a scheduling point, its operation pending
export const RUNNING = 2; // holds the token
export const BLOCKED = 3; // in a wait that nothing has satisfied yet
export const WOKEN = 4; // woken (or its timeout expired): runnable, resumes inside the wait
export const DONE = 5;
export const UNUSED = 6;

/** How a run ended. */
export const RUN_GOING = 0;
export const RUN_DONE = 1;
export const RUN_DEADLOCK = 2;
export const RUN_STEP_LIMIT = 3;
export const RUN_DIVERGED = 4;
export const RUN_ABORTED = 5;

/** How the next thread is chosen. */
export const MODE_RANDOM = 0;
export const MODE_PCT = 1;
export const MODE_REPLAY = 2;
/** Round-robin, each thread in turn: fair, for telling a livelock from a starved thread. */
export const MODE_FAIR = 3;
/** Follows a prefix of participant indices, then always the first runnable: one branch of a depth-first search. */
export const MODE_DFS = 4;

export const WAKE_NONE = 0;
export const WAKE_OK = 1;
export const WAKE_TIMEOUT = 2;

/** Pending "operation" of a thread that resumes inside a wait it was woken from. */
export const OP_RESUME = -1;

/** What escaped control, as bits of H_ESCAPES. */
export const ESCAPE_TIMER = 1;
export const ESCAPE_PROMISE = 2;
export const ESCAPE_CLOCK = 4;

export interface SchedulerViews {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u16: Uint16Array;
}

export function views(sab: SharedArrayBuffer): SchedulerViews {
  return {
    sab,
    i32: new Int32Array(sab, 0, INT32_WORDS),
    f64: new Float64Array(sab, FLOAT64_BASE_BYTES, FLOAT64_WORDS),
    u16: new Uint16Array(sab, NAMES_BASE_BYTES),
  };
}

export function pBase(index: number): number {
  return PARTICIPANTS_BASE + index * PARTICIPANT_WORDS;
}

export function stepBase(step: number): number {
  return STEPS_BASE + step * STEP_WORDS;
}

export { writeString as writeText, readString as readText } from '@threadlings/core/internal';
