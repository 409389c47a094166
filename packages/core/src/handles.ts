import { ValueError } from './errors.ts';

/**
 * Shared objects cross threads as small records over the same shared memory: a thread
 * that receives a Lock as an argument gets a working handle to the very same lock.
 * `pack` replaces each handle in a value by its record (and rejects what cannot be
 * cloned, naming where it sits); `unpack` rebuilds the handles on arrival.
 */
export const HANDLE_KEY = '__threadlings_handle__';

export interface PackedHandle {
  readonly [HANDLE_KEY]: string;
  readonly [key: string]: unknown;
}

/** A shared object that can be sent to another thread. */
export abstract class Shareable {
  /** The record that rebuilds this handle in another thread. */
  abstract pack(): PackedHandle;
}

const revivers = new Map<string, (packed: PackedHandle) => Shareable>();

/** Registers how a kind of handle is rebuilt from its record. Each shared class calls it once. */
export function registerHandleKind(kind: string, revive: (packed: PackedHandle) => Shareable): void {
  revivers.set(kind, revive);
}

const CLONEABLE_CLASSES: ReadonlyArray<abstract new (...a: never[]) => unknown> = [
  Date,
  RegExp,
  Map,
  Set,
  Error,
  ArrayBuffer,
  SharedArrayBuffer,
  DataView,
];

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep-copies `value`, replacing shared handles by their records. Throws for what cannot cross threads. */
export function pack(value: unknown, path: string, seen = new Map<object, unknown>()): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'function':
      throw new ValueError(
        `${path} is a function, and functions cannot be sent to another thread. ` +
          'Pass data or shared objects; a thread runs an exported function named as its `target`.',
      );
    case 'symbol':
      throw new ValueError(`${path} is a symbol, and symbols cannot be sent to another thread.`);
    case 'object':
      break;
    default:
      return value;
  }
  const obj = value as object;
  if (obj instanceof Shareable) return obj.pack();
  if (seen.has(obj)) return seen.get(obj);
  if (Array.isArray(obj)) {
    const out: unknown[] = [];
    seen.set(obj, out);
    obj.forEach((item, i) => out.push(pack(item, `${path}[${i}]`, seen)));
    return out;
  }
  if (ArrayBuffer.isView(obj) || CLONEABLE_CLASSES.some((c) => obj instanceof c)) return obj;
  if (obj instanceof Promise || obj instanceof WeakMap || obj instanceof WeakSet) {
    throw new ValueError(`${path} is a ${obj.constructor.name}, which cannot be sent to another thread.`);
  }
  if (!isPlain(obj)) {
    const name = obj.constructor?.name ?? 'an object';
    throw new ValueError(
      `${path} is an instance of ${name}; a thread would receive a plain copy without its class. ` +
        'Pass plain data (objects, arrays, numbers, strings) or shared objects (SharedInt, Lock, ...).',
    );
  }
  const out: Record<string, unknown> = {};
  seen.set(obj, out);
  for (const [k, v] of Object.entries(obj)) out[k] = pack(v, `${path}.${k}`, seen);
  return out;
}

/** Rebuilds the shared handles in a value that arrived from another thread. */
export function unpack(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (seen.has(obj)) return seen.get(obj);
  const kind = obj[HANDLE_KEY];
  if (typeof kind === 'string') {
    const revive = revivers.get(kind);
    if (revive === undefined) throw new ValueError(`a shared ${kind} arrived, but this thread does not know that kind`);
    const handle = revive(obj as PackedHandle);
    seen.set(obj, handle);
    return handle;
  }
  if (Array.isArray(obj)) {
    const out: unknown[] = [];
    seen.set(obj, out);
    for (const item of obj) out.push(unpack(item, seen));
    return out;
  }
  if (!isPlain(obj)) return obj;
  const out: Record<string, unknown> = {};
  seen.set(obj, out);
  for (const [k, v] of Object.entries(obj)) out[k] = unpack(v, seen);
  return out;
}
