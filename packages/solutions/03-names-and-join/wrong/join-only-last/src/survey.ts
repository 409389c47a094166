import { Event, Thread, type SharedInt32Array } from '@threadlings/core';
import { measure, measureLate, newReadings, totalOfFirstThree } from './lib/stations.ts';

/** What a survey found. */
export interface Survey {
  /** The total of stations 1, 2 and 3. */
  readonly total: number;
  /** Whether the late station was still measuring when the survey stopped waiting for it. */
  readonly lateStillRunning: boolean;
}

/**
 * Starts one thread per station, named `station-1` to `station-4`, waits for stations 1 to
 * 3 to finish and adds up their readings. It waits for the late station 4 at most 0.1 s.
 */
export function survey(readings: SharedInt32Array, sensor: Event): Survey {
  const stations = [1, 2, 3].map((i) => new Thread({ target: measure, args: [readings, i], name: `station-${i}` }));
  const late = new Thread({ target: measureLate, args: [readings, sensor], name: 'station-4' });
  for (const s of stations) s.start();
  late.start();
  stations[stations.length - 1]!.join();
  const total = totalOfFirstThree(readings);
  late.join(0.1);
  return { total, lateStillRunning: late.isAlive() };
}

export function main(): Survey {
  const found = survey(newReadings(), new Event({ name: 'sensor' }));
  console.log(`total of stations 1-3: ${found.total} (expected 60); station 4 still measuring: ${found.lateStillRunning}`);
  return found;
}
