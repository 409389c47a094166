import { defineChecks, defineScenario } from '@threadlings/grader';
import { CRUNCH_SIZE, crunchSerial } from './src/lib/tasks.ts';

export default defineChecks((t) => {
  const work = t.source('src/work.ts');
  const tasks = t.source('src/lib/tasks.ts');

  const downloads = (n: number) =>
    defineScenario({
      name: `download ${n} pages`,
      setup: () => null,
      threads: () => [{ module: work, export: 'downloadAll', args: [n], name: 'caller' }],
      judge: (_s, outcome) => {
        const got = JSON.stringify(outcome.results[0]);
        const expected = JSON.stringify(Array.from({ length: n }, (_, id) => id * 10));
        return got === expected
          ? { ok: true, label: 'every page' }
          : { ok: false, message: `downloadAll(${n}) returned ${got ?? 'nothing'}, expected ${expected} (page id is id * 10)`, label: `pages=${got}` };
      },
    });

  const checksum = (n: number, parts: number) =>
    defineScenario({
      name: `crunchAll(${n}, ${parts})`,
      setup: () => null,
      threads: () => [{ module: work, export: 'crunchAll', args: [n, parts], name: 'caller' }],
      judge: (_s, outcome) => {
        const got = outcome.results[0];
        const expected = crunchSerial(n);
        return got === expected
          ? { ok: true, label: `checksum=${expected}` }
          : {
              ok: false,
              message:
                `crunchAll(${n}, ${parts}) returned ${String(got)}, expected ${expected}, the checksum of crunch(0, ${n}): ` +
                'the parts must cover [0, n) with no gap and no overlap (what of the numbers left over when n does not divide evenly?), and their checksums combine with XOR (^)',
              label: `checksum=${String(got)}`,
            };
      },
    });

  t.explore('downloadAll returns every page, in order, any interleaving', downloads(3), { schedules: 100 });
  t.check('crunchAll returns the checksum of the whole range, however it is split', async (ctx) => {
    await ctx.run(checksum(100_001, 2));
    await ctx.run(checksum(100_000, 3));
    await ctx.run(checksum(10, 4));
  });
  t.overlap('the downloads wait at the same time', downloads(4), { atLeast: 2.5 });
  t.structure('the CPU work runs on threads at the same time', t.program('src/work.ts', { export: 'crunchAll', args: [CRUNCH_SIZE / 10, 2] }), { atLeast: 2 });
  t.speedup('the CPU work is faster on 2 threads', {
    subject: { program: work, export: 'crunchAll', args: [CRUNCH_SIZE, 2] },
    baseline: { program: tasks, export: 'crunchSerial', args: [CRUNCH_SIZE] },
    threads: 2,
  });
});
