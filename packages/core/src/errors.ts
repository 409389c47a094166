/**
 * Errors of the core. Each has a stable `code`; the primitives keep Python's messages
 * ("release unlocked lock", "Semaphore released too many times") so that students
 * recognise them across languages.
 */
export class ThreadingError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Python's RuntimeError: an operation used in a state where it makes no sense. */
export class RuntimeError extends ThreadingError {
  constructor(message: string, code = 'RUNTIME_ERROR') {
    super(code, message);
  }
}

/** Python's ValueError: an argument of the right type with a value that is not allowed. */
export class ValueError extends ThreadingError {
  constructor(message: string) {
    super('VALUE_ERROR', message);
  }
}

/** Raised in every thread waiting at a Barrier that was aborted or broken. A RuntimeError, as in Python. */
export class BrokenBarrierError extends RuntimeError {
  constructor() {
    super('the barrier is broken: it was aborted or reset, or a wait timed out', 'BROKEN_BARRIER');
  }
}

/** A blocking call on the supervising thread, which must stay free to run every thread. */
export class SupervisorBlockError extends ThreadingError {
  constructor(op: string, label: string) {
    super(
      'SUPERVISOR_BLOCK',
      `${op}() on ${label} would block the supervising thread, which must stay free to start, watch and ` +
        `join threads. Use the async form (e.g. \`await lock.acquireAsync()\`, \`await t.joinAsync()\`), or ` +
        `run this code in a thread (runProgram runs a module's main() as a thread).`,
    );
  }
}

function describe(value: unknown): string {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/** An argument error naming the argument, the rule and the actual value with its type. */
export function argumentError(name: string, rule: string, value: unknown, hint = ''): ValueError {
  return new ValueError(`Expected \`${name}\` to be ${rule}, got ${describe(value)}${hint ? `. ${hint}` : ''}`);
}

export function checkTimeout(name: string, timeout: number | null | undefined, allowNegativeAsForever: boolean): number {
  if (timeout === undefined || timeout === null) return Infinity;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    throw argumentError(name, 'a number of seconds', timeout);
  }
  if (timeout < 0) {
    if (allowNegativeAsForever && timeout === -1) return Infinity;
    throw argumentError(name, allowNegativeAsForever ? 'a number of seconds >= 0, or -1 for no timeout' : 'a number of seconds >= 0', timeout);
  }
  return timeout * 1000;
}

export function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw argumentError(name, `an integer >= ${min}`, value);
  }
  return value;
}
