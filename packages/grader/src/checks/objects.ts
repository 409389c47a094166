import { Shareable } from '@threadlings/core/internal';

/**
 * The shared objects a run's threads use, found in the scenario's state and the threads'
 * arguments, indexed by id. The watchdog asks them what the thread table cannot tell
 * for sure: who holds a lock now, whether an event is set. A waiter records the holder
 * when it starts to wait; by the time the watchdog looks, that may have changed.
 * Objects the submission creates inside its threads are not here: for those the
 * watchdog relies on the table and on time.
 */
export interface ObjectIndex {
  /** Ident of the thread holding lock `id` now (0: free); undefined when not known. */
  ownerOf(id: number): number | undefined;
  /** True when a thread waiting on object `id` is about to be woken (the lock is free, the event set, a permit left). */
  releases(id: number): boolean;
}

interface Known {
  readonly kind: string;
  readonly owner?: number;
  isSet?(): boolean;
  readonly value?: number;
  locked?(): boolean;
}

const MAX_DEPTH = 6;

function collect(value: unknown, into: Map<number, Known>, seen: Set<object>, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Shareable) {
    const id = (value as unknown as { id?: unknown }).id;
    if (typeof id === 'number') into.set(id, value as unknown as Known);
    return;
  }
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const item of items) collect(item, into, seen, depth + 1);
}

/**
 * Indexes the shared objects reachable from `roots` (a scenario's state, thread arguments).
 *
 * @example
 * ```ts
 * const objects = indexObjects([state, specs.map((s) => s.args)]);
 * objects.ownerOf(lock.id);   // the lock's holder right now
 * ```
 */
export function indexObjects(roots: readonly unknown[]): ObjectIndex {
  const known = new Map<number, Known>();
  const seen = new Set<object>();
  for (const root of roots) collect(root, known, seen, 0);
  return {
    ownerOf(id) {
      const o = known.get(id);
      return o === undefined || typeof o.owner !== 'number' ? undefined : o.owner;
    },
    releases(id) {
      const o = known.get(id);
      if (o === undefined) return false;
      switch (o.kind) {
        case 'Lock':
        case 'RLock':
          return o.owner === 0;
        case 'Event':
          return o.isSet?.() === true;
        case 'Semaphore':
        case 'BoundedSemaphore':
          return (o.value ?? 0) > 0;
        default:
          return false;
      }
    },
  };
}

/** An index that knows nothing (programs: their objects are made inside their threads). */
export const NO_OBJECTS: ObjectIndex = { ownerOf: () => undefined, releases: () => false };
