import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './cli/errors.ts';
import { fieldName, readManifest, type Exercise } from './discover.ts';
import { MANIFEST_FILE } from './manifest.ts';

/*
 * Exercise packs: npm packages that bring exercises to a course repository. A package
 * says it is one in its package.json,
 *
 *   "threadlings": { "pack": { "format": 1, "course": "Concurrency 101", "exercises": "exercises", "solutions": "solutions" } }
 *
 * and a course repository that depends on it (dependencies or devDependencies) grades its
 * exercises beside its own. Packages are found by name under the root's node_modules and
 * only their JSON is read: no code of a dependency runs to find out whether it is a pack.
 * Whatever is wrong with a pack is a problem reported by file and field; the exercises it
 * concerns are left out and every other one is still found.
 */

/** The version of the `threadlings.pack` field this grader reads. */
export const PACK_FORMAT = 1;

/** A folder inside the package: relative, and not climbing out of it. */
const PackFolder = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), 'a folder inside the package, like "exercises"');

/** `threadlings.pack` in a pack's package.json. */
export const PackSpec = z
  .object({
    /** The field's version; a grader reads only the one it knows (PACK_FORMAT). */
    format: z.literal(PACK_FORMAT),
    /** The course the pack belongs to, for people (reports and docs). */
    course: z.string().min(1),
    /** The folder with one `NN-slug/` folder per exercise. */
    exercises: PackFolder,
    /** The folder that mirrors `exercises` with the reference solutions, if the pack ships them. */
    solutions: PackFolder.optional(),
  })
  .strict();
export type PackSpec = z.infer<typeof PackSpec>;

/** The whole `threadlings` field of a package.json. */
export const PackageField = z.object({ pack: PackSpec }).strict();
export type PackageField = z.infer<typeof PackageField>;

/** What discovery found: the exercises that can be graded, and what is wrong with the rest. */
export interface PackDiscovery {
  readonly exercises: Exercise[];
  /** One sentence each, naming the file and the field at fault and how to fix it. */
  readonly problems: string[];
}

/** An npm package name (so that a name in package.json cannot point outside node_modules). */
const PACKAGE_NAME = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/**
 * The exercises of every exercise pack the project at `root` depends on, each pack read from
 * `root/node_modules/<name>/package.json` (a pnpm symlink is followed). A dependency that is
 * not installed, or that has no `threadlings` field, is not a pack. Exercises keep their ids;
 * two exercises of packs that share an id are both left out.
 */
export function discoverPacks(root: string): PackDiscovery {
  const problems: string[] = [];
  const exercises: Exercise[] = [];
  for (const name of dependencyNames(root, problems)) exercises.push(...packExercises(root, name, problems));
  const checked = withoutClashes(exercises, root);
  return { exercises: checked.exercises, problems: [...problems, ...checked.problems] };
}

/** The names in the root package.json's dependencies and devDependencies; none without one. */
function dependencyNames(root: string, problems: string[]): string[] {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return [];
  const json = readJson(file, 'package.json', problems);
  if (json === undefined) return [];
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = json[field];
    if (deps === undefined) continue;
    if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
      problems.push(`package.json field "${field}": expected an object of package names and versions; no exercise pack is read from it`);
      continue;
    }
    for (const name of Object.keys(deps)) {
      if (PACKAGE_NAME.test(name)) names.add(name);
      else problems.push(`package.json field "${field}.${name}": "${name}" is not a package name; it is not read as an exercise pack`);
    }
  }
  return [...names];
}

/** A JSON object read from `file` (shown as `shown`), or undefined with a problem. */
function readJson(file: string, shown: string, problems: string[]): Record<string, unknown> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${shown} is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  problems.push(`${shown} does not hold a JSON object`);
  return undefined;
}

