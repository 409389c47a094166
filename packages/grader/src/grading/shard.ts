import { UsageError } from '../cli/errors.ts';
import type { Exercise } from '../discover.ts';

/*
 * `--shard k/n`: the k-th of n parts of a course, so that a course's CI grades it on a
 * matrix of runners and merges the parts (`threadlings merge-reports`). The split is by
 * exercise, and depends only on the course: each exercise goes, heaviest first, to the part
 * with the least typical grading time so far (the manifest's `typicalMs`), ties to the
 * lowest part. Every runner computes the same split.
 */

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly total: number;
}

/** The typical grading time assumed for an exercise whose manifest gives none. */
export const DEFAULT_TYPICAL_MS = 3000;

const FORM = 'k/n, the k-th of n parts, with 1 ≤ k ≤ n (e.g. --shard 2/3)';

/** `2/3` → { index: 2, total: 3 }. @throws UsageError naming the form expected. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new UsageError(`Expected \`--shard\` to be ${FORM}, got \`${text}\`.`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || total > 1000) throw new UsageError(`Expected \`--shard\` to be ${FORM}, got \`${text}\`: n must be between 1 and 1000.`);
  if (index < 1 || index > total) throw new UsageError(`Expected \`--shard\` to be ${FORM}, got \`${text}\`: k must be between 1 and ${total}.`);
  return { index, total };
}

/** The course split into `total` parts, each in the course's order (the manifests' order, then id). */
export function splitCourse(exercises: readonly Exercise[], total: number): Exercise[][] {
  const weight = (e: Exercise): number => e.manifest.typicalMs ?? DEFAULT_TYPICAL_MS;
  const parts: Exercise[][] = Array.from({ length: total }, () => []);
  const load = Array.from({ length: total }, () => 0);
  const heaviestFirst = [...exercises].sort((a, b) => weight(b) - weight(a) || a.id.localeCompare(b.id));
  for (const e of heaviestFirst) {
    const lightest = load.indexOf(Math.min(...load));
    parts[lightest]!.push(e);
    load[lightest]! += weight(e);
  }
  return parts.map((p) => p.sort((a, b) => a.manifest.order - b.manifest.order || a.id.localeCompare(b.id)));
}

/** The exercises of one part. */
export function shardOf(exercises: readonly Exercise[], shard: Shard): Exercise[] {
  return splitCourse(exercises, shard.total)[shard.index - 1]!;
}
