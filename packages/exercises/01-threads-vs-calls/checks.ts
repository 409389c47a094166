import { defineChecks, defineScenario } from '@threadlings/grader';
import { openOffice, readLog } from './src/lib/office.ts';

export default defineChecks((t) => {
  const branch = t.source('src/branch.ts');
  const aDay = (closedAfterBackup: boolean) =>
    defineScenario({
      name: 'a day at the branch',
      setup: () => openOffice(),
      threads: (s) => [{ module: branch, export: 'openBranch', args: [s], name: 'caller' }],
      judge: (s) => {
        const log = readLog(s);
        if (log.backupBy === 0) return { ok: false, message: 'the backup never ran', label: 'no backup' };
        if (log.servedBy === 0) return { ok: false, message: 'the customers were never served', label: 'not served' };
        if (log.backupBy === log.servedBy) return { ok: false, message: 'the backup ran on the thread that served the customers, one after the other: it did not run in the background', label: 'same thread' };
        if (closedAfterBackup && !log.closedAfterBackup) return { ok: false, message: 'the branch closed while the backup was still running: wait for the backup thread (join) before closeBranch()', label: 'closed early' };
        return { ok: true, label: 'backup in the background' };
      },
    });

  t.check('the backup runs on a thread of its own while the caller serves the customers', async (ctx) => {
    await ctx.run(aDay(false));
  });
  t.explore('the branch closes only after the backup has finished, any interleaving', aDay(true));
});
