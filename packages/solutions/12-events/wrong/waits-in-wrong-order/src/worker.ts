import { Thread } from '@threadlings/core';
import { UNITS, doUnit, foreman, goHome, openPlant, readLog, type Plant } from './lib/plant.ts';

/**
 * A worker: waits at the start gate until the foreman opens it, does its UNITS units of
 * work, then waits for the shutdown signal before it goes home.
 */
export function worker(plant: Plant, workers: number): void {
  // Waits for the shutdown first: the foreman signals it only once the work is done.
  plant.shutdown.wait();
  plant.gate.wait();
  for (let i = 0; i < UNITS; i++) doUnit(plant, workers);
  goHome(plant);
}

export function main(): void {
  const plant = openPlant();
  const workers = [1, 2, 3].map((i) => new Thread({ target: worker, args: [plant, 3], name: `worker-${i}` }));
  const boss = new Thread({ target: foreman, args: [plant, 0.2], name: 'foreman' });
  for (const w of workers) w.start();
  boss.start();
  for (const t of [...workers, boss]) t.join();
  console.log(readLog(plant));
}