/** The exercises of dependency `name`, if it is an installed exercise pack; problems with it go to `problems`. */
function packExercises(root: string, name: string, problems: string[]): Exercise[] {
  const link = join(root, 'node_modules', name);
  const shownPackage = relative(root, join(link, 'package.json'));
  if (!existsSync(join(link, 'package.json'))) return [];
  const json = readJson(join(link, 'package.json'), shownPackage, problems);
  if (json === undefined || json['threadlings'] === undefined) return [];
  const spec = readPackField(json['threadlings'], shownPackage, problems);
  if (spec === undefined) return [];
  // The real folder: Node loads the checks from there, and stacks name its files so.
  const dir = realpathSync(link);
  const exercisesDir = join(dir, spec.exercises);
  if (!isFolder(exercisesDir)) {
    problems.push(`${shownPackage} field "threadlings.pack.exercises": ${spec.exercises} is not a folder of ${name}: name the folder that holds its NN-slug exercise folders, and include it in the package ("files")`);
    return [];
  }
  let solutionsDir: string | undefined;
  if (spec.solutions !== undefined) {
    if (isFolder(join(dir, spec.solutions))) solutionsDir = join(dir, spec.solutions);
    else problems.push(`${shownPackage} field "threadlings.pack.solutions": ${spec.solutions} is not a folder of ${name}: include it in the package, or leave the field out; its exercises are graded without solutions`);
  }
  const found: Exercise[] = [];
  for (const entry of readdirSync(exercisesDir, { withFileTypes: true })) {
    const exerciseDir = join(exercisesDir, entry.name);
    if (!isFolder(exerciseDir) || !existsSync(join(exerciseDir, MANIFEST_FILE))) continue;
    try {
      // Read by the path a person knows (node_modules/<name>/...), so that problems name it so.
      const manifest = readManifest(join(link, spec.exercises, entry.name), root);
      found.push({ id: manifest.id, slug: manifest.slug, dir: exerciseDir, folder: entry.name, manifest, pack: name, ...(solutionsDir === undefined ? {} : { solutionsDir }) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(`exercise pack ${name}: ${e.message}\n  it is left out; the pack's other exercises are graded`);
    }
  }
  return found;
}

/** The valid `threadlings` field of a package.json, or undefined with a problem naming the field. */
export function readPackField(raw: unknown, shown: string, problems: string[]): PackSpec | undefined {
  // A newer format may have other fields: say so rather than list them as unknown.
  const format = (raw as { pack?: { format?: unknown } } | null)?.pack?.format;
  if (typeof format === 'number' && format !== PACK_FORMAT) {
    problems.push(`${shown} field "threadlings.pack.format": format ${format} is not one this grader reads (it reads ${PACK_FORMAT}): upgrade @threadlings/grader`);
    return undefined;
  }
  const parsed = PackageField.safeParse(raw);
  if (parsed.success) return parsed.data.pack;
  const issues = parsed.error.issues.map((i) => `  ${fieldName(['threadlings', ...i.path])}: ${i.message}`).join('\n');
  problems.push(
    `${shown} is not a valid exercise pack:\n${issues}\n` +
      `  write it as "threadlings": { "pack": { "format": ${PACK_FORMAT}, "course": "<name>", "exercises": "exercises" } } (docs/writing-exercises.md, "Exercise packs")`,
  );
  return undefined;
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** `03-locks of exercise pack pack-a (node_modules/pack-a/exercises/03-locks)`, or `03-locks of the workspace (packages/exercises/03-locks)`. */
function describe(exercise: Exercise, root: string): string {
  if (exercise.pack === undefined) return `${exercise.folder} of the workspace (${relative(root, exercise.dir)})`;
  const link = join('node_modules', exercise.pack);
  return `${exercise.folder} of exercise pack ${exercise.pack} (${join(link, relative(realpathSync(join(root, link)), exercise.dir))})`;
}

/**
 * The exercises whose id no other one has, and a problem for each id that several share:
 * every exercise with that id is left out, since which of them a student meant is unknowable.
 */
export function withoutClashes(exercises: readonly Exercise[], root: string): PackDiscovery {
  const byId = new Map<string, Exercise[]>();
  for (const ex of exercises) byId.set(ex.id, [...(byId.get(ex.id) ?? []), ex]);
  const problems: string[] = [];
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    const fix = group.some((e) => e.pack === undefined)
      ? `renumber the workspace's exercise (its "id" and folder), or remove the pack from package.json's dependencies`
      : `remove one of the packs from package.json's dependencies, or ask its authors to renumber the exercise`;
    problems.push(`exercises ${group.map((e) => describe(e, root)).join(' and ')} share the id "${id}": all of them are left out; ${fix}`);
  }
  return { exercises: exercises.filter((e) => byId.get(e.id)!.length === 1), problems };
}
