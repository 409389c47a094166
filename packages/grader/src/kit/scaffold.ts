import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../cli/errors.ts';
import type { Workspace } from '../cli/workspace.ts';
import type { Exercise } from '../discover.ts';

/*
 * `threadlings new-exercise <slug>`: a new exercise, numbered after the last one, in the
 * shape the kit check expects. The templates (packages/grader/templates) are a small real
 * exercise, a racy counter with a functional check and an explore check, so that what is
 * scaffolded type-checks and grades at once; every place the instructor must write is
 * marked `TODO(instructor)`, and the kit check lists each one still there.
 */

/** What the scaffold writes in every place the instructor must fill in. */
export const PLACEHOLDER = 'TODO(instructor)';

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** An exercise's compiler options where the workspace has no tsconfig.base.json to extend. */
const STANDALONE_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'ES2024.SharedMemory', 'ESNext.Disposable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  isolatedModules: true,
  skipLibCheck: true,
  types: ['node'],
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface ScaffoldOptions {
  readonly slug: string;
  /** The exercise's title; by default the slug's words ("bounded buffer" → "Bounded buffer"). */
  readonly title?: string | undefined;
}

export interface Scaffolded {
  readonly id: string;
  readonly folder: string;
  /** Every file written, relative to the workspace root. */
  readonly files: readonly string[];
}

/** Copies `from` to `to`, file by file, with the tokens replaced; lists what it wrote. */
function copyTemplate(from: string, to: string, tokens: Readonly<Record<string, string>>, written: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory()) {
      copyTemplate(source, target, tokens, written);
      continue;
    }
    let text = readFileSync(source, 'utf8');
    for (const [token, value] of Object.entries(tokens)) text = text.replaceAll(token, value);
    writeFileSync(target, text);
    written.push(target);
  }
}

/** `07` after `06`: one more than the highest id (01 when there is none). */
export function nextId(exercises: readonly Exercise[]): string {
  const highest = exercises.reduce((max, e) => Math.max(max, Number(e.id)), 0);
  if (highest >= 99) throw new UsageError(`There are exercises up to 99 already: ids have two digits. Split the course into packs, or renumber.`);
  return String(highest + 1).padStart(2, '0');
}

/**
 * Writes `NN-slug` into the exercises folder and its solution folder.
 * @throws UsageError for a slug that is not lower-case words joined by hyphens, or one already taken.
 */
export function scaffoldExercise(workspace: Workspace, exercises: readonly Exercise[], options: ScaffoldOptions): Scaffolded {
  const slug = options.slug.trim();
  if (!SLUG.test(slug)) {
    throw new UsageError(`Expected the slug to be lower-case words joined by hyphens, got \`${options.slug}\`. Example: pnpm new-exercise bounded-buffer`);
  }
  const taken = exercises.find((e) => e.slug === slug);
  if (taken !== undefined) throw new UsageError(`There is an exercise "${slug}" already: ${taken.folder}. Choose another slug.`);
  const id = nextId(exercises);
  const folder = `${id}-${slug}`;
  const exerciseDir = join(workspace.exercisesDir, folder);
  const solutionDir = join(workspace.solutionsDir, folder);
  for (const dir of [exerciseDir, solutionDir]) {
    if (existsSync(dir)) throw new UsageError(`${relative(workspace.root, dir)}/ exists already, without a valid manifest: remove it, or choose another slug.`);
  }
  const title = options.title?.trim() || slug.replaceAll('-', ' ').replace(/^./, (c) => c.toUpperCase());
  const order = exercises.reduce((max, e) => Math.max(max, e.manifest.order), 0) + 1;
  const base = join(workspace.root, 'tsconfig.base.json');
  const tokens = { __ID__: id, __SLUG__: slug, __TITLE__: title, __TITLE_JSON__: JSON.stringify(title).slice(1, -1), __ORDER__: String(order), __TSCONFIG_BASE__: relative(exerciseDir, base).split(sep).join('/') };
  const written: string[] = [];
  copyTemplate(join(TEMPLATES, 'exercise'), exerciseDir, tokens, written);
  // Outside the kit (no shared strict settings to extend), the exercise gets its own.
  if (!existsSync(base)) writeFileSync(join(exerciseDir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: STANDALONE_OPTIONS, include: ['src', 'checks.ts'] }, null, 2)}\n`);
  copyTemplate(join(TEMPLATES, 'solution'), solutionDir, tokens, written);
  // The solution starts as the starter: the kit check fails it until the instructor solves it.
  cpSync(join(exerciseDir, 'src'), join(solutionDir, 'src'), { recursive: true });
  written.push(...readdirSync(join(solutionDir, 'src')).map((f) => join(solutionDir, 'src', f)));
  return { id, folder, files: [...new Set(written)].map((f) => relative(workspace.root, f)).sort() };
}

/** The line numbers of `file` that still hold the scaffold's placeholder. */
export function placeholders(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes(PLACEHOLDER) ? [i + 1] : []));
}
