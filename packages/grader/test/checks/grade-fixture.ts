/**
 * Grades a fixture exercise of test/fixtures/exercises/ in this process, as the grading
 * child would: runChecks on its folder, the folder being the source root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runChecks, type RunChecksOptions } from '../../src/checks/run.ts';
import { Manifest } from '../../src/manifest.ts';
import type { CheckResult } from '../../src/results.ts';

export function fixtureDir(folder: string): string {
  return fileURLToPath(new URL(`../fixtures/exercises/${folder}/`, import.meta.url));
}

export function fixtureManifest(folder: string): Manifest {
  return Manifest.parse(JSON.parse(readFileSync(`${fixtureDir(folder)}threadlings.json`, 'utf8')));
}

export async function gradeFixture(folder: string, options: Partial<RunChecksOptions> = {}): Promise<CheckResult[]> {
  const dir = fixtureDir(folder);
  const manifest = fixtureManifest(folder);
  return runChecks({ exerciseId: manifest.id, exerciseDir: dir, sourceRoot: dir, manifest, ...options });
}

/** The first check that did not pass: the one a student is shown. */
export function firstProblem(results: readonly CheckResult[]): CheckResult | undefined {
  return results.find((r) => r.status !== 'pass' && r.status !== 'skipped');
}

/** Each check's name and status, for a readable assertion. */
export function statuses(results: readonly CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.name, r.status]));
}
