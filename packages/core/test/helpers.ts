/**
 * Helpers shared by the core's tests. Tests run on the supervising thread: they start
 * threads on exports of the fixture modules, never block, and coordinate with the
 * threads through shared objects (hand-shakes), never through sleeps.
 */
import { fileURLToPath } from 'node:url';
import { Thread, enumerate, onThreadException, type ThreadExceptionInfo } from '../src/index.ts';

/** Absolute path of a fixture module (test/fixtures/NAME.ts). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
}

export interface StartOptions {
  readonly name?: string;
  readonly daemon?: boolean;
}

/** Creates and starts a thread on the export `target` of `module`. */
export function startThread(module: string, target: string, args: readonly unknown[] = [], options: StartOptions = {}): Thread {
  const t = new Thread({ target, module, args, ...options });
  t.start();
  return t;
}

/** Joins every thread (asynchronously: the supervisor never blocks). */
export async function joinAll(threads: readonly Thread[]): Promise<void> {
  for (const t of threads) await t.joinAsync();
}

/** Each thread's name, state and what it waits on: what a failing wait prints. */
export function describeThreads(): string {
  return enumerate()
    .map((t) => {
      const w = t.waitingFor;
      return `${t.name}(${t.state}${w === null ? '' : ` ${w.op} ${w.objectLabel} held by ${w.holder}`})`;
    })
    .join(', ');
}

const LIVENESS_LIMIT_MS = 10_000;

/**
 * Waits, on the supervisor's event loop, until `condition` holds: each turn is a real
 * observation of shared state, not a guess at how long something takes. The limit only
 * turns a hang into a failure that says what was awaited and what every thread was doing.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > LIVENESS_LIMIT_MS) {
      throw new Error(`gave up after ${LIVENESS_LIMIT_MS} ms waiting until ${what}; threads: ${describeThreads()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Waits until `t` is blocked (in Atomics.wait, not spinning), on an object of kind `kind` if given. */
export function untilBlocked(t: Thread, kind?: string): Promise<void> {
  return until(
    () => t.state === 'blocked' && (kind === undefined || t.waitingFor?.objectKind === kind),
    `thread '${t.name}' is blocked${kind === undefined ? '' : ` on a ${kind}`}`,
  );
}

/*
 * Thread exceptions. The setup file logs every exception a thread reports during a test
 * and fails the test on any that the test did not claim with `claimThreadExceptions()`:
 * a fixture that throws by accident cannot go unnoticed.
 */
let log: ThreadExceptionInfo[] = [];
let claimed = 0;
let removeHandler: (() => void) | undefined;

export function startExceptionLog(): void {
  log = [];
  claimed = 0;
  removeHandler = onThreadException((info) => log.push(info));
}

/** Stops logging; returns the exceptions no test claimed. */
export function stopExceptionLog(): ThreadExceptionInfo[] {
  removeHandler?.();
  removeHandler = undefined;
  return log.slice(claimed);
}

/** The thread exceptions reported so far in this test; they are expected, so the test does not fail on them. */
export function claimThreadExceptions(): ThreadExceptionInfo[] {
  claimed = log.length;
  return [...log];
}
