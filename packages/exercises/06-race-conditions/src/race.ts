import { SharedInt, Thread } from '@threadlings/core';

/**
 * Runs the race for real (`pnpm try 06`): two threads increment one counter many times
 * with no lock, and two withdraw from one balance at once. Run it a few times: how many
 * increments are lost differs from run to run, and some runs lose none. That is why a
 * race is found by controlling the interleaving, not by running the code and hoping.
 */
export function main(): void {
  const counter = new SharedInt(0, { name: 'counter' });
  const threads = ['A', 'B'].map((name) => new Thread({ target: 'incrementMany', module: import.meta.url, args: [counter, 100_000], name }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  const lost = 200_000 - counter.value;
  console.log(`counter: ${counter.value} after 2 × 100000 increments (${lost} lost to the race)`);

  let overdrawn = 0;
  for (let round = 0; round < 200; round++) {
    const balance = new SharedInt(100, { name: 'balance' });
    const both = ['alice', 'bob'].map((name) => new Thread({ target: 'withdrawOnce', module: import.meta.url, args: [balance, 80], name }));
    for (const t of both) t.start();
    for (const t of both) t.join();
    if (balance.value < 0) overdrawn++;
  }
  console.log(`balance of 100, alice and bob each withdraw 80: overdrawn in ${overdrawn} of 200 rounds`);
  console.log('Now write the interleavings that make them happen every time: schedules/lost-update.txt and schedules/overdraw.txt.');
}

export { incrementMany, withdrawOnce } from './lib/threads.ts';
