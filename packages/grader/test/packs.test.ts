import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverCourse } from '../src/discover.ts';
import { discoverPacks } from '../src/packs.ts';
import { Results } from '../src/results.ts';
import { runCli } from './support/cli.ts';
import { FIXTURES } from './support/temp-exercises.ts';

/*
 * Exercise packs (packs.ts): found through the root package.json's dependencies, read from
 * node_modules through symlinks as pnpm lays them out, and graded beside the workspace's own.
 */

const PACKS = join(FIXTURES, 'packs');
const roots: string[] = [];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/**
 * A course repository that depends on `packs` (package name → fixture folder under
 * fixtures/packs), each linked into its node_modules as pnpm links it, and on a package
 * that is not installed. With `workspace`, it has exercises of its own.
 */
function courseRoot(packs: Record<string, string>, options: { workspace?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'threadlings-packs-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  const dependencies = Object.fromEntries([...Object.keys(packs), 'not-installed'].map((name) => [name, '1.0.0']));
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ private: true, type: 'module', dependencies, devDependencies: { plain: '1.0.0' } }, null, 2)}\n`);
  for (const [name, folder] of Object.entries({ ...packs, plain: 'plain' })) {
    mkdirSync(dirname(join(root, 'node_modules', name)), { recursive: true });
    symlinkSync(join(PACKS, folder), join(root, 'node_modules', name), 'dir');
  }
  if (options.workspace === true) symlinkSync(join(PACKS, 'workspace', 'exercises'), join(root, 'exercises'), 'dir');
  return root;
}

describe('discovering exercise packs', () => {
  it('finds the exercises of a pack by its real folder, and ignores plain and missing dependencies', () => {
    const root = courseRoot({ '@demo/pack-a': 'pack-a' });
    const { exercises, problems } = discoverPacks(root);
    expect(problems).toEqual([]);
    expect(exercises.map((e) => [e.folder, e.pack])).toEqual([
      ['01-alpha', '@demo/pack-a'],
      ['02-beta', '@demo/pack-a'],
    ]);
    expect(exercises[0]!.dir).toBe(join(PACKS, 'pack-a', 'exercises', '01-alpha'));
    expect(exercises[0]!.solutionsDir).toBeUndefined();
    expect(exercises[0]!.manifest.title).toBe('greets (alpha)');
  });

  it('finds no pack in a project without a package.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'threadlings-packs-'));
    roots.push(root);
    expect(discoverPacks(root)).toEqual({ exercises: [], problems: [] });
  });

  it('reports an invalid threadlings field by package.json and field, and still finds the other packs', () => {
    const root = courseRoot({ 'bad-field': 'bad-field', '@demo/pack-a': 'pack-a' });
    const { exercises, problems } = discoverPacks(root);
    expect(exercises.map((e) => e.folder)).toEqual(['01-alpha', '02-beta']);
    expect(problems).toHaveLength(1);
    const problem = problems[0]!;
    expect(problem).toContain(`${join('node_modules', 'bad-field', 'package.json')} is not a valid exercise pack`);
    expect(problem).toMatch(/field "threadlings\.pack\.course": Too small/);
    expect(problem).toContain('field "threadlings.pack.exercises": a folder inside the package');
    expect(problem).toMatch(/field "threadlings\.pack": Unrecognized key: "extra"/);
    expect(problem).toContain('"threadlings": { "pack": { "format": 1');
  });

  it('leaves out both exercises of two packs that share an id, naming both packages and folders, and finds the others', () => {
    const root = courseRoot({ '@demo/pack-a': 'pack-a', 'pack-b': 'pack-b' });
    const { exercises, problems } = discoverPacks(root);
    expect(exercises.map((e) => `${e.pack}/${e.folder}`)).toEqual(['@demo/pack-a/01-alpha', 'pack-b/03-delta']);
    expect(exercises[1]!.solutionsDir).toBe(join(PACKS, 'pack-b', 'answers'));
    expect(problems).toEqual([
      `exercises 02-beta of exercise pack @demo/pack-a (${join('node_modules', '@demo', 'pack-a', 'exercises', '02-beta')}) and ` +
        `02-gamma of exercise pack pack-b (${join('node_modules', 'pack-b', 'lessons', '02-gamma')}) share the id "02": all of them are left out; ` +
        `remove one of the packs from package.json's dependencies, or ask its authors to renumber the exercise`,
    ]);
  });

  it('refuses a pack of a format it cannot read, saying to upgrade the grader', () => {
    const root = courseRoot({ future: 'future', '@demo/pack-a': 'pack-a' });
    const { exercises, problems } = discoverPacks(root);
    expect(exercises.map((e) => e.folder)).toEqual(['01-alpha', '02-beta']);
    expect(problems).toEqual([
      `${join('node_modules', 'future', 'package.json')} field "threadlings.pack.format": format 2 is not one this grader reads (it reads 1): upgrade @threadlings/grader`,
    ]);
  });

  it("reports a pack's invalid exercise manifest by file and field, and finds its other exercises", () => {
    const root = courseRoot({ 'bad-exercise': 'bad-exercise' });
    const { exercises, problems } = discoverPacks(root);
    expect(exercises.map((e) => e.folder)).toEqual(['04-fine']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`exercise pack bad-exercise: ${join('node_modules', 'bad-exercise', 'exercises', '05-broken', 'threadlings.json')} is not a valid exercise manifest`);
    expect(problems[0]).toMatch(/field "limits\.memoryMb": Too big/);
  });
});

