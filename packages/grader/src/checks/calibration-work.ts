import { gauge } from '../gauge.ts';

/*
 * The calibration workload of speed-up checks: pure CPU work that shares nothing, so it
 * speeds up exactly as much as the machine allows right now. Run on one thread and split
 * over several, in the same check as the student's code, it says what speed-up this
 * machine can show at the moment.
 */
let sink = 0;

/** Spins through `units` rounds of integer arithmetic, counted as work by the gauge. @returns a value, so nothing is optimised away. */
export function calibrationWork(units: number): number {
  return gauge.measure(() => {
    let x = sink | 1;
    for (let i = 0; i < units; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    sink = x;
    return x;
  });
}
