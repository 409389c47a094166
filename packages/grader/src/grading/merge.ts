import { ConfigError } from '../cli/errors.ts';
import { Results, type ExerciseResult } from '../results.ts';
import { GRADER_VERSION } from '../version.ts';
import { assembleResults } from './summarize.ts';

/*
 * `threadlings merge-reports`: the JSON reports of the n parts of a sharded grading
 * (`pnpm grade --ci --shard k/n --json part-k.json`) as one, the same document a single run
 * of the whole course writes. Parts of different grader versions, of different splits, a
 * part missing or given twice, are refused by name: a merged report must never look whole
 * when it is not.
 */

/** One part as read from its file. */
export interface Part {
  readonly file: string;
  readonly text: string;
}

function readPart(part: Part): Results {
  let raw: unknown;
  try {
    raw = JSON.parse(part.text);
  } catch (e) {
    throw new ConfigError(`${part.file} is not JSON: ${(e as Error).message}. Pass the files that \`pnpm grade --json FILE --shard k/n\` wrote.`, part.file);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof raw === 'object' && raw !== null && version !== 1) {
    throw new ConfigError(`${part.file} is a results document of version ${JSON.stringify(version)}; this grader (${GRADER_VERSION}) merges version 1 only. Grade every part with the same kit.`, part.file);
  }
  const parsed = Results.safeParse(raw);
  if (!parsed.success) {
    const at = parsed.error.issues[0]!;
    throw new ConfigError(`${part.file} is not a threadlings results document: field "${at.path.join('.') || '(root)'}": ${at.message}.`, part.file);
  }
  return parsed.data;
}

/** The parts merged into one results document, in the course's order. @throws ConfigError naming the part at fault. */
export function mergeReports(parts: readonly Part[]): Results {
  if (parts.length === 0) throw new ConfigError('No reports to merge: pass the JSON report of every part, as in `threadlings merge-reports part-1.json part-2.json part-3.json --json results.json`.');
  const read = parts.map((p) => ({ file: p.file, results: readPart(p) }));
  const first = read[0]!;
  for (const { file, results } of read) {
    if (results.shard === undefined) throw new ConfigError(`${file} is the report of a whole run, not of a part: only reports of \`pnpm grade --shard k/n\` merge.`, file);
    if (results.error !== undefined) throw new ConfigError(`${file}: that part did not grade (${results.error.kind} error: ${results.error.message.split('\n')[0]}). Re-run it before merging.`, file);
  }
  const versions = new Set(read.map((r) => r.results.grader ?? 'unknown'));
  if (versions.size > 1) {
    throw new ConfigError(`The parts were graded by different versions of the grader: ${read.map((r) => `${r.file} by ${r.results.grader ?? 'an unknown version'}`).join(', ')}. Grade every part with the same kit.`);
  }
  const total = first.results.shard!.total;
  const course = first.results.shard!.course;
  const byIndex = new Map<number, string>();
  for (const { file, results } of read) {
    const shard = results.shard!;
    if (shard.total !== total) throw new ConfigError(`${file} is part ${shard.index} of ${shard.total}, but ${first.file} is part ${first.results.shard!.index} of ${total}: merge the parts of one split.`, file);
    if (shard.course.join(',') !== course.join(',')) throw new ConfigError(`${file} was graded on another course (exercises ${shard.course.join(', ')}) than ${first.file} (${course.join(', ')}): merge the parts of one grading.`, file);
    if (results.solutions !== first.results.solutions) throw new ConfigError(`${file} graded ${results.solutions ? 'the reference solutions' : "the student's files"}, ${first.file} did not: merge the parts of one grading.`, file);
    const twice = byIndex.get(shard.index);
    if (twice !== undefined) throw new ConfigError(`${twice} and ${file} are both part ${shard.index} of ${total}: pass each part once.`, file);
    byIndex.set(shard.index, file);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new ConfigError(`Part${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${total} ${missing.length === 1 ? 'is' : 'are'} missing: the merged report would leave out exercises. Pass the reports of all ${total} parts.`);
  }
  const graded = new Map<string, ExerciseResult>();
  for (const { results } of read) for (const ex of results.exercises) graded.set(ex.id, ex);
  const exercises = course.flatMap((id) => graded.get(id) ?? []);
  const seeds = new Set(read.map((r) => r.results.seed));
  const merged = assembleResults(exercises, {
    seed: seeds.size === 1 ? first.results.seed : undefined,
    solutions: first.results.solutions,
    // The parts ran at once, on their own runners: the merged run took as long as the longest.
    durationMs: Math.max(...read.map((r) => r.results.durationMs)),
  });
  return { ...merged, nodeVersion: first.results.nodeVersion, grader: first.results.grader ?? GRADER_VERSION };
}
