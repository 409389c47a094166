/*
 * The plant: helpers you call and do not edit, and the foreman, who opens the start gate
 * and later signals the shutdown. Everything is noted in shared memory for the checks.
 */
import { Event, SharedInt32Array, sleep } from '@threadlings/core';

/** Units of work each worker does between the start gate and the shutdown. */
export const UNITS = 3;

const GATE_OPEN = 0;
const EARLY = 1;
const DONE = 2;
const STOPPED = 3;
const STOPPED_EARLY = 4;

export interface Plant {
  /** Set by the foreman when work may start. */
  readonly gate: Event;
  /** Set by the foreman when the workers may go home. */
  readonly shutdown: Event;
  /** [gate open, units done before it, units done, workers stopped, workers stopped before the shutdown] */
  readonly log: SharedInt32Array;
  /** Set when every unit of work is done; the foreman waits for it. */
  readonly allDone: Event;
}

export function openPlant(): Plant {
  return { gate: new Event({ name: 'start gate' }), shutdown: new Event({ name: 'shutdown' }), log: new SharedInt32Array(5, { name: 'plant log' }), allDone: new Event({ name: 'all work done' }) };
}

/** One unit of work. `workers` is how many workers the plant has. */
export function doUnit(plant: Plant, workers: number): void {
  if (plant.log.get(GATE_OPEN) === 0) plant.log.add(EARLY, 1);
  if (plant.log.add(DONE, 1) === workers * UNITS) plant.allDone.set();
}

/** A worker goes home. */
export function goHome(plant: Plant): void {
  if (!plant.shutdown.isSet()) plant.log.add(STOPPED_EARLY, 1);
  plant.log.add(STOPPED, 1);
}

/** The foreman: opens the gate after `delay` seconds, waits until the work is done, and after `delay` more signals the shutdown. */
export function foreman(plant: Plant, delay: number): void {
  if (delay > 0) sleep(delay);
  plant.log.set(GATE_OPEN, 1);
  plant.gate.set();
  plant.allDone.wait();
  if (delay > 0) sleep(delay);
  plant.shutdown.set();
}

export function readLog(plant: Plant): { early: number; done: number; stopped: number; stoppedEarly: number } {
  const [, early = 0, done = 0, stopped = 0, stoppedEarly = 0] = plant.log.toArray();
  return { early, done, stopped, stoppedEarly };
}
