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
  if (e instanceof Error) return { name: e.name, message: e.message, stack: trimStack(e.stack ?? `${e.name}: ${e.message}`) };
  const text = typeof e === 'string' ? e : (() => { try { return JSON.stringify(e); } catch { return String(e); } })();
  return { name: 'Error', message: `a non-Error value was thrown: ${text}`, stack: `thrown: ${text}` };
}
