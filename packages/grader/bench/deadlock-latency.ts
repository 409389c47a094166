/**
 * Deadlock detection latency of free runs: a lock-order inversion (two threads, two
 * locks, taken in opposite orders) is run until it deadlocks, RUNS times; for each, the
 * milliseconds from the cycle forming (the later of the two waits beginning, as the
 * thread table records it) to the watchdog's report. The target: under 100 ms.
 *
 *   pnpm --filter @threadlings/grader exec tsx bench/deadlock-latency.ts [RUNS]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Lock, SharedInt32Array } from '@threadlings/core';
import { runScenarioFree } from '../src/checks/run-free.ts';
import { openSession } from '../src/checks/session.ts';
import { Manifest } from '../src/manifest.ts';
import { defineScenario } from '../src/scenario.ts';

const runs = Number(process.argv[2] ?? 50);
const dir = fileURLToPath(new URL('../test/fixtures/exercises/03-transfer-deadlock/', import.meta.url));
const manifest = Manifest.parse(JSON.parse(readFileSync(`${dir}threadlings.json`, 'utf8')));
const session = openSession({ exerciseId: manifest.id, exerciseDir: dir, sourceRoot: dir, manifest });
const bank = `${dir}src/bank.ts`;
const scenario = defineScenario({
  setup: () => ({ balances: new SharedInt32Array([1000, 1000]), locks: [new Lock({ name: 'a' }), new Lock({ name: 'b' })] }),
  threads: (s) => [
    { module: bank, export: 'transfer', args: [s.balances, s.locks, 0, 1, 100_000] },
    { module: bank, export: 'transfer', args: [s.balances, s.locks, 1, 0, 100_000] },
  ],
  judge: () => ({ ok: true }),
});

const latencies: number[] = [];
let attempts = 0;
while (latencies.length < runs && attempts < runs * 20) {
  const r = await runScenarioFree(session, scenario, { seed: attempts++, perturb: true, timeLimitMs: 5000 });
  if (r.failure?.kind === 'deadlock' && r.failure.latencyMs !== undefined) latencies.push(r.failure.latencyMs);
  else if (r.failure !== undefined) console.log(`run ${attempts}: ${r.failure.kind}: ${r.failure.message}`);
}
await session.close();
latencies.sort((a, b) => a - b);
const at = (q: number): string => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
console.log(`${latencies.length} deadlocks in ${attempts} runs; detection latency ms: min ${at(0)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}; over 100 ms: ${latencies.filter((l) => l > 100).length}`);
