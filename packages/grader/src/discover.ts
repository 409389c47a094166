import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { ConfigError, UsageError } from './cli/errors.ts';
import type { Workspace } from './cli/workspace.ts';
import { MANIFEST_FILE, Manifest } from './manifest.ts';
import { discoverPacks, withoutClashes } from './packs.ts';

/** An exercise found on disk: its folder and its validated manifest. */
export interface Exercise {
  readonly id: string;
  readonly slug: string;
  /** Absolute path of the exercise folder. */
  readonly dir: string;
  /** The folder's name, `NN-slug`; the solution lives in a folder of the same name. */
  readonly folder: string;
  readonly manifest: Manifest;
  /** The exercise pack (an npm package, packs.ts) it comes from; undefined for the workspace's own. */
  readonly pack?: string;
  /** Where its solution's folder is, when not in the workspace's solutions folder (a pack's). */
  readonly solutionsDir?: string;
}

/** `field "limits.memoryMb"`, `field "files[0]"`, or `the manifest` for the whole object. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the manifest';
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  return `field "${text}"`;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `  ${fieldName(i.path)}: ${i.message}`).join('\n');
}

/**
 * Reads and validates `threadlings.json` in `dir`.
 * @throws ConfigError naming the file and each field at fault.
 */
export function readManifest(dir: string, root: string): Manifest {
  const file = join(dir, MANIFEST_FILE);
  const shown = relative(root, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${shown} is not valid JSON: ${(e as Error).message}`, shown);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${shown} is not a valid exercise manifest:\n${describeIssues(parsed.error.issues)}`, shown);
  const manifest = parsed.data;
  const problems: string[] = [];
  const folder = basename(dir);
  if (folder !== `${manifest.id}-${manifest.slug}`) {
    problems.push(`  fields "id" and "slug": "${manifest.id}" and "${manifest.slug}" do not match the folder's name ${folder}: name the folder ${manifest.id}-${manifest.slug}, or change them`);
  }
  manifest.files.forEach((f, i) => {
    if (!existsSync(join(dir, f))) problems.push(`  field "files[${i}]": ${f} does not exist in ${relative(root, dir) || '.'}`);
  });
  if (!existsSync(join(dir, manifest.checks))) problems.push(`  field "checks": ${manifest.checks} does not exist in ${relative(root, dir) || '.'}`);
  if (manifest.program !== undefined && !existsSync(join(dir, manifest.program.file))) {
    problems.push(`  field "program.file": ${manifest.program.file} does not exist in ${relative(root, dir) || '.'}`);
  }
  if (problems.length > 0) throw new ConfigError(`${shown} is not a valid exercise manifest:\n${problems.join('\n')}`, shown);
  return manifest;
}

/**
 * Every exercise under `exercisesDir` (each folder with a `threadlings.json`), in the
 * manifests' order. An absent folder holds no exercises.
 * @throws ConfigError listing every bad manifest, and exercises that share an id.
 */
export function discoverExercises(exercisesDir: string, root: string): Exercise[] {
  if (!existsSync(exercisesDir)) return [];
  const found: Exercise[] = [];
  const errors: string[] = [];
  for (const entry of readdirSync(exercisesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(exercisesDir, entry.name);
    if (!existsSync(join(dir, MANIFEST_FILE))) continue;
    try {
      const manifest = readManifest(dir, root);
      found.push({ id: manifest.id, slug: manifest.slug, dir, folder: entry.name, manifest });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e.message);
    }
  }
  const seen = new Map<string, string>();
  for (const ex of found) {
    const other = seen.get(ex.id);
    if (other !== undefined) errors.push(`exercises ${other} and ${ex.folder} share the id "${ex.id}": give each its own`);
    seen.set(ex.id, ex.folder);
  }
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  return found.sort(byOrder);
}

/** In the manifests' order, then by id. */
function byOrder(a: Exercise, b: Exercise): number {
  return a.manifest.order - b.manifest.order || a.id.localeCompare(b.id);
}

/** The exercises of a course, and what is wrong with the exercise packs it depends on. */
export interface Course {
  readonly exercises: Exercise[];
  /** One sentence each, naming the file and the field at fault; their exercises are left out. */
  readonly problems: string[];
}

/**
 * The whole course: the workspace's exercises and those of the exercise packs the root
 * package.json depends on (packs.ts), in the manifests' order. A problem with a pack, or an id
 * that a pack's exercise shares with another, leaves out only the exercises concerned; each
 * is returned and handed to `warn`.
 * @throws ConfigError as discoverExercises does, for the workspace's own exercises.
 */
export function discoverCourse(workspace: Pick<Workspace, 'exercisesDir' | 'root'>, warn?: (problem: string) => void): Course {
  const own = discoverExercises(workspace.exercisesDir, workspace.root);
  const packs = discoverPacks(workspace.root);
  const checked = withoutClashes([...own, ...packs.exercises], workspace.root);
  const problems = [...packs.problems, ...checked.problems];
  for (const problem of problems) warn?.(problem);
  return { exercises: checked.exercises.sort(byOrder), problems };
}

/**
 * The exercise a student named: `07`, `7`, `07-locks` or `locks`.
 * @throws UsageError listing the exercises there are.
 */
export function findExercise(exercises: readonly Exercise[], name: string): Exercise {
  const wanted = name.trim().toLowerCase();
  const asNumber = /^\d+$/.test(wanted) ? wanted.padStart(2, '0') : undefined;
  const hit = exercises.find((e) => e.id === asNumber || e.folder === wanted || e.slug === wanted);
  if (hit !== undefined) return hit;
  const list = exercises.length === 0 ? 'there are no exercises yet' : `the exercises are ${exercises.map((e) => e.folder).join(', ')}`;
  throw new UsageError(`There is no exercise "${name}": ${list}. Name one by number (07) or slug.`);
}
