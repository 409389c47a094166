/**
 * Grades one fixture exercise in a fresh process and prints one JSON line: how long the
 * process had lived when grading ended (its start included), how long runChecks took,
 * the CPU time the whole process used (all its threads), and each check's status and duration. Used by stress-time.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runChecks } from '../src/checks/run.ts';
import { Manifest } from '../src/manifest.ts';

const folder = process.argv[2]!;
const dir = fileURLToPath(new URL(`../test/fixtures/exercises/${folder}/`, import.meta.url));
const manifest = Manifest.parse(JSON.parse(readFileSync(`${dir}threadlings.json`, 'utf8')));
const t0 = performance.now();
const results = await runChecks({ exerciseId: manifest.id, exerciseDir: dir, sourceRoot: dir, manifest, ...(process.argv[3] ? { seed: Number(process.argv[3]) } : {}) });
const processMs = performance.now();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ folder, processMs: Math.round(processMs), runChecksMs: Math.round(processMs - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), checks: results.map((r) => ({ name: r.name, status: r.status, runs: r.runs, durationMs: r.durationMs })) }));
