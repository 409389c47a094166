import { relative, sep } from 'node:path';

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

/** The file and line of one stack frame or wait site, relative to `root` when inside it. */
export function parseSite(site: string, root: string): (Location & { readonly inRoot: boolean; readonly inGrader: boolean }) | undefined {
  const m = FRAME.exec(site.trim());
  if (m === null) return undefined;
  const path = m[1]!.replace(/^file:\/\//, '');
  const rel = relative(root, path);
  const inRoot = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  return { file: inRoot ? rel.split(sep).join('/') : path, line: Number(m[2]), inRoot, inGrader: path.startsWith(GRADER_DIR) };
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
