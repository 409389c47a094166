import { defineChecks, defineScenario } from '@threadlings/grader';
import { UNITS, openPlant, readLog } from './src/lib/plant.ts';

export default defineChecks((t) => {
  const worker = t.source('src/worker.ts');
  const plantModule = t.source('src/lib/plant.ts');
  const aShift = (workers: number, delay: number) =>
    defineScenario({
      name: `${workers} workers`,
      setup: () => openPlant(),
      threads: (s) => [
        ...Array.from({ length: workers }, (_, i) => ({ module: worker, export: 'worker', args: [s, workers], name: `worker-${i + 1}` })),
        { module: plantModule, export: 'foreman', args: [s, delay], name: 'foreman' },
      ],
      judge: (s) => {
        const log = readLog(s);
        const label = `early=${log.early}, done=${log.done}, home early=${log.stoppedEarly}`;
        if (log.early > 0) return { ok: false, message: `${log.early} unit${log.early === 1 ? ' was' : 's were'} done before the foreman opened the start gate: wait for it`, label };
        if (log.done !== workers * UNITS) return { ok: false, message: `${log.done} units of work were done, expected ${workers * UNITS}`, label };
        if (log.stoppedEarly > 0) return { ok: false, message: `${log.stoppedEarly} worker${log.stoppedEarly === 1 ? '' : 's'} went home before the shutdown signal: wait for it`, label };
        if (log.stopped !== workers) return { ok: false, message: `${log.stopped} of ${workers} workers went home`, label };
        return { ok: true, label };
      },
    });

  t.check('every worker starts at the gate, works, and goes home at the shutdown', async (ctx) => {
    await ctx.run(aShift(3, 0.02));
  });
  t.busyWait('a worker waits for the gate and the shutdown without spinning', aShift(2, 0.3), { thread: 'worker-1' });
  t.explore('no worker starts before the gate opens nor leaves before the shutdown, any interleaving', aShift(3, 0), { schedules: 200 });
});
