import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The pass cache trusts a verdict only while everything it depended on is unchanged: the
 * graded files (and everything else under the source root), the exercise folder (checks,
 * manifest, helpers) and the kit itself. "The kit" is the source of the grader and the
 * core, hashed, not just their version numbers: a kit developer who edits a check runner
 * must not be shown a stale pass.
 */

const SKIPPED = new Set(['node_modules', 'dist', 'coverage']);

function hashTree(hash: Hash, dir: string, base: string = dir): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    hash.update(`missing:${relative(base, dir)}\0`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || SKIPPED.has(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) hashTree(hash, path, base);
    else if (e.isFile()) {
      hash.update(`${relative(base, path)}\0`);
      hash.update(readFileSync(path));
      hash.update('\0');
    }
  }
}

const GRADER_DIR = fileURLToPath(new URL('../../', import.meta.url));
const CORE_DIR = join(GRADER_DIR, '..', 'core');
let kitHash: string | undefined;

/** A hash of the grader's and the core's sources and manifests (computed once per process). */
export function kitFingerprint(): string {
  if (kitHash === undefined) {
    const hash = createHash('sha256');
    for (const dir of [GRADER_DIR, CORE_DIR]) {
      hash.update(readFileSafe(join(dir, 'package.json')));
      hashTree(hash, join(dir, 'src'));
    }
    kitHash = hash.digest('hex');
  }
  return kitHash;
}

function readFileSafe(path: string): Buffer | string {
  try {
    return readFileSync(path);
  } catch {
    return `missing:${path}`;
  }
}

/**
 * The fingerprint of one grading: equal fingerprints mean an equal verdict can be reused.
 * `exerciseDir` holds the manifest and checks; `sourceRoot` the graded files (the same
 * folder, or the solution's).
 */
export function gradingFingerprint(exerciseDir: string, sourceRoot: string): string {
  const hash = createHash('sha256');
  hash.update(`kit:${kitFingerprint()}\0exercise\0`);
  hashTree(hash, exerciseDir);
  if (sourceRoot !== exerciseDir) {
    hash.update('\0source\0');
    hashTree(hash, sourceRoot);
  }
  return hash.digest('hex');
}
