import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workspace } from '../cli/workspace.ts';

/*
 * The grading child runs under Node's permission model, beside the other layers (the import
 * guard, the scrubbed environment, the authenticated channel, the process group the parent
 * kills). What it stops: writing any file (the grader's own sources, another exercise's
 * checks, a report the CLI will write, the pass cache), and reading outside what grading
 * needs (the kit's packages, the installed packages, the exercises): not the solutions, the
 * store, the repository's history, the home folder. What it cannot stop: Node documents the
 * permission model as a seat belt for trusted code, not a boundary against malicious code;
 * child processes and worker threads stay allowed (tsx transpiles through an esbuild
 * process, and the exercises are about threads), so those rest on the import guard, which
 * refuses child_process and friends before any student code runs.
 *
 * It is on with --ci (where a course's verdicts are made) and off by default on a student's
 * machine: written nowhere, tsx must transpile every module again in every thread instead of
 * reading its cache, which costs a grading about a quarter of its time (exercise 07's
 * solution: 6.4 s → 8.0 s; exploration 272 → 217 schedules/s). THREADLINGS_SANDBOX=on or
 * =off overrides either default.
 */

const GRADER_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE_ROOT = dirname(dirname(fileURLToPath(import.meta.resolve('@threadlings/core'))));

/** Whether grading children run sandboxed: with --ci, unless THREADLINGS_SANDBOX says otherwise. */
export function sandboxEnabled(env: NodeJS.ProcessEnv, ci: boolean): boolean {
  const asked = env['THREADLINGS_SANDBOX'];
  return asked === 'on' ? true : asked === 'off' ? false : ci;
}

const real = (p: string): string => (existsSync(p) ? realpathSync(p) : p);

/** What a grading child may read: folders (everything under them) and single files. */
export function sandboxReadable(workspace: Workspace, exerciseDirs: readonly string[] = []): string[] {
  // The kit's packages: their sources, manifests and installed packages (not their tests and fixtures).
  const kit = [GRADER_ROOT, CORE_ROOT];
  const folders = [join(workspace.root, 'node_modules'), workspace.exercisesDir, ...exerciseDirs, ...kit.flatMap((k) => [join(k, 'src'), join(k, 'node_modules')]), join(CORE_ROOT, '..', '..', 'node_modules'), '/proc'];
  const configs = ['package.json', 'tsconfig.json', 'tsconfig.base.json', 'pnpm-workspace.yaml'];
  const files = [workspace.root, join(CORE_ROOT, '..', '..'), ...kit].flatMap((r) => configs.map((f) => join(r, f)));
  // A folder's path grants the folder and everything under it.
  const trees = folders.filter((f) => existsSync(f)).map((f) => real(f).replace(/\/$/, ''));
  const paths = [...new Set([...trees, ...files.filter((f) => existsSync(f)).map(real)])];
  // Only the outermost of nested paths: Node 20's permission tree loses a folder's grant when a
  // path under it is granted as well.
  const outermost = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
  // tsx tells whether file names are case-sensitive by probing its working folder's path with
  // every letter's case swapped, and under the permission model a probe of a path not granted
  // throws instead of answering: grant that one path (on a case-sensitive file system it names
  // nothing).
  return [...outermost, swapCase(SANDBOX_CWD.replace(/\/$/, ''))];
}

/**
 * Where a sandboxed child works, and the tsconfig its tsx reads: a folder of the grader's
 * holding a tsconfig that includes no file. tsx probes its working folder (to learn whether
 * file names are case-sensitive) and would look for a tsconfig from there up, through folders
 * the sandbox does not let it read; here it finds this one, and compiles every module with its
 * defaults, as it does when the CLI runs from the kit's root.
 */
export const SANDBOX_CWD = fileURLToPath(new URL('./sandbox-tsconfig/', import.meta.url));

/** The environment a sandboxed child adds: tsx may not write its cache; its tsconfig (above). */
export const SANDBOX_ENV = { TSX_DISABLE_CACHE: '1', TSX_TSCONFIG_PATH: join(SANDBOX_CWD, 'tsconfig.json') } as const;

/** `/tmp/Ab` → `/TMP/aB`, as tsx probes it. */
export function swapCase(path: string): string {
  return [...path].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** Node's flags for a sandboxed child that may read `readable` and write nothing. */
export function sandboxFlags(readable: readonly string[]): string[] {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const flag = major > 22 || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
  return [
    flag,
    ...readable.map((p) => `--allow-fs-read=${p}`),
    '--allow-child-process',
    '--allow-worker',
    // The permission model's own warnings are not the student's output.
    '--disable-warning=ExperimentalWarning',
    '--disable-warning=SecurityWarning',
  ];
}
