import { createRequire } from 'node:module';
import { dirname, relative, sep } from 'node:path';

/**
 * Source locations as a student reads them: `src/bank.ts:12`, relative to the graded
 * source root, from the frames and wait sites the core records (absolute paths).
 */
export interface Location {
  readonly file: string;
  readonly line?: number;
}

const FRAME = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/;
const GRADER_DIR = new URL('..', import.meta.url).pathname;
/** The core's sources: its frames (a thread's entry, a primitive's wait) are the kit's, not the student's. */
const CORE_DIR = `${dirname(createRequire(import.meta.url).resolve('@threadlings/core'))}${sep}`;
/** Frames of the kit and of Node itself: not the student's code. */
const KIT_FRAME = /\(?node:|[\\/]node_modules[\\/]/;

/** The file and line of one stack frame or wait site, relative to `root` when inside it. */
export function parseSite(
  site: string,
  root: string,
): (Location & { readonly inRoot: boolean; readonly inGrader: boolean; readonly inCore: boolean }) | undefined {
  const m = FRAME.exec(site.trim());
  if (m === null) return undefined;
  const path = m[1]!.replace(/^file:\/\//, '');
  const rel = relative(root, path);
  const inRoot = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  return { file: inRoot ? rel.split(sep).join('/') : path, line: Number(m[2]), inRoot, inGrader: path.startsWith(GRADER_DIR), inCore: path.startsWith(CORE_DIR) };
}

/** "src/bank.ts:12", or "the start barrier" for the grader's own start, or "" when unknown. */
export function formatSite(site: string, root: string): string {
  const at = parseSite(site, root);
  if (at === undefined) return '';
  if (at.inGrader) return 'the start barrier';
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

/** The first frame of a stack that lies in the graded files. */
export function firstLocationIn(stack: string, root: string): Location | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const at = parseSite(line, root);
    if (at?.inRoot === true) return { file: at.file, ...(at.line === undefined ? {} : { line: at.line }) };
  }
  return undefined;
}

/** "src/bank.ts:12" for a location. */
export function formatLocation(at: Location | undefined): string {
  if (at === undefined) return '';
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

/**
 * A thread's stack as the student reads it: frames of the kit (the grader, the core, tsx)
 * and of Node's internals left out, and paths inside `root` made relative. A stack with
 * no frame of the student's is kept whole, since the kit's frames are then all it says.
 *
 * @example
 * ```ts
 * studentStack('Error: no rate\n    at lookUp (/ex/src/bank.ts:9:30)\n    at Module._compile (node:internal/...)', '/ex')
 * // 'Error: no rate\n    at lookUp (src/bank.ts:9:30)'
 * ```
 */
export function studentStack(stack: string, root: string): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  if (firstFrame < 0) return stack;
  const frames = lines.slice(firstFrame).filter((l) => {
    if (!/^\s+at /.test(l)) return true;
    if (KIT_FRAME.test(l)) return false;
    const at = parseSite(l, root);
    return at === undefined || (!at.inGrader && !at.inCore);
  });
  if (!frames.some((l) => parseSite(l, root)?.inRoot === true)) return stack;
  const rootPrefix = root.endsWith(sep) ? root : `${root}${sep}`;
  return [...lines.slice(0, firstFrame), ...frames].join('\n').replaceAll(`file://${rootPrefix}`, '').replaceAll(rootPrefix, '');
}
