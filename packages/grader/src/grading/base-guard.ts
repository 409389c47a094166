import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RefusedError, UsageError } from '../cli/errors.ts';
import type { Workspace } from '../cli/workspace.ts';
import { MANIFEST_FILE } from '../manifest.ts';

/*
 * `pnpm grade --ci --base <ref>`: grading a pull request. A student's pull request may
 * change the student's files and nothing else: not the checks, the manifests, the helpers
 * in src/lib, the grader, the core, the solutions, the workflows, the package manifests or
 * the lockfile. Which files are the student's is read from the manifests as they are at the
 * base commit, so a pull request cannot widen them. Every change against the base (committed,
 * staged, unstaged, or a new untracked file) outside those files refuses the grading, with
 * the files named; when nothing else changed, everything but the student's files is the
 * base's, byte for byte, and that is what grades them.
 */

function git(root: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', ['-c', 'core.quotepath=off', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined) throw new UsageError(`--base needs git, which could not run: ${r.error.message}. Install git, or grade without --base.`);
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

const nul = (text: string): string[] => text.split('\0').filter((s) => s !== '');

/** The student's files as the manifests at `base` name them, relative to the repository's top. */
export function studentFilesAt(top: string, base: string, exercisesDir: string): Set<string> {
  // git names the top by its real path: compare real paths (a /tmp that is a link, on macOS).
  const prefix = relative(top, existsSync(exercisesDir) ? realpathSync(exercisesDir) : exercisesDir).split(sep).join('/');
  const listed = git(top, ['ls-tree', '-r', '-z', '--name-only', base, '--', prefix === '' ? '.' : prefix]);
  const files = new Set<string>();
  for (const path of nul(listed.out)) {
    const inside = prefix === '' ? path : path.slice(prefix.length + 1);
    const parts = inside.split('/');
    if (parts.length !== 2 || parts[1] !== MANIFEST_FILE) continue;
    const shown = git(top, ['show', `${base}:${path}`]);
    let manifest: unknown;
    try {
      manifest = JSON.parse(shown.out);
    } catch {
      continue; // a manifest the base cannot read gives the student no files
    }
    const own = (manifest as { files?: unknown }).files;
    if (!Array.isArray(own)) continue;
    for (const f of own) if (typeof f === 'string' && !f.split(/[\\/]/).includes('..')) files.add(`${path.slice(0, -MANIFEST_FILE.length)}${f.replace(/^\.\//, '')}`);
  }
  return files;
}

export interface BaseCheck {
  /** The base commit, resolved. */
  readonly commit: string;
  /** The student's files that differ from the base. */
  readonly changed: readonly string[];
}

/**
 * Refuses a working tree that differs from `base` outside the student's files.
 * @throws UsageError when `base` is no commit here; RefusedError naming every file at fault.
 */
export function checkAgainstBase(workspace: Workspace, base: string): BaseCheck {
  const top = git(workspace.root, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UsageError(`--base ${base}: ${workspace.root} is not in a git repository. Grade a pull request from a clone of the course's repository.`);
  const root = top.out.trim();
  const resolved = git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  if (!resolved.ok) {
    throw new UsageError(
      `--base ${base}: there is no such commit in this repository. Name the branch or commit the pull request goes into (e.g. --base origin/main), and fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0).`,
    );
  }
  const commit = resolved.out.trim();
  const student = studentFilesAt(root, commit, workspace.exercisesDir);
  // Tracked files that differ from the base in the working tree (committed, staged or not), and new untracked files.
  const diff = git(root, ['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '--name-only', '-z', commit, '--']);
  if (!diff.ok) throw new UsageError(`--base ${base}: git diff failed: ${diff.err}`);
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '-z']);
  const changed = [...new Set([...nul(diff.out), ...nul(untracked.out)])].sort();
  const outside = changed.filter((f) => !student.has(f));
  // A student's file must be a file: a link could make the grader read a check, or anything else.
  const linked = changed.filter((f) => student.has(f) && isLink(join(root, f)));
  if (outside.length > 0 || linked.length > 0) {
    const lines = [
      ...(outside.length > 0 ? [`changes outside the student's files (${outside.length}):`, ...outside.map((f) => `  ${f}`)] : []),
      ...(linked.length > 0 ? ["student's files that are symbolic links, not files:", ...linked.map((f) => `  ${f}`)] : []),
    ];
    throw new RefusedError(
      `Refused: this change touches files a submission may not change, against ${base} (${commit.slice(0, 12)}):\n${lines.join('\n')}\n` +
        `A submission changes only the exercises' own files (the "files" of each threadlings.json at the base). Revert the other changes and push again.`,
      [...outside, ...linked],
    );
  }
  return { commit, changed };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
