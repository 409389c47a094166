import './polyfill.ts';
import { HANDLE_KEY, Shareable, type PackedHandle } from './handles.ts';
import type { ObjectKind } from './kinds.ts';
import { F_PROGRAM_MAIN, T_FLAGS, slotBase } from './layout.ts';
import { markOwned, registerObject, runtime, threadName } from './runtime.ts';
import type { SharedObject, WaitTarget } from './seam.ts';
import { callSite } from './seam.ts';

/** Options every shared object accepts. */
export interface SharedOptions {
  /** A name for reports and schedules ("waiting to lock Lock 'accountA'"). */
  readonly name?: string;
}

/** Words of a futex key per object: object id * KEY_STRIDE + word index. */
const KEY_STRIDE = 8;
const warned = new Set<string>();

/**
 * Base of every shared object: a handle over a few Int32 words of shared memory, with a
 * process-wide id. Sending a handle to a thread sends the memory, not a copy.
 */
export abstract class SharedPrimitive extends Shareable implements SharedObject {
  readonly id: number;
  readonly kind: ObjectKind;
  readonly name: string | undefined;
  protected readonly words: Int32Array;
  /** The label of the object this one is part of (a Condition, for the lock it made itself). */
  private partOf: string | undefined;

  protected constructor(kind: ObjectKind, wordCount: number, options: SharedOptions | undefined, from?: PackedHandle) {
    super();
    this.kind = kind;
    if (from !== undefined) {
      this.id = from['id'] as number;
      this.name = from['name'] as string | undefined;
      this.partOf = from['partOf'] as string | undefined;
      this.words = new Int32Array(from['sab'] as SharedArrayBuffer);
      return;
    }
    const name = options?.name;
    if (name !== undefined && typeof name !== 'string') {
      throw new TypeError(`Expected \`options.name\` to be a string, got ${typeof name}`);
    }
    this.name = name;
    this.id = registerObject(kind, name);
    this.words = new Int32Array(new SharedArrayBuffer(wordCount * 4));
    warnIfMadeAtImport(kind);
  }

  /** How reports name this object: `Lock 'a'`, or `Lock#3` when unnamed. */
  get label(): string {
    if (this.partOf !== undefined) return `${this.partOf} (its lock)`;
    return this.name === undefined ? `${this.kind}#${this.id}` : `${this.kind} '${this.name}'`;
  }

  protected target(index: number): WaitTarget {
    return { i32: this.words, index, key: this.id * KEY_STRIDE + index };
  }

  override pack(): PackedHandle {
    return { [HANDLE_KEY]: this.kind, id: this.id, name: this.name, partOf: this.partOf, sab: this.words.buffer, ...this.packExtra() };
  }

  /** Makes this object (a lock) be named after `owner` in every report: `Condition 'items' (its lock)`. */
  protected static markPartOf(part: SharedPrimitive, owner: SharedPrimitive): void {
    part.partOf = owner.label;
    markOwned(part.id, part.kind, owner.label);
  }

  protected packExtra(): Record<string, unknown> {
    return {};
  }

  override toString(): string {
    return `<${this.label}>`;
  }
}

/**
 * A primitive with acquire() and release() (Lock, RLock, Semaphore): its `with` and `hold`
 * are written here once.
 */
export abstract class AcquirablePrimitive extends SharedPrimitive {
  abstract acquire(blocking?: boolean, timeout?: number): boolean;
  abstract release(): void;

  /** Runs `fn` between acquire() and release(), and releases however `fn` ends (Python's `with lock:`). */
  with<T>(fn: () => T): T {
    this.acquire();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** Acquires and returns a disposable that releases: `using _ = lock.hold();`. */
  hold(): Disposable {
    this.acquire();
    return { [Symbol.dispose]: () => this.release() };
  }
}

/**
 * A primitive created while a thread imports its module belongs to that thread alone:
 * every thread imports the module afresh, so each gets its own. Say so once per place.
 */
function warnIfMadeAtImport(kind: ObjectKind): void {
  const rt = runtime();
  if (!rt.importing) return;
  if ((Atomics.load(rt.i32, slotBase(rt.slot) + T_FLAGS) & F_PROGRAM_MAIN) !== 0) return;
  const site = callSite();
  const key = `${kind}@${site}`;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(
    `a ${kind} was created at the top level of a module (${site}) while thread '${threadName(rt.slot)}' imported it. ` +
      `Every thread imports its modules afresh, so each thread gets its own ${kind} and nothing is shared. ` +
      `Create it in main() (or in the scenario's setup) and pass it to the threads as an argument.`,
    { code: 'THREADLINGS_PER_THREAD_PRIMITIVE' },
  );
}
