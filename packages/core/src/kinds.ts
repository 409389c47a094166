/**
 * Names of the things the thread table and the seam talk about. The table stores
 * them as small integers; everything else uses the names.
 */

export const OBJECT_KINDS = [
  'none',
  'Lock',
  'RLock',
  'Semaphore',
  'BoundedSemaphore',
  'Event',
  'Condition',
  'Barrier',
  'Thread',
  'SharedInt',
  'SharedInt32Array',
  'clock',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export const OPERATIONS = [
  'none',
  'acquire',
  'release',
  'wait',
  'notify',
  'set',
  'clear',
  'isSet',
  'locked',
  'read',
  'write',
  'update',
  'join',
  'start',
  'sleep',
  'abort',
  'reset',
  'run',
] as const;
/** An operation a thread performs on a shared object; each is a scheduling point. */
export type Operation = (typeof OPERATIONS)[number];

export function objectKindCode(kind: ObjectKind): number {
  return OBJECT_KINDS.indexOf(kind);
}
export function objectKindOf(code: number): ObjectKind {
  return OBJECT_KINDS[code] ?? 'none';
}
export function operationCode(op: Operation): number {
  return OPERATIONS.indexOf(op);
}
export function operationOf(code: number): Operation {
  return OPERATIONS[code] ?? 'none';
}
