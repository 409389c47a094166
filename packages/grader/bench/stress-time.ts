/**
 * How long grading a small exercise with 200 stress runs takes (the target:
 * under 3 s on a 2-core machine). Each grading runs in a fresh `node --import tsx`
 * process, as the CLI's grading child does; the figure is the process's own age when its
 * grading ended (start-up, loading the grader and the checks, and the checks). Also the
 * wall time of the whole child as seen from here.
 *
 *   pnpm --filter @threadlings/grader exec tsx bench/stress-time.ts [TIMES] [fixture...]
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const times = Number(process.argv[2] ?? 5);
const fixtures = process.argv.length > 3 ? process.argv.slice(3) : ['01-counter-locked', '02-counter-racy'];
const script = fileURLToPath(new URL('./grade-once.ts', import.meta.url));
const tsx = fileURLToPath(import.meta.resolve('tsx'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes make these figures larger)`);
for (const folder of fixtures) {
  const proc: number[] = [];
  const checks: number[] = [];
  const wall: number[] = [];
  const cpu: number[] = [];
  let stress = 0;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, ['--import', tsx, script, folder, String(1000 + i)], { encoding: 'utf8' });
    wall.push(performance.now() - t0);
    const r = JSON.parse(out.trim().split('\n').pop()!) as { processMs: number; runChecksMs: number; cpuMs: number; checks: { name: string; runs?: number; durationMs: number }[] };
    proc.push(r.processMs);
    cpu.push(r.cpuMs);
    checks.push(r.runChecksMs);
    stress = r.checks.find((c) => c.runs === 200)?.durationMs ?? Number.NaN;
  }
  console.log(
    `${folder}: whole grading process ${Math.round(median(proc))} ms (median of ${times}; min ${Math.round(Math.min(...proc))}), ` +
      `runChecks ${Math.round(median(checks))} ms, CPU time ${Math.round(median(cpu))} ms, child wall ${Math.round(median(wall))} ms, last 200-run stress check ${stress} ms`,
  );
}
