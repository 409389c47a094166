/**
 * What the chaos strategy buys: the share of free runs in which a racy counter loses an
 * update, with chaos and without it (only recording), for races of several sizes. A run
 * that loses no update passes, so this is how often one stress run catches the race.
 *
 *   pnpm --filter @threadlings/grader exec tsx bench/chaos-power.ts [RUNS]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Lock, SharedInt } from '@threadlings/core';
import { runScenarioFree } from '../src/checks/run-free.ts';
import { openSession } from '../src/checks/session.ts';
import { Manifest } from '../src/manifest.ts';
import { defineScenario } from '../src/scenario.ts';

const runs = Number(process.argv[2] ?? 200);
const dir = fileURLToPath(new URL('../test/fixtures/exercises/02-counter-racy/', import.meta.url));
const manifest = Manifest.parse(JSON.parse(readFileSync(`${dir}threadlings.json`, 'utf8')));
const session = openSession({ exerciseId: manifest.id, exerciseDir: dir, sourceRoot: dir, manifest });
const bank = `${dir}src/bank.ts`;

for (const times of [10, 100, 1000, 10_000]) {
  const scenario = defineScenario({
    setup: () => ({ balance: new SharedInt(0), lock: new Lock() }),
    threads: (s) => [0, 1].map(() => ({ module: bank, export: 'deposit', args: [s.balance, s.lock, times] })),
    judge: (s) => (s.balance.peek() === 2 * times ? { ok: true } : { ok: false, message: 'lost' }),
  });
  const row: string[] = [];
  for (const perturb of [false, true]) {
    let lost = 0;
    const t0 = performance.now();
    for (let run = 0; run < runs; run++) {
      const r = await runScenarioFree(session, scenario, { seed: run, perturb, timeLimitMs: 5000 });
      if (r.failure !== undefined) lost++;
    }
    row.push(`${perturb ? 'chaos' : 'plain'} ${((100 * lost) / runs).toFixed(1).padStart(5)}% (${((performance.now() - t0) / runs).toFixed(1)} ms/run)`);
  }
  console.log(`2 threads × ${String(times).padEnd(6)} racy increments: runs losing an update: ${row.join('   ')}`);
}
await session.close();