describe('the course: the workspace and its packs', () => {
  it("leaves out a workspace exercise and a pack's that share an id, and orders the rest by the manifests", () => {
    const root = courseRoot({ '@demo/pack-a': 'pack-a' }, { workspace: true });
    const warned: string[] = [];
    const { exercises, problems } = discoverCourse({ root, exercisesDir: join(root, 'exercises') }, (p) => warned.push(p));
    expect(exercises.map((e) => `${e.pack ?? 'workspace'}/${e.folder}`)).toEqual(['@demo/pack-a/02-beta', 'workspace/06-mine']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^exercises 01-own of the workspace \(exercises\/01-own\) and 01-alpha of exercise pack @demo\/pack-a \(node_modules\/@demo\/pack-a\/exercises\/01-alpha\) share the id "01"/);
    expect(problems[0]).toContain("renumber the workspace's exercise");
    expect(warned).toEqual(problems);
  });

  it("grades the packs' exercises, warning of the problems, and grades a pack's solutions", async () => {
    const root = courseRoot({ '@demo/pack-a': 'pack-a', 'pack-b': 'pack-b', future: 'future' });
    const run = await runCli(['grade', '--ci', '--json', 'out.json'], { cwd: root });
    expect(run.stderr).toBe('');
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toContain('format 2 is not one this grader reads');
    expect(warnings.join('\n')).toContain('share the id "02"');
    const results = Results.parse(JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')));
    expect(results.exercises.map((e) => [e.id, e.status])).toEqual([
      ['01', 'pass'],
      ['03', 'fail'],
    ]);
    expect(results.exercises[1]!.checks.map((c) => [c.name, c.status])).toEqual([
      ['the greeting is there', 'pass'],
      ['the greeting says hello', 'fail'],
    ]);
    expect(run.code).toBe(1);
    const solutions = await runCli(['grade', '03', '--solutions', '--ci'], { cwd: root });
    expect(solutions.stdout).toContain('(reference solutions)');
    expect(solutions.code).toBe(0);
  });

  it("gives a pack's exercises to the other commands too: hint, progress and the kit check", async () => {
    const root = courseRoot({ '@demo/pack-a': 'pack-a' });
    const hint = await runCli(['hint', '02'], { cwd: root });
    expect(hint.code).toBe(0);
    expect(hint.stdout).toMatch(/02 beta/);
    const progress = await runCli(['progress'], { cwd: root });
    expect(progress.stdout).toMatch(/01 alpha[\s\S]*02 beta/);
    const check = await runCli(['kit-check', '02', '--static'], { cwd: root });
    expect(check.stdout).toMatch(/Checking 1 exercise/);
  });
});
