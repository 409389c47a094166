import type { ErrorInfo } from '@threadlings/core';
import { firstLocationIn, formatLocation, studentStack, type Location } from './sites.ts';

/**
 * A thread's failure in words: it raised, it could not load the graded module, it died
 * (process.exit() in a thread, out of memory), or it tried to start more threads than
 * the exercise allows.
 */
export interface ThreadFailure {
  readonly message: string;
  readonly details: string;
  readonly location?: Location;
}

const LOADING = /\bat (?:Module\._compile|Object\.transformer|Module\.load)\b/;

/** True when the error was thrown while the module was being imported. */
function duringImport(stack: string, location: Location | undefined): boolean {
  if (location === undefined || !LOADING.test(stack)) return false;
  // The frames before the loader's are the module's top level.
  const lines = stack.split('\n');
  const loader = lines.findIndex((l) => LOADING.test(l));
  return lines.slice(1, loader).some((l) => l.includes(location.file));
}

/**
 * Describes what went wrong in thread `name`.
 * @param maxThreads the exercise's limit on threads per check, named when the thread hit it.
 *
 * @example
 * ```ts
 * describeThreadError('T1', t.error!, sourceRoot, 32).message
 * // '"T1" raised TypeError: balance.add is not a function (at src/bank.ts:12)'
 * ```
 */
export function describeThreadError(name: string, error: ErrorInfo, root: string, maxThreads: number): ThreadFailure {
  const location = firstLocationIn(error.stack, root);
  const where = location === undefined ? '' : ` (at ${formatLocation(location)})`;
  const what = `${error.name}: ${error.message}`;
  const withLocation = (message: string): ThreadFailure => ({ message, details: error.stack ? studentStack(error.stack, root) : what, ...(location === undefined ? {} : { location }) });
  if (error.name === 'ThreadExit' || error.message.includes('ended before its target returned')) {
    return withLocation(`Thread "${name}" died before it finished: ${error.message}. A thread must return (or throw); process.exit() ends the whole thread abruptly.`);
  }
  if (error.name === 'Terminated') return withLocation(`Thread "${name}" was stopped by the grader.`);
  if (error.message.startsWith("can't start a new thread")) {
    return withLocation(
      `Thread "${name}" started too many threads${where}: start() failed because ${maxThreads} threads were alive already, ` +
        `the most this exercise allows at once (limits.threads in threadlings.json). Start only the threads the task needs, and join them.`,
    );
  }
  if (duringImport(error.stack, location)) {
    return withLocation(`${location!.file} failed to load in thread "${name}": ${what}${where}. Code at the top level of a module runs when each thread imports it; move it into a function.`);
  }
  return withLocation(`Thread "${name}" raised ${what}${where}.`);
}
