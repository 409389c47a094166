/*
 * Weather stations: helpers you call and do not edit. Each reading is written into a shared
 * array by the thread that measured it, with a note of whether that thread had the name it
 * should have.
 */
import { SharedInt32Array, currentThread, type Event } from '@threadlings/core';

/** Stations 1 to 3 report at once; station 4 is late. */
export const STATIONS = 4;
/** readings[i - 1] is station i's reading; readings[STATIONS + i - 1] is 1 if its thread was named `station-i`, 2 if not. */
export function newReadings(): SharedInt32Array {
  return new SharedInt32Array(STATIONS * 2, { name: 'readings' });
}

/** Station `i` measures: it writes its reading, `i * 10`. */
export function measure(readings: SharedInt32Array, i: number): void {
  readings.set(STATIONS + i - 1, currentThread().name === `station-${i}` ? 1 : 2);
  readings.set(i - 1, i * 10);
}

/** The late station: it waits up to a second for its sensor (`sensor` is set when it is ready), then measures. */
export function measureLate(readings: SharedInt32Array, sensor: Event): void {
  sensor.wait(1);
  measure(readings, STATIONS);
}

/** The total of stations 1 to 3, as it stands in the array now. */
export function totalOfFirstThree(readings: SharedInt32Array): number {
  return readings.get(0) + readings.get(1) + readings.get(2);
}
