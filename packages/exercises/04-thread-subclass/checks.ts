import { defineChecks, defineScenario } from '@threadlings/grader';
import { BOOK, countWords } from './src/lib/words.ts';
import type { Tally } from './src/counters.ts';

export default defineChecks((t) => {
  const counters = t.source('src/counters.ts');
  const names = (n: number) => Array.from({ length: n }, (_, i) => `counter-${i + 1}`);
  const show = (byCounter: Record<string, unknown>) =>
    `{ ${Object.entries(byCounter)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ')} }`;

  /** countChapters(chapters) on a thread of the grader's, judged by `judge` (a problem, or undefined). */
  const aCount = (chapters: readonly string[], judge: (tally: Tally, expected: number[]) => string | undefined) =>
    defineScenario({
      name: `${chapters.length} chapters`,
      setup: () => null,
      threads: () => [{ module: counters, export: 'countChapters', args: [chapters], name: 'reader' }],
      judge: (_s, outcome) => {
        const tally = outcome.results[0] as Tally | undefined;
        if (tally === null || typeof tally !== 'object' || tally.byCounter === null || typeof tally.byCounter !== 'object') {
          return { ok: false, message: `countChapters() returned ${JSON.stringify(tally)}, not { total, byCounter }`, label: 'no tally' };
        }
        const problem = judge(tally, chapters.map(countWords));
        return problem === undefined ? { ok: true, label: `total=${tally.total}` } : { ok: false, message: problem, label: `total=${String(tally.total)}` };
      },
    });

  const countsAddUp = (tally: Tally, expected: number[]): string | undefined => {
    const want = expected.reduce((a, b) => a + b, 0);
    const got = Object.values(tally.byCounter);
    const sorted = (xs: readonly unknown[]) => JSON.stringify([...xs].map(Number).sort((a, b) => a - b));
    if (tally.total === want && got.length === expected.length && sorted(got) === sorted(expected)) return undefined;
    const expectedShown = show(Object.fromEntries(expected.map((n, i) => [`counter-${i + 1}`, n])));
    let why = '';
    const copies = "What a thread stores in a field or in a module-level variable stays in that thread's own copy: the caller sees its own.";
    if (got.length > 0 && got.every((v) => v === undefined)) {
      why = `: every counter's result was undefined, as the caller saw it. A started WordCounter runs its run() on the new thread, and what run() returns becomes the thread's \`result\`: does WordCounter override run() and return the count? ${copies}`;
    } else if (got.length > 0 && got.every((v) => v === 0)) {
      why = `: every counter counted 0 words, as the caller saw it. ${copies} Return the count from run() and read it as \`result\` after join()`;
    }
    return `countChapters() found ${show(tally.byCounter)}, total ${String(tally.total)}; expected ${expectedShown}, total ${want}${why}`;
  };

  t.explore('each chapter is counted and the counts add up, any interleaving', aCount(BOOK.slice(0, 2), countsAddUp), { schedules: 100 });

  t.check('the counters are threads named counter-1, counter-2, …', async (ctx) => {
    await ctx.run(
      aCount(BOOK, (tally) => {
        const want = names(BOOK.length);
        const got = Object.keys(tally.byCounter);
        if (JSON.stringify(got) === JSON.stringify(want)) return undefined;
        return (
          `the counters' threads are named ${got.join(', ') || '(none)'}, expected ${want.join(', ')}. ` +
          "A thread's name is one of Thread's options: pass { name: `counter-${index}` } to super() in WordCounter's constructor"
        );
      }),
    );
  });

  t.structure(
    'the chapters are counted at the same time, each on a thread of its own',
    aCount(BOOK.slice(0, 3), () => undefined),
    { atLeast: 2 },
  );
});
