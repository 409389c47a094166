import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigError, EXIT, UsageError, type ExitCode } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { resolveWorkspace } from '../cli/workspace.ts';
import { discoverExercises, findExercise } from '../discover.ts';
import { Store } from '../store/store.ts';

export interface ResetFlags {
  readonly exercises?: string;
  readonly store?: string;
  readonly yes?: boolean;
  /** The git revision that holds the starter files; HEAD by default. */
  readonly from?: string;
}

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function confirm(question: string, io: Io): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `threadlings reset <exercise> [--yes] [--from REF]`: restores the files the student
 * edits (the manifest's `files`) to the starter as git has it at REF. Asks first on a
 * terminal; elsewhere it needs --yes.
 */
export async function reset(name: string, flags: ResetFlags, io: Io): Promise<ExitCode> {
  const workspace = resolveWorkspace({ cwd: io.cwd, exercises: flags.exercises, store: flags.store });
  const exercise = findExercise(discoverExercises(workspace.exercisesDir, workspace.root), name);
  const ref = flags.from ?? 'HEAD';
  let top: string;
  try {
    top = git(exercise.dir, ['rev-parse', '--show-toplevel']).toString().trim();
  } catch {
    throw new ConfigError(`${relative(io.cwd, exercise.dir) || '.'} is not in a git repository: reset restores the starter files from git. Clone the kit with git to use it.`);
  }
  const files = exercise.manifest.files.map((f) => {
    const path = join(exercise.dir, f);
    const inRepo = relative(top, path).split('\\').join('/');
    let starter: Buffer;
    try {
      starter = git(top, ['show', `${ref}:${inRepo}`]);
    } catch {
      throw new UsageError(`${inRepo} is not in ${ref}: name a commit that has the starter with --from (see \`git log --oneline -- ${inRepo}\`).`);
    }
    let current: Buffer | undefined;
    try {
      current = readFileSync(path);
    } catch {
      current = undefined;
    }
    return { f, path, inRepo, starter, changed: current === undefined || !current.equals(starter) };
  });
  const changed = files.filter((x) => x.changed);
  if (changed.length === 0) {
    io.stdout.write(
      `${exercise.id} ${exercise.slug}: ${files.map((x) => x.f).join(', ')} already match ${ref}; nothing to restore.\n` +
        (flags.from === undefined ? `If you committed your work, name the commit of the starter: pnpm reset ${exercise.id} --from <commit> (git log --oneline -- ${files[0]!.inRepo}).\n` : ''),
    );
    return EXIT.pass;
  }
  const list = changed.map((x) => x.inRepo).join(', ');
  if (flags.yes !== true) {
    if (!io.stdin.isTTY) throw new UsageError(`reset discards your changes to ${list}: run it in a terminal to confirm, or pass --yes.`);
    if (!(await confirm(`Restore ${list} to the starter in ${ref}? Your changes to ${changed.length === 1 ? 'it' : 'them'} will be lost. [y/N] `, io))) {
      io.stdout.write('Nothing was changed.\n');
      return EXIT.pass;
    }
  }
  for (const x of changed) writeFileSync(x.path, x.starter);
  new Store(workspace.storeDir).forget(exercise.folder);
  io.stdout.write(`Restored ${list} from ${ref}. \`pnpm grade ${exercise.id}\` grades the starter again.\n`);
  return EXIT.pass;
}
