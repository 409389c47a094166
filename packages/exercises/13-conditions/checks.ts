import { Condition } from '@threadlings/core';
import { defineChecks, defineScenario } from '@threadlings/grader';
import { newQueue, newTally } from './src/lib/queue.ts';

export default defineChecks((t) => {
  const pipeline = t.source('src/pipeline.ts');
  const handOff = (consumers: number, items: number, pause = 0) =>
    defineScenario({
      name: `1 producer, ${consumers} consumers`,
      setup: () => ({ q: newQueue(), changed: new Condition(undefined, { name: 'items' }), tally: newTally(items) }),
      threads: (s) => [
        { module: pipeline, export: 'produce', args: [s.q, s.changed, Array.from({ length: items }, (_, i) => i), pause], name: 'producer' },
        ...Array.from({ length: consumers }, (_, i) => ({ module: pipeline, export: 'consume', args: [s.q, s.changed, s.tally], name: `consumer-${i + 1}` })),
      ],
      judge: (s, outcome) => {
        const tally = s.tally.toArray();
        const lost = tally.flatMap((n, i) => (n === 0 ? [i] : []));
        const twice = tally.flatMap((n, i) => (n > 1 ? [i] : []));
        const label = `lost=${lost.length}, duplicated=${twice.length}`;
        if (lost.length > 0) return { ok: false, message: `item${lost.length === 1 ? '' : 's'} ${lost.join(', ')} ${lost.length === 1 ? 'was' : 'were'} never consumed`, label };
        if (twice.length > 0) return { ok: false, message: `item${twice.length === 1 ? '' : 's'} ${twice.join(', ')} ${twice.length === 1 ? 'was' : 'were'} consumed more than once`, label };
        const taken = outcome.results.slice(1).reduce((a: number, b) => a + (typeof b === 'number' ? b : 0), 0);
        if (taken !== items) return { ok: false, message: `the consumers say they took ${taken} items, expected ${items}`, label };
        return { ok: true, label };
      },
    });

  t.check('one consumer gets every item, once', async (ctx) => {
    await ctx.run(handOff(1, 5));
  });
  t.explore('closing the queue wakes every waiting consumer, any interleaving', handOff(3, 0), { schedules: 200 });
  t.explore('with several consumers, each wakes to an item that is still there, any interleaving', handOff(2, 2));
  t.busyWait('a consumer waits for items without spinning', handOff(1, 3, 0.1), { thread: 'consumer-1' });
  t.stress('nothing lost or duplicated on real threads', handOff(3, 30), { runs: 30 });
});
