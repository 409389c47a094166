/** The core's internals that the grader and the controlled scheduler build on. Not for exercises. */
export { seam, installStrategy, point, block, wake, now, callSite, type Strategy, type StrategyConfig, type StrategyFactory, type SharedObject, type WaitTarget, type WaitInfo, type WaitResult } from './seam.ts';
export { threadTable, readSlot, objectLabel, statusTarget, type ThreadRecord, type WaitRecord } from './table.ts';
export { runtime, isSupervisor, writeString, readString } from './runtime.ts';
export { supervisor } from './supervisor.ts';
export { pack, unpack, Shareable, registerHandleKind, type PackedHandle } from './handles.ts';
export { SharedPrimitive } from './primitive.ts';
export { waitAsync } from './async-wait.ts';
export { errorInfo, type ThreadTask, type TargetRef } from './task.ts';
export * as layout from './layout.ts';
export { OPERATIONS, OBJECT_KINDS, operationCode, operationOf, objectKindOf, type Operation, type ObjectKind } from './kinds.ts';
export { lockDown, isLockedDown, LockdownError } from './lockdown.ts';
