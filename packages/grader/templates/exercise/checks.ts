import { SharedInt32Array } from '@threadlings/core';
import { defineChecks, defineScenario } from '@threadlings/grader';

/*
 * TODO(instructor): the checks, in the order they run; the first that fails stops the
 * grading. Functional checks first (`t.check`), then `t.explore` for anything that can
 * race or deadlock, `t.stress` beside it on real threads, and structure, overlap or
 * speed-up checks where time is the point. See docs/writing-checks.md.
 */
export default defineChecks((t) => {
  const work = t.source('src/work.ts');

  /** `threads` threads run `addMany(counter, times)` at once; the counter must hold every addition. */
  const adding = (threads: number, times: number) =>
    defineScenario({
      name: `${threads} threads add ${times} each`,
      setup: () => new SharedInt32Array(1, { name: 'counter' }),
      threads: (counter) => Array.from({ length: threads }, (_, i) => ({ module: work, export: 'addMany', args: [counter, times], name: `adder-${i + 1}` })),
      judge: (counter) => {
        const got = counter.get(0);
        return got === threads * times
          ? { ok: true, label: `counter=${got}` }
          : { ok: false, message: `${threads} threads added ${times} each, and the counter says ${got}, not ${threads * times}: an increment was lost`, label: `counter=${got}` };
      },
    });

  t.check('one thread alone counts every increment', async (ctx) => {
    await ctx.run(adding(1, 50));
  });
  t.explore('no increment is lost, any interleaving', adding(2, 2), { schedules: 200 });
});
