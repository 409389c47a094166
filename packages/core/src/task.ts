import { inspect } from 'node:util';
import type { StrategyConfig } from './seam.ts';

/** Where a thread's code lives: an export of a module, a function or a Thread subclass. */
export interface TargetRef {
  /** Absolute path of the module file. */
  readonly module: string;
  readonly export: string;
  readonly kind: 'function' | 'subclass';
}

/** What the supervisor hands a worker to run one thread. */
export interface ThreadTask {
  readonly slot: number;
  readonly ident: number;
  readonly objectId: number;
  readonly name: string;
  readonly target: TargetRef;
  /** Arguments, packed (shared handles as records). */
  readonly args: unknown;
  /** A subclass instance's own fields, packed. */
  readonly fields: unknown;
  readonly strategy: StrategyConfig | null;
  readonly daemon: boolean;
  readonly programMain: boolean;
}

export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/**
 * How a thread ended: its target returned a value, raised, or its worker died before
 * the target finished (a bad import, `process.exit`, out of memory), or the supervisor
 * terminated it.
 */
export type Outcome =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'raised'; readonly error: ErrorInfo }
  | { readonly kind: 'crashed'; readonly error: ErrorInfo }
  | { readonly kind: 'terminated' };

const WORKER_ENTRY = new URL('./worker-entry.ts', import.meta.url).pathname;

/** A stack as the student needs it: their frames, without the core's worker plumbing below them. */
function trimStack(stack: string): string {
  const lines = stack.split('\n');
  const cut = lines.findIndex((l) => l.includes(WORKER_ENTRY));
  return (cut > 0 ? lines.slice(0, cut) : lines).join('\n');
}

export function errorInfo(e: unknown): ErrorInfo {
  // What was thrown may be hostile (a Proxy, getters or toString that throw): nothing here may throw in turn.
  let isError = false;
  try {
    isError = e instanceof Error;
  } catch {
    isError = false;
  }
  if (isError) {
    const name = safeString(() => (e as Error).name) ?? 'Error';
    const message = safeString(() => (e as Error).message) ?? '(its message could not be read)';
    const stack = safeString(() => (e as Error).stack) ?? `${name}: ${message}`;
    return { name, message, stack: trimStack(stack) };
  }
  const text = describeThrown(e);
  return { name: 'Error', message: `a non-Error value was thrown: ${text}`, stack: `thrown: ${text}` };
}

/** A string property read without letting a throwing getter through; undefined when it throws or is not a string. */
function safeString(read: () => unknown): string | undefined {
  try {
    const v = read();
    return typeof v === 'string' ? v : v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** A thrown value that is not an Error, in a few words, whatever it is. */
function describeThrown(e: unknown): string {
  if (typeof e === 'string') return e;
  if (typeof e === 'symbol') return Symbol.prototype.toString.call(e);
  if (typeof e === 'bigint') return `${e}n`;
  if (e === null || typeof e !== 'object') return String(e);
  try {
    return inspect(e, { depth: 2, breakLength: Infinity, showProxy: true, customInspect: false }).slice(0, 500);
  } catch {
    return 'an object that cannot be shown (its inspection threw)';
  }
}
