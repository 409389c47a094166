import { EXIT, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { checkAgainstBase } from '../grading/base-guard.ts';

export interface CheckChangesFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly base: string;
}

/**
 * `threadlings check-changes --base <ref>`: only the refusal of `grade --base`, without
 * grading. A course's workflow runs it with the base's own grader, before anything of the
 * pull request is installed or run (a changed package.json could otherwise run its scripts
 * at install time). Exit 0 when only the student's files changed, 1 when refused.
 */
export function checkChanges(flags: CheckChangesFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const { commit, changed } = checkAgainstBase(workspace, flags.base);
  io.stdout.write(`Against ${flags.base} (${commit.slice(0, 12)}): only the student's files changed${changed.length === 0 ? ' (none did)' : `:\n${changed.map((f) => `  ${f}`).join('\n')}`}\n`);
  return EXIT.pass;
}
