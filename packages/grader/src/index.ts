/** @threadlings/grader: the check API for exercise authors. The CLI lives in bin.ts. */
export { defineChecks, type ChecksBuilder, type ChecksDefinition, type ExploreCheckOptions } from './api.ts';
export { defineScenario, type Scenario, type ThreadSpec, type RunOutcome, type HistoryStep, type Verdict } from './scenario.ts';
export type { CheckContext, LocationLike, RunOnceOptions, ProgramRunOptions, ScenarioRun } from './context.ts';
export { CheckFailure, ChecksError } from './check-failure.ts';
export { gauge } from './gauge.ts';
export type { StressOptions } from './checks/stress.ts';
export type { StructureOptions } from './checks/structure.ts';
export type { OverlapOptions } from './checks/overlap.ts';
export type { SpeedupOptions } from './checks/speedup.ts';
export type { BusyWaitOptions } from './checks/busy-wait.ts';
export type { ProgramWorkload, Workload } from './checks/workload.ts';
export { runChecks, type RunChecksOptions } from './checks/run.ts';
export * from './results.ts';
export { Manifest, Limits, MANIFEST_FILE } from './manifest.ts';
