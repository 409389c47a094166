import { Event } from '@threadlings/core';
import { defineChecks, defineScenario } from '@threadlings/grader';
import { STATIONS, newReadings } from './src/lib/stations.ts';
import type { Survey } from './src/survey.ts';

export default defineChecks((t) => {
  const surveyModule = t.source('src/survey.ts');
  const aSurvey = (judge: (found: Survey, names: number[]) => string | undefined) =>
    defineScenario({
      name: 'a survey',
      setup: () => ({ readings: newReadings(), sensor: new Event({ name: 'sensor' }) }),
      threads: (s) => [{ module: surveyModule, export: 'survey', args: [s.readings, s.sensor], name: 'surveyor' }],
      judge: (s, outcome) => {
        const found = outcome.results[0] as Survey | undefined;
        if (found === undefined || typeof found.total !== 'number') return { ok: false, message: `survey() returned ${JSON.stringify(found)}, not { total, lateStillRunning }`, label: 'no survey' };
        const names = s.readings.toArray().slice(STATIONS);
        const problem = judge(found, names);
        return problem === undefined ? { ok: true, label: `total=${found.total}` } : { ok: false, message: problem, label: `total=${found.total}, late=${found.lateStillRunning}` };
      },
    });

  t.check('each station runs on a thread named station-1 to station-4', async (ctx) => {
    await ctx.run(
      aSurvey((_found, names) => {
        const wrong = names.map((n, i) => (n === 1 ? undefined : `station-${i + 1}`)).filter((n) => n !== undefined);
        return wrong.length === 0 ? undefined : `${wrong.join(', ')} ran on a thread with another name: name each thread \`station-i\` (the name option of Thread)`;
      }),
    );
  });

  t.explore(
    'the total is read only after stations 1 to 3 have finished, any interleaving',
    aSurvey((found) => (found.total === 60 ? undefined : `the total was read as ${found.total}, expected 60 (10 + 20 + 30): some station had not written its reading yet`)),
    { schedules: 200 },
  );

  t.explore(
    'join(0.1) on the late station returns while it is still running',
    aSurvey((found) =>
      found.lateStillRunning === true
        ? undefined
        : 'the survey says the late station had finished, but it measures only after a second: wait for it with a timeout, `late.join(0.1)`, and report `late.isAlive()`',
    ),
    { schedules: 100 },
  );
});
